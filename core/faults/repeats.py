"""Repeat faults: the same fault code `count` times within `within_hours` on one machine (the plant file's
[fault_rules] repeat_faults). A fault that keeps coming back is one a reset does not cure.

Pure: occurrences are (machine, fault code, when it began). Occurrences t[i] .. t[i + count - 1] of one
machine and code make a repeat when t[i + count - 1] - t[i] <= within_hours (the boundary counts). Windows that
share an occurrence are one episode; each episode is reported once, with all its occurrences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable


@dataclass(frozen=True)
class RepeatRule:
    count: int = 3
    within_hours: float = 8.0

    @property
    def label(self) -> str:
        return f"{self.count} times within {self.within_hours:g} h"


@dataclass(frozen=True)
class RepeatFault:
    equipment_code: str
    fault_code: str
    times: tuple[datetime, ...]  # when each occurrence began, in order

    @property
    def count(self) -> int:
        return len(self.times)

    @property
    def first(self) -> datetime:
        return self.times[0]

    @property
    def last(self) -> datetime:
        return self.times[-1]


def repeat_faults(occurrences: Iterable[tuple[str, str, datetime]], rule: RepeatRule) -> list[RepeatFault]:
    """The episodes of repeat faults, most occurrences first, then latest first."""
    by_key: dict[tuple[str, str], list[datetime]] = {}
    for machine, code, began in occurrences:
        by_key.setdefault((machine, code), []).append(began)
    span = timedelta(hours=rule.within_hours)
    found = []
    for (machine, code), times in by_key.items():
        times.sort()
        for first, last in _episodes(times, rule.count, span):
            found.append(RepeatFault(machine, code, tuple(times[first:last + 1])))
    return sorted(found, key=lambda r: (-r.count, -r.last.timestamp(), r.equipment_code, r.fault_code))


def _episodes(times: list[datetime], count: int, span: timedelta) -> list[tuple[int, int]]:
    """(first index, last index) of each run of qualifying windows that share occurrences."""
    episodes: list[list[int]] = []
    for i in range(len(times) - count + 1):
        if times[i + count - 1] - times[i] > span:
            continue
        if episodes and episodes[-1][1] >= i:  # shares an occurrence with the episode before
            episodes[-1][1] = i + count - 1
        else:
            episodes.append([i, i + count - 1])
    return [(a, b) for a, b in episodes]
