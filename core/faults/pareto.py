"""The fault Pareto: per fault code, how often it stopped a machine and for how long, longest first.

Every stop carrying a fault code counts, small stops included (a jam of 30 seconds, forty times a shift, is
what an engineer looks for): occurrences are the stops that began in the window, time is their counted
seconds (inside the window and planned time, core.faults.counted_stops).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from core.faults.counted_stops import CountedStop


@dataclass(frozen=True)
class FaultBar:
    fault_code: str
    text: str
    occurrences: int
    seconds: float
    small_stops: int  # of the occurrences, how many were small stops


def fault_pareto(stops: Sequence[CountedStop], texts: Mapping[str, str]) -> list[FaultBar]:
    """One bar per fault code seen in the window, by time then occurrences, most first."""
    bars: dict[str, list] = {}
    for stop in stops:
        if not stop.fault_code or stop.kind == "break":
            continue
        bar = bars.setdefault(stop.fault_code, [0, 0.0, 0])
        bar[0] += int(stop.began_in_window)
        bar[1] += stop.counted_s
        bar[2] += int(stop.began_in_window and stop.kind == "small_stop")
    found = [FaultBar(code, texts.get(code, "not in the fault catalog"), n, seconds, small)
             for code, (n, seconds, small) in bars.items() if n or seconds > 0]
    return sorted(found, key=lambda b: (-b.seconds, -b.occurrences, b.fault_code))
