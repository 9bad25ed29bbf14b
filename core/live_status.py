"""The floor right now: each machine's state, since when, why, and its count and OEE this shift.

Used by the operator board, the plant overview and `GET /api/v1/equipment`. These
are live figures for the shift so far: every unit counted since the shift began is
in them, while the OEE analysis (core.oee) leaves out units made during breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from core.oee.figures import Totals, oee_figures
from core.oee.product_cycles import live_ideal_seconds
from core.oee.time_accounting import account_time
from core.plant.equipment import Machine, machines, reason_names, site_calendar
from core.shift_calendar import current_shift
from core.timeline import count_totals, current_state, state_changes, stretch_start


@dataclass(frozen=True)
class MachineNow:
    code: str
    name: str
    line_code: str
    line_name: str
    state: str  # no_data when nothing was ever heard
    since: datetime | None
    reason_code: str | None
    reason_name: str | None
    good: int
    reject: int
    target_so_far: int  # what the machine would have made at ideal speed in the planned time so far
    shift_target: int | None  # ... in the whole shift's scheduled time less breaks (None outside shifts)
    availability: float | None
    performance: float | None = None
    quality: float | None = None
    oee: float | None = None


@dataclass(frozen=True)
class FloorNow:
    window_name: str  # the shift's name, or "Today" when no shift runs
    window_start: datetime
    window_end: datetime | None  # the shift's end
    now: datetime
    zone: ZoneInfo | None  # the site's timezone (None before a plant is loaded)
    machines: list[MachineNow]


def floor_now(db: sessionmaker[Session], now: datetime, line_code: str | None = None) -> FloorNow:
    calendar = site_calendar(db)
    plant = machines(db, line_code)
    shift = current_shift(list(calendar.shifts), calendar.zone, now) if calendar else None
    if shift is not None:
        name, start, end, breaks = shift.name, shift.start, shift.end, shift.breaks
    else:
        zone = calendar.zone if calendar else None
        local_midnight = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone) if zone else now - timedelta(hours=24)
        name, start, end, breaks = "Today", local_midnight, None, ()
    ids = [m.id for m in plant]
    changes = state_changes(db, ids, start, now + timedelta(microseconds=1))
    counts = count_totals(db, ids, start, now + timedelta(microseconds=1))
    reasons = reason_names(db)
    shift_s = ((end - start).total_seconds() - sum((b - a).total_seconds() for a, b in breaks)) if end else None
    policy = calendar.oee_policy if calendar else "oee_com"
    return FloorNow(name, start, end, now, calendar.zone if calendar else None, [
        _machine_now(db, m, changes[m.id], counts[m.id], start, now, breaks, reasons, shift_s, policy) for m in plant
    ])


def _machine_now(db, machine: Machine, changes, count, start, now, breaks, reasons, shift_s, policy) -> MachineNow:
    latest, since = current_state(changes)
    if since is not None and since < start:
        since = stretch_start(db, changes[0])  # the stretch began before this window: look further back
    account = account_time(changes, start, now, breaks, machine.micro_stop_threshold_s)
    state = latest.state if latest else "no_data"
    reason = latest.reason_code if latest else None
    good, reject = count
    cycle = machine.ideal_cycle_time_s
    ideal_total_s, ideal_good_s = cycle * (good + reject), cycle * good
    by_product = live_ideal_seconds(db, machine.id, cycle, start, now)
    if by_product is not None:  # each product's units at its cycle; targets at the cycle of the current product
        ideal_total_s, ideal_good_s, cycle = by_product
    figures = oee_figures(account + Totals(good=good, reject=reject, ideal_total_s=ideal_total_s,
                                           ideal_good_s=ideal_good_s), policy)
    return MachineNow(
        code=machine.code, name=machine.name, line_code=machine.line_code, line_name=machine.line_name,
        state=state, since=since, reason_code=reason, reason_name=reasons.get(reason) if reason else None,
        good=good, reject=reject,
        target_so_far=int(account.planned_production_s / cycle),
        shift_target=int(shift_s / cycle) if shift_s is not None else None,
        availability=figures.availability, performance=figures.performance, quality=figures.quality,
        oee=figures.oee,
    )
