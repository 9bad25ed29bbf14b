"""Each machine's time in a window cut at its product changes (and at the edges of the periods asked for): the
engine's figures of every stretch with the product made, its ideal cycle and the unit cost its rejects cost.

A stretch's cycle is the one stored with its product change (the OEE engine's, core.oee.product_cycles), else
the machine's; its unit cost is the product's, else the machine's (pricing.unit_cost_in_force). The figures of
a stretch are the engine's own (period_totals cut at the changes), so the plan at ideal speed and the cost of
rejects follow the running product as OEE does.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.clock import as_utc
from core.money.pricing import unit_cost_in_force
from core.money.rates import machine_unit_costs, product_unit_costs
from core.oee.engine import DEFAULT_STARTUP_WINDOW_S
from core.oee.figures import TOTAL_FIELDS, OeeFigures, oee_figures, totals_from_mapping
from core.oee.period_totals import period_totals
from core.persistence.product_tables import ProductChange
from core.plant.equipment import Machine, SiteCalendar

Change = tuple[int, datetime, str, "float | None"]  # equipment_id, at, product code, stored cycle


@dataclass(frozen=True)
class Stretch:
    """One machine making one product (None: no product known) over part of period `period` of the window."""
    equipment_id: int
    period: int
    product_code: str | None
    ideal_cycle_time_s: float
    unit_cost: float
    figures: OeeFigures

    @property
    def planned_production_time_s(self) -> float:
        return self.figures.planned_production_time_s

    @property
    def reject_count(self) -> int:
        return self.figures.reject_count


def machine_stretches(db: sessionmaker[Session], machines: Sequence[Machine], edges: Sequence[datetime],
                      now: datetime, calendar: SiteCalendar | None,
                      known: Mapping[int, OeeFigures] | None = None) -> list[Stretch]:
    """The stretches of every machine in [edges[0], edges[-1]), period i being [edges[i], edges[i + 1]); in time
    order per machine. `known`: each machine's figures over a single period, already computed by the caller,
    used as they are when no machine changed product (saves computing them again)."""
    ids = [m.id for m in machines]
    own_cost = machine_unit_costs(db, ids)
    changes = product_changes(db, ids, edges[0], edges[-1])
    if not changes and known is not None and len(edges) == 2:
        return [Stretch(m.id, 0, None, m.ideal_cycle_time_s, own_cost.get(m.id, 0.0), known[m.id]) for m in machines]
    product_cost = product_unit_costs(db) if changes else {}
    # Counts sit at their whole second, so the engine's buckets are cut at the change's next whole second.
    cuts = {_whole_second(at) for _, at, _, _ in changes}
    pieces = sorted(set(edges) | {c for c in cuts if edges[0] < c < edges[-1]})
    startup_s = calendar.startup_window_minutes * 60 if calendar else DEFAULT_STARTUP_WINDOW_S  # as oee_for
    policy = calendar.oee_policy if calendar else "oee_com"
    totals = period_totals(db, machines, pieces, now, calendar, startup_s)
    period_of = [bisect.bisect_right(list(edges), start) - 1 for start in pieces[:-1]]
    stretches = []
    for machine in machines:
        mine = [c for c in changes if c[0] == machine.id]
        starts = [_whole_second(c[1]) for c in mine]
        for index, start in enumerate(pieces[:-1]):
            in_force = bisect.bisect_right(starts, start)  # changes are in time order
            code, cycle = (mine[in_force - 1][2], mine[in_force - 1][3]) if in_force else (None, None)
            cost = unit_cost_in_force(product_cost.get(code) if code else None, own_cost.get(machine.id, 0.0))
            figures = oee_figures(totals_from_mapping(totals.loc[(machine.id, index)][list(TOTAL_FIELDS)]), policy)
            stretches.append(Stretch(machine.id, period_of[index], code, cycle or machine.ideal_cycle_time_s, cost,
                                     figures))
    return stretches


def product_changes(db: sessionmaker[Session], ids: Sequence[int], start: datetime, end: datetime) -> list[Change]:
    """The product change in force at `start` and each one inside [start, end), per machine, in time order."""
    columns = (ProductChange.equipment_id, ProductChange.at, ProductChange.product_code,
               ProductChange.ideal_cycle_time_s)
    order = (ProductChange.at, ProductChange.id)
    with db() as session:
        rows = [tuple(r) for r in session.execute(select(*columns).where(
            ProductChange.equipment_id.in_(list(ids)), ProductChange.at >= start, ProductChange.at < end)
            .order_by(*order))]
        for equipment_id in ids:
            before = session.execute(select(*columns).where(ProductChange.equipment_id == equipment_id,
                                                            ProductChange.at < start)
                                     .order_by(*(o.desc() for o in order)).limit(1)).first()
            if before is not None:
                rows.insert(0, tuple(before))
    return [(e, as_utc(at), code, cycle) for e, at, code, cycle in rows]


def _whole_second(moment: datetime) -> datetime:
    return datetime.fromtimestamp(math.ceil(moment.timestamp()), tz=timezone.utc)

