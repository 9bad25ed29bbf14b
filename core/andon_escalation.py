"""Which escalation levels are due for which andon calls: a pure function of (calls, rules, what was sent, now).

Levels of the `raised` phase count from the call's creation while it is open;
levels of the `acknowledged` phase count from its acknowledgement while it is
acknowledged; a resolved call is due nothing. A level is due once: the caller
passes what was already sent (stored in the database), so a restart repeats
nothing, and a level missed while the jobs process was down is sent when it
comes back.
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
