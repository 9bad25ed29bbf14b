"""First-pass yield by machine and by line over a window, with the scrap recorded in it (the formula is in
core.quality.first_pass_yield)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.plant.equipment import machines
from core.quality.first_pass_yield import YieldFigures, rolled_throughput_yield
from core.quality.scrap import recent_scrap
from core.timeline import count_totals


@dataclass(frozen=True)
class MachineYield:
    equipment_code: str
    equipment_name: str
    line_code: str
    units: YieldFigures
    scrap: int  # units on scrap entries in the window
    top_defect: str | None  # the defect code with the most scrapped units

    @property
    def first_pass_yield(self) -> float | None:
        return self.units.first_pass_yield


@dataclass(frozen=True)
class LineYield:
    line_code: str
    rolled_throughput_yield: float | None
    machines: tuple[MachineYield, ...]


def yields_by_line(db: sessionmaker[Session], start: datetime, end: datetime, now: datetime) -> list[LineYield]:
    """Per line (plant order), each machine's first-pass yield over [start, min(end, now)) and the line's
    rolled throughput yield."""
    plant = machines(db)
    end = min(end, now)
    totals = count_totals(db, [m.id for m in plant], start, end) if end > start else {}
    scrap_units: dict[str, int] = defaultdict(int)
    defects: dict[str, Counter] = defaultdict(Counter)
    for entry in (recent_scrap(db, start, end, limit=None) if end > start else []):
        scrap_units[entry.equipment_code] += entry.quantity
        defects[entry.equipment_code][entry.defect_code] += entry.quantity
    by_line: dict[str, list[MachineYield]] = {}
    for m in plant:
        good, reject = totals.get(m.id, (0, 0))
        top = defects[m.code].most_common(1)
        by_line.setdefault(m.line_code, []).append(MachineYield(m.code, m.name, m.line_code, YieldFigures(good, reject),
                                                                scrap_units[m.code], top[0][0] if top else None))
    return [LineYield(code, rolled_throughput_yield(y.first_pass_yield for y in rows), tuple(rows))
            for code, rows in by_line.items()]
