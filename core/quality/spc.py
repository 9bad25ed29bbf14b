"""Control-chart data for one measured characteristic over a window: its checks' values in time order, as
individuals (one value per check) or subgroups (several samples per check), with the chart's limits
(core.quality.control_charts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow
from core.persistence.quality_tables import QualityCheckRow, QualityMeasurementRow
from core.quality.catalog import CharacteristicView, TemplateView, all_templates
from core.quality.control_charts import ControlChart, ControlChartError, control_chart

MAX_CHECKS = 2000  # the newest ones; a chart of more points is unreadable anyway


@dataclass(frozen=True)
class Subgroup:
    check_id: int
    checked_at: datetime
    equipment_code: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class SpcData:
    template: TemplateView
    characteristic: CharacteristicView
    subgroups: tuple[Subgroup, ...]  # those the chart is drawn from, oldest first
    chart: ControlChart | None
    problem: str | None  # why there is no chart (too few checks), or what was left out
    left_out: int = 0  # checks whose number of samples differs from the most common one


def characteristic_choices(db: sessionmaker[Session]) -> list[tuple[TemplateView, CharacteristicView]]:
    return [(t, c) for t in all_templates(db) for c in t.characteristics]


def spc_data(db: sessionmaker[Session], characteristic_id: int, start: datetime, end: datetime,
             equipment_code: str | None = None) -> SpcData | None:
    """The chart of a characteristic over [start, end), of one machine or all; None for an unknown one."""
    found = next(((t, c) for t, c in characteristic_choices(db) if c.id == characteristic_id), None)
    if found is None:
        return None
    template, characteristic = found
    query = (select(QualityCheckRow.id, QualityCheckRow.checked_at, EquipmentRow.code, QualityMeasurementRow.value)
             .join(QualityMeasurementRow, QualityMeasurementRow.check_id == QualityCheckRow.id)
             .join(EquipmentRow, EquipmentRow.id == QualityCheckRow.equipment_id)
             .where(QualityMeasurementRow.characteristic_id == characteristic_id,
                    QualityCheckRow.checked_at >= start, QualityCheckRow.checked_at < end)
             .order_by(QualityCheckRow.checked_at, QualityCheckRow.id, QualityMeasurementRow.sample))
    if equipment_code:
        query = query.where(EquipmentRow.code == equipment_code)
    groups: dict[int, Subgroup] = {}
    with db() as session:
        for check_id, at, code, value in session.execute(query):
            group = groups.get(check_id) or Subgroup(check_id, at, code, ())
            groups[check_id] = Subgroup(check_id, at, code, group.values + (value,))
    subgroups = list(groups.values())[-MAX_CHECKS:]
    return _with_chart(template, characteristic, subgroups)


def _with_chart(template: TemplateView, characteristic: CharacteristicView, subgroups: list[Subgroup]) -> SpcData:
    sizes = Counter(len(g.values) for g in subgroups)
    size = sizes.most_common(1)[0][0] if sizes else characteristic.samples
    kept = [g for g in subgroups if len(g.values) == size]
    left_out = len(subgroups) - len(kept)
    if len(kept) < 2:
        return SpcData(template, characteristic, tuple(kept), None,
                       f"No chart: a control chart needs at least two checks; this window has {len(kept)}", left_out)
    try:
        chart = control_chart([g.values for g in kept])
        problem = (f"{left_out} check(s) with another number of samples than {size} left out" if left_out else None)
    except ControlChartError as exc:
        chart, problem = None, f"No chart: {exc}"
    return SpcData(template, characteristic, tuple(kept), chart, problem, left_out)

