"""Spreading a stretch's good and reject units over it by time, cut where report windows meet.

The cuts are the edges every window Floorboard reports on has: UTC hours (the hourly roll-ups), local midnight
(days) and the local start and end of every shift. The units of a piece are counted at its start, which lies in
the same windows as the whole piece, so a job across midnight counts on both days and a shift gets the units
made in it, while a stretch inside one hour and one shift stays one count row. (At its start, not its middle:
the start is a moment the batch already has, a state change's or a cut's, so it is converted for the store
once.) The cuts of each UTC day are worked out once and kept.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

DAY_S = 86_400
LONGEST = timedelta(days=92)  # a longer stretch is a log's mistake: its units are counted at its start, uncut
HOUR_S = 3600


class CountSpreader:
    def __init__(self, zone: ZoneInfo, shift_times: Iterable[time] = ()):
        self.zone = zone
        self.local_edges = sorted({time(0, 0), *shift_times})
        self._days: dict[int, list[float]] = {}  # UTC day number -> its cuts, in seconds since 1970

    def pieces(self, start: datetime, end: datetime, good: int, reject: int) -> list[tuple[datetime, int, int]]:
        """(moment, good, reject) per piece, whole units, the totals exact; none for a stretch without units."""
        if good == 0 and reject == 0:
            return []
        if end <= start or end - start > LONGEST:
            return [(start, good, reject)]
        cuts = self.cuts(start, end)
        if not cuts:
            return [(start, good, reject)]
        bounds = [start, *cuts, end]
        total = (end - start).total_seconds()
        shares = [(b - a).total_seconds() / total for a, b in zip(bounds, bounds[1:])]
        goods, rejects = apportion(good, shares), apportion(reject, shares)
        return [(a, g, r) for a, g, r in zip(bounds, goods, rejects) if g or r]

    def cuts(self, start: datetime, end: datetime) -> list[datetime]:
        """The cuts strictly between `start` and `end`, in time order."""
        first, last = start.timestamp(), end.timestamp()
        found = []
        for day in range(int(first // DAY_S), int(last // DAY_S) + 1):
            edges = self._day(day)
            found += edges[bisect_right(edges, first):bisect_left(edges, last)]
        return [datetime.fromtimestamp(moment, timezone.utc) for moment in found]

    def _day(self, day: int) -> list[float]:
        edges = self._days.get(day)
        if edges is None:
            begin = day * DAY_S
            moments = {begin + hour * HOUR_S for hour in range(24)}
            midnight = datetime.fromtimestamp(begin, timezone.utc).astimezone(self.zone).date()
            for local_day in (midnight - timedelta(days=1), midnight, midnight + timedelta(days=1)):
                for edge in self.local_edges:
                    moment = datetime.combine(local_day, edge, tzinfo=self.zone).timestamp()
                    if begin <= moment < begin + DAY_S:
                        moments.add(moment)
            edges = self._days[day] = sorted(moments)
        return edges


def apportion(units: int, shares: list[float]) -> list[int]:
    """Whole units per piece, in proportion to `shares`, the total exact: each piece takes the units whose
    running total it reaches, so a few units over many pieces are spread out, not heaped on the first ones."""
    whole, reached, cumulative = [], 0, 0.0
    for index, share in enumerate(shares):
        cumulative += share
        upto = units if index == len(shares) - 1 else min(units, math.floor(units * cumulative + 0.5))
        whole.append(upto - reached)
        reached = upto
    return whole
