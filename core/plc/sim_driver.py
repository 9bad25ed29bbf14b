"""The simulated PLC: answers tag reads from a machine's simulated schedule, like a real controller would.

Counters start at zero when the driver is made (as a PLC's do after a power
cycle) and grow with what the schedule produced since. Trend tags (tags with
no role) read as a motor temperature that warms while the machine runs.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from core.plc.driver import DriverError, TagValue
from core.plc.sim_schedule import BREAKDOWN, CHANGEOVER, RUN, SMALL_STOP, MachineProfile, product_at, schedule

_TICK = timedelta(microseconds=1)
PlannedIntervals = Callable[[datetime, datetime], Sequence[tuple[datetime, datetime]]]


class SimDriver:
    def __init__(self, profile: MachineProfile, tags: dict[str, str], seed: int, planned: PlannedIntervals,
                 clock: Callable[[], datetime], started: datetime | None = None):
        self.profile, self.seed, self.planned, self.clock = profile, seed, planned, clock
        self.tag_roles = {name: role for role, name in tags.items()}
        self._last = started or clock()
        self._good = 0.0
        self._reject = 0.0
        self._temperature = 30.0

    def open(self) -> None:
        pass

    def read(self, tags: list[str]) -> dict[str, TagValue]:
        now = self.clock()
        self._advance(now)
        current = schedule(self.profile, self.seed, now, now + _TICK, self.planned)[0]
        running = current.kind == RUN
        values = {
            "running": running,
            "speed": round(current.rate_per_s * 60, 1) if running else 0.0,  # units per minute
            "good": int(self._good),
            "reject": int(self._reject),
            "faults": (1 << current.fault_bit) if current.kind in (BREAKDOWN, SMALL_STOP) and current.fault_bit is not None else 0,
            "changeover": current.kind == CHANGEOVER,
            "product": product_at(self.profile, self.seed, now),
        }
        self._temperature += ((55.0 if running else 30.0) - self._temperature) * 0.01
        wobble = 0.8 * math.sin(now.timestamp() / 37.0)
        return {tag: TagValue(values[self.tag_roles[tag]]) if tag in self.tag_roles
                else TagValue(round(self._temperature + wobble, 2)) for tag in tags}

    def write(self, values: dict[str, Any]) -> None:
        raise DriverError(f"{self.profile.code}: the simulator's tags are read-only")

    def close(self) -> None:
        pass

    def _advance(self, now: datetime) -> None:
        if now <= self._last:
            return
        for segment in schedule(self.profile, self.seed, self._last, now, self.planned):
            if segment.kind == RUN:
                made = segment.seconds * segment.rate_per_s
                self._good += made * (1 - segment.reject_share)
                self._reject += made * segment.reject_share
        self._last = now
