"""Which escalation levels are due for which andon calls: a pure function of (calls, rules, what was sent, now).

Levels of the `raised` phase count from the call's creation while it is open;
levels of the `acknowledged` phase count from its acknowledgement while it is
acknowledged; a resolved call is due nothing. A level is due once: the caller
passes what was already sent (stored in the database), so a restart repeats
nothing, and a level missed while the jobs process was down is sent when it
comes back.

A level is identified by its phase and `after_minutes`, so editing the rules makes
new levels. When the rules change, every level of the new rules whose time a
call has already passed and that the call was not told of (`passed_at_rule_change`)
is stored as `skipped`: only levels that fall due after the change are sent. So
moving level 2 from 10 to 12 minutes tells a call 15 minutes old nobody again, and
adding a level resends nothing (a call already past the new level skips it; a call
not yet there is told when it gets there). A level moved later than a call's age
is a level still to come for that call and is sent when it falls due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Level:
    after_minutes: float
    notify: tuple[str, ...]
    channels: tuple[str, ...] = ("app", "email")
    after: str = "raised"  # or "acknowledged"


@dataclass(frozen=True)
class CallClock:
    id: int
    priority: str
    status: str
    raised_at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class DueLevel:
    call_id: int
    phase: str
    level: int  # index within the phase, for people
    after_minutes: float  # what identifies the level: inserting another level does not renumber what was sent
    notify: tuple[str, ...]
    channels: tuple[str, ...]


def phase_levels(levels: Sequence[Level], phase: str) -> list[Level]:
    return sorted((level for level in levels if level.after == phase), key=lambda level: level.after_minutes)


def due_levels(calls: Iterable[CallClock], rules: Mapping[str, Sequence[Level]],
               sent: set[tuple[int, str, float]], now: datetime) -> list[DueLevel]:
    """`sent` holds (call id, phase, after_minutes) of every level already notified."""
    due = []
    for call in calls:
        if call.status == "open":
            phase, since = "raised", call.raised_at
        elif call.status == "acknowledged" and call.acknowledged_at is not None:
            phase, since = "acknowledged", call.acknowledged_at
        else:
            continue
        for index, level in enumerate(phase_levels(rules.get(call.priority, ()), phase)):
            if (call.id, phase, level.after_minutes) not in sent and \
                    since + timedelta(minutes=level.after_minutes) <= now:
                due.append(DueLevel(call.id, phase, index, level.after_minutes, level.notify, level.channels))
    return due


def passed_at_rule_change(calls: Iterable[CallClock], new_rules: Mapping[str, Sequence[Level]],
                          sent: set[tuple[int, str, float]], now: datetime) -> list[DueLevel]:
    """The levels of `new_rules` that the calls passed before the rules changed at `now` without being told:
    they are marked skipped rather than sent late (see the module docstring)."""
    return due_levels(calls, new_rules, sent, now)
