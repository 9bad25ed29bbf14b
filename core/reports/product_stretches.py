"""What each machine made in a report's window, product by product: the stretches between its product changes,
each with the engine's planned time and rejects, the product's stored ideal cycle and the product's unit cost.

A stretch's cycle is the one stored with its product change (the OEE engine's, core.oee.product_cycles), else
the machine's; its unit cost is the product's, else the machine's. The planned time and rejects of a stretch
are the engine's own (period_totals cut at the changes), so the plan at ideal speed and the cost of rejects
follow the running product as OEE does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.oee.engine import DEFAULT_STARTUP_WINDOW_S
from core.oee.figures import TOTAL_FIELDS, oee_figures, totals_from_mapping
from core.oee.period_totals import period_totals
from core.oee.service import Window
from core.persistence.product_tables import ProductChange, ProductRow
from core.reports.oee_source import WindowFigures
from core.reports.readings import unit_costs


@dataclass(frozen=True)
class Stretch:
    """One machine making one product (None: no product known) over part of the window."""
    equipment_id: int
    product_code: str | None
    ideal_cycle_time_s: float
    unit_cost: float
    planned_production_time_s: float
    reject_count: float


def product_stretches(db: sessionmaker[Session], source: WindowFigures, window: Window,
                      now: datetime) -> list[Stretch]:
    """The stretches of every machine of `source` in `window`, in time order per machine."""
    machines = source.machines
    own_cost = unit_costs(db, [m.id for m in machines])
    changes = _changes(db, [m.id for m in machines], window)
    if not changes:  # nothing known of products: one stretch per machine, the window's figures
        return [Stretch(m.id, None, m.ideal_cycle_time_s, own_cost.get(m.id, 0.0),
                        source.by_machine[m.code].planned_production_time_s, source.by_machine[m.code].reject_count)
                for m in machines]
    with db() as session:
        product_cost = {code: cost for code, cost in session.execute(select(ProductRow.code, ProductRow.unit_cost))}
    # Counts sit at their whole second, so the engine's buckets are cut at the change's next whole second.
    cuts = sorted({_whole_second(at) for _, at, _, _ in changes} - {window.start})
    edges = [window.start] + [c for c in cuts if window.start < c < window.end] + [window.end]
    calendar = source.calendar
    startup_s = calendar.startup_window_minutes * 60 if calendar else DEFAULT_STARTUP_WINDOW_S  # as oee_for
    policy = calendar.oee_policy if calendar else "oee_com"
    totals = period_totals(db, machines, edges, now, calendar, startup_s)
    stretches = []
    for machine in machines:
        mine = [c for c in changes if c[0] == machine.id]
        for index, start in enumerate(edges[:-1]):
            in_force = [c for c in mine if _whole_second(c[1]) <= start]
            code, cycle = (in_force[-1][2], in_force[-1][3]) if in_force else (None, None)
            cost = product_cost.get(code) if code else None
            figures = oee_figures(totals_from_mapping(totals.loc[(machine.id, index)][list(TOTAL_FIELDS)]), policy)
            stretches.append(Stretch(machine.id, code, cycle or machine.ideal_cycle_time_s,
                                     float(cost if cost is not None else own_cost.get(machine.id, 0.0)),
                                     figures.planned_production_time_s, figures.reject_count))
    return stretches


def plan_at_ideal_speed(stretches: list[Stretch], equipment_id: int) -> int:
    """Whole units the machine could make in its planned time, each stretch at its product's cycle."""
    return int(sum(s.planned_production_time_s / s.ideal_cycle_time_s for s in stretches
                   if s.equipment_id == equipment_id and s.ideal_cycle_time_s > 0) + 1e-9)


def reject_costs(stretches: list[Stretch]) -> dict[int, float]:
    """Each machine's rejects priced at the unit cost of the product they were made of."""
    costs: dict[int, float] = {}
    for s in stretches:
        costs[s.equipment_id] = costs.get(s.equipment_id, 0.0) + s.reject_count * s.unit_cost
    return costs


def _changes(db: sessionmaker[Session], ids: list[int], window: Window) -> list[tuple[int, datetime, str, float | None]]:
    """(equipment_id, at, product_code, stored cycle) of the change in force at the start and each one inside."""
    columns = (ProductChange.equipment_id, ProductChange.at, ProductChange.product_code,
               ProductChange.ideal_cycle_time_s)
    order = (ProductChange.at, ProductChange.id)
    with db() as session:
        rows = [tuple(r) for r in session.execute(select(*columns).where(
            ProductChange.equipment_id.in_(ids), ProductChange.at >= window.start, ProductChange.at < window.end)
            .order_by(*order))]
        for equipment_id in ids:
            before = session.execute(select(*columns).where(ProductChange.equipment_id == equipment_id,
                                                            ProductChange.at < window.start)
                                     .order_by(*(o.desc() for o in order)).limit(1)).first()
            if before is not None:
                rows.insert(0, tuple(before))
    return [(e, _utc(at), code, cycle) for e, at, code, cycle in rows]


def _whole_second(moment: datetime) -> datetime:
    return datetime.fromtimestamp(math.ceil(moment.timestamp()), tz=timezone.utc)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
