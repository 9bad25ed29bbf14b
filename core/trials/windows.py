"""The stretches of time a trial is judged on: its own window, and the baseline it is compared with (pure rules).

The baseline is the same line over the BASELINE_DAYS days just before the trial's actual start, a window
[start - 14 days, start). It is taken whole: other trials on the line inside it are not cut out (they are
named beside the comparison instead), nor are weekends or shifts that did not run, since OEE counts only planned
production time anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

BASELINE_DAYS = 14


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


def trial_span(actual_start: datetime | None, actual_end: datetime | None, now: datetime) -> Span | None:
    """From the actual start to the actual end, or to `now` while the trial runs; None before it started
    (or when it has lasted no time yet)."""
    if actual_start is None:
        return None
    end = actual_end if actual_end is not None else now
    return Span(actual_start, end) if end > actual_start else None


def baseline_span(trial_start: datetime, days: int = BASELINE_DAYS) -> Span:
    """The `days` days just before the trial started, its start excluded."""
    return Span(trial_start - timedelta(days=days), trial_start)
