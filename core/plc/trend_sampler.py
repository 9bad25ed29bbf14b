"""What of a tag's raw values is kept for trends: a value that moved beyond the tag's deadband since the last
kept one, and for every minute the minimum, maximum and mean of all reads. Pure bookkeeping, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.plc.driver import TagValue


@dataclass
class _Minute:
    start: int
    minimum: float
    maximum: float
    total: float
    reads: int = 1


@dataclass(frozen=True)
class MinuteSummary:
    equipment_id: int
    tag: str
    minute_epoch: int
    minimum: float
    maximum: float
    mean: float
    reads: int


def numeric(value: object) -> float | None:
    """A trendable number: booleans as 0/1, finite numbers as they are; text (a product code), NaN and
    infinities (a REAL tag the PLC has not set) are not trended."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


@dataclass
class TrendSampler:
    _kept: dict[tuple[int, str], float] = field(default_factory=dict)
    _minutes: dict[tuple[int, str], _Minute] = field(default_factory=dict)

    def observe(self, equipment_id: int, values: dict[str, TagValue], deadbands: dict[str, float],
                at_epoch: float) -> tuple[dict[str, float], list[MinuteSummary]]:
        """The samples to keep from this read, and the minutes this read closed."""
        samples, closed = {}, []
        minute = int(at_epoch // 60) * 60
        for tag, tag_value in values.items():
            number = numeric(tag_value.value) if tag_value.good else None
            if number is None:
                continue
            key = (equipment_id, tag)
            last = self._kept.get(key)
            if last is None or abs(number - last) > deadbands.get(tag, 0.0):
                samples[tag] = self._kept[key] = number
            current = self._minutes.get(key)
            if current is not None and current.start == minute:
                current.minimum, current.maximum = min(current.minimum, number), max(current.maximum, number)
                current.total += number
                current.reads += 1
                continue
            if current is not None and current.start < minute:
                closed.append(MinuteSummary(equipment_id, tag, current.start, current.minimum, current.maximum,
                                            current.total / current.reads, current.reads))
            self._minutes[key] = _Minute(minute, number, number, number)
        return samples, closed
