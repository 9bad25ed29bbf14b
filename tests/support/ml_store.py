"""A simulated plant written into a real store, for the ML service tests and benchmarks/ml.py.

The example plant (examples/plant.toml) with `n_machines` machines (beyond its eight, copies on copied lines,
the faults of a machine applying to its copies, as tests/support/ml_plant.py makes them), loaded with
`apply_plant_config`, then each machine's simulated history (core.plc.sim_plant.simulated_history: states with
their fault codes and per-minute counts) inserted with the same columns core.timeline.add_state_changes and
add_counts write.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.plant.config_file import read_plant_file
from core.plant.config_schema import PlantConfig
from core.plant.config_store import apply_plant_config
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.sim_plant import DEMO_SEED, simulated_history
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.timeline import CountAt
from tests.support.ml_plant import EXAMPLE_PLANT

BATCH = 50_000


@dataclass(frozen=True)
class WrittenPlant:
    machines: int
    state_changes: int
    count_rows: int


def plant_with(n_machines: int) -> PlantConfig:
    """The example plant with `n_machines` machines: its own first, then copies ("BAG1-2" on line "L1-2", ...)."""
    config = read_plant_file(EXAMPLE_PLANT)
    pairs = [(line, e) for line in config.lines for e in line.equipment]
    if n_machines < 1:
        raise ValueError(f"n_machines must be at least 1 (got {n_machines})")
    lines: dict[str, object] = {}
    copies: dict[str, list[str]] = {}
    for index in range(n_machines):
        line, equipment = pairs[index % len(pairs)]
        copy = index // len(pairs)
        code = equipment.code if copy == 0 else f"{equipment.code}-{copy + 1}"
        line_code = line.code if copy == 0 else f"{line.code}-{copy + 1}"
        target = lines.setdefault(line_code, line.model_copy(update={
            "code": line_code, "name": line.name if copy == 0 else f"{line.name} ({copy + 1})", "equipment": []}))
        target.equipment.append(equipment.model_copy(update={"code": code}))
        copies.setdefault(equipment.code, []).append(code)
    faults = [f.model_copy(update={"equipment": [c for base in f.equipment for c in copies.get(base, [])]})
              for f in config.faults if not f.equipment or any(base in copies for base in f.equipment)]
    kept = {code for codes in copies.values() for code in codes}
    products = [p.model_copy(update={"ideal_cycles": {c: s for c, s in p.ideal_cycles.items() if c in kept}})
                for p in config.products]
    return config.model_copy(update={
        "lines": list(lines.values()), "faults": faults, "products": products, "checklists": [],
        "maintenance_plans": [], "quality_checks": [], "reports": [], "sources": []})


def write_simulated_plant(db: sessionmaker[Session], n_machines: int, start: datetime, end: datetime,
                          seed: int = DEMO_SEED, hidden_causes: bool = True, counts: str = "minute") -> WrittenPlant:
    """Load the plant and store every machine's simulated history over [start, end). counts="hour" stores one
    count row per machine and clock hour (the minutes' sums, at the hour's first counted minute) instead of one
    per minute: the same per-hour totals downtime risk reads, in a sixtieth of the rows (quick tests)."""
    if counts not in ("minute", "hour"):
        raise ValueError(f"counts must be 'minute' or 'hour', not {counts!r}")
    apply_plant_config(db, plant_with(n_machines))
    calendar, faults = site_calendar(db), fault_catalog(db)
    changes = rows = 0
    plant = machines(db)
    for machine in plant:
        states, minutes = simulated_history(machine, calendar, faults, start, end, seed, hidden_causes)
        minutes = per_hour(minutes) if counts == "hour" else minutes
        with db.begin() as session:
            _insert(session, StateChange.__table__, [
                {"equipment_id": c.equipment_id, "at": c.at, "at_epoch": c.at.timestamp(), "state": c.state,
                 "reason_code": c.reason_code, "source": c.source, "fault_code": c.fault_code} for c in states])
            _insert(session, CountIncrement.__table__, [
                {"equipment_id": c.equipment_id, "at": c.at, "at_epoch": int(c.at.timestamp() // 1), "good": c.good,
                 "reject": c.reject, "source": c.source} for c in minutes])
        changes, rows = changes + len(states), rows + len(minutes)
    return WrittenPlant(len(plant), changes, rows)


def per_hour(minutes: list[CountAt]) -> list[CountAt]:
    hours: dict[int, list] = {}
    for count in minutes:
        totals = hours.setdefault(int(count.at.timestamp()) // 3600, [count, 0, 0])
        totals[1] += count.good
        totals[2] += count.reject
    return [replace(first, good=good, reject=reject) for first, good, reject in hours.values()]


def _insert(session: Session, table, rows: list[dict]) -> None:
    """A Core executemany: the ORM's bulk insert ran one statement per row here (4 s for 35k state changes)."""
    for first in range(0, len(rows), BATCH):
        session.execute(table.insert(), rows[first:first + BATCH])
