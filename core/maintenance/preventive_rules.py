"""When a preventive plan falls due, as pure functions of the machine's data and `now`.

A plan counts from its last completed order (or, never done, from when it was first loaded):
- calendar: it falls due `interval` days after that;
- run hours: at the moment the machine's time in the `running` state since then reaches `interval` hours
  (state changes as the OEE engine reads them: a state holds until the next change; `no_data` and every stop
  state count nothing, a change stamped after `now` is not yet known);
- cycles: at the count increment that brings the units made since then (good + reject: every cycle wears the
  machine) to `interval`.
An order made for it is overdue once `grace_days` have passed since the plan fell due and it is not done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

TRIGGERS = ("calendar", "run_hours", "cycles")
UNITS = {"calendar": "days", "run_hours": "run hours", "cycles": "cycles"}


@dataclass(frozen=True)
class PlanDue:
    fell_due_at: datetime  # when the interval was reached
    due_at: datetime  # the work is overdue after this


def calendar_falls_due(since: datetime, every_days: float) -> datetime:
    return since + timedelta(days=every_days)


def running_seconds(changes: Sequence[tuple[datetime, str]], since: datetime, until: datetime) -> float:
    """Seconds in `running` within [since, until); `changes` are (at, state) in time order, the one in force at
    `since` included."""
    total = 0.0
    for (at, state), following in zip(changes, [*changes[1:], (None, None)]):
        start, end = max(at, since), min(following[0] or until, until)
        if state == "running" and end > start:
            total += (end - start).total_seconds()
    return total


def run_hours_crossing(changes: Sequence[tuple[datetime, str]], since: datetime, now: datetime,
                       hours: float) -> datetime | None:
    """The moment the time in `running` since `since` reached `hours`, or None when it has not by `now`."""
    left = hours * 3600.0
    for (at, state), following in zip(changes, [*changes[1:], (None, None)]):
        start, end = max(at, since), min(following[0] or now, now)
        if state != "running" or end <= start:
            continue
        length = (end - start).total_seconds()
        if length >= left:
            return start + timedelta(seconds=left)
        left -= length
    return None


def cycles_crossing(counts: Sequence[tuple[datetime, int]], units: float) -> datetime | None:
    """The moment of the increment that brought the units counted (since the plan's start, in time order) to
    `units`, or None when they have not reached it."""
    made = 0
    for at, increment in counts:
        made += increment
        if made >= units:
            return at
    return None


def plan_due(trigger: str, interval: float, grace_days: float, since: datetime, now: datetime,
             changes: Sequence[tuple[datetime, str]] = (), counts: Sequence[tuple[datetime, int]] = ()
             ) -> PlanDue | None:
    """When the plan fell due (and when its work is overdue), or None when it is not due at `now`.
    `changes` are needed for run hours, `counts` for cycles (only those at or after `since`, before `now`)."""
    if trigger == "calendar":
        fell = calendar_falls_due(since, interval)
        fell = fell if fell <= now else None
    elif trigger == "run_hours":
        fell = run_hours_crossing(changes, since, now, interval)
    elif trigger == "cycles":
        fell = cycles_crossing([(at, units) for at, units in counts if since <= at < now], interval)
    else:
        raise ValueError(f"unknown trigger {trigger!r}; triggers are {', '.join(TRIGGERS)}")
    return None if fell is None else PlanDue(fell, fell + timedelta(days=grace_days))


def is_overdue(due_at: datetime | None, state: str, now: datetime) -> bool:
    """Preventive work whose due time has passed and that is not done."""
    return due_at is not None and state != "done" and due_at < now
