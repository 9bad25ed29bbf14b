"""First-pass yield. Pure.

For one machine over a window [start, end):

    FPY = good / (good + reject)

where good and reject are the units in the machine's count increments in the window, every writer included
(PLC, API, sync, and the moves scrap entries make: a scrap entry on a machine without its own reject counting
writes good = -q, reject = +q at its time, see core.quality). Written out with the machine's own counts
G and R and the scrap S moved by such entries:

    FPY = (G - S) / (G + R)

The units made stay G + R: scrap changes which of them came through right the first time, not how many were
made. This is the OEE quality factor of the same window (oee.com's good count is "good first time"), taken
over all units, planned time or not. No units: no FPY (None, not 0).

For a line the units pass its machines in turn, so its first-pass yield is the rolled throughput yield, the
chance that a unit passes every machine first time: the product of its machines' FPY (machines that made no
unit in the window are left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Iterable


@dataclass(frozen=True)
class YieldFigures:
    good: int
    reject: int

    @property
    def total(self) -> int:
        return self.good + self.reject

    @property
    def first_pass_yield(self) -> float | None:
        return first_pass_yield(self.good, self.reject)


def first_pass_yield(good: int, reject: int) -> float | None:
    """good / (good + reject); None when nothing was made."""
    total = good + reject
    return good / total if total > 0 else None


def rolled_throughput_yield(yields: Iterable[float | None]) -> float | None:
    """The product of the machines' first-pass yields (None ones left out); None when no machine made units."""
    known = [value for value in yields if value is not None]
    return prod(known) if known else None
