"""A trial's OEE beside its line's baseline: availability, performance, quality and OEE, with the differences.

Both come from the OEE service (core.oee.service.oee_for) for the trial's line: the trial over its own window
(actual start to actual end, or to now while it runs), the baseline over the days before it started
(core.trials.windows). A figure with no planned production time behind it is None, and so is its difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.oee.figures import OeeFigures
from core.oee.service import Scope, Window, oee_for
from core.trials.views import TrialView, get_trial, list_trials
from core.trials.windows import BASELINE_DAYS, Span, baseline_span, trial_span

MEASURES = ("availability", "performance", "quality", "oee")


@dataclass(frozen=True)
class MeasureComparison:
    measure: str
    trial: float | None
    baseline: float | None

    @property
    def delta(self) -> float | None:
        """Trial minus baseline (fractions: +0.05 is five points better), None when either is missing."""
        return None if self.trial is None or self.baseline is None else self.trial - self.baseline


@dataclass(frozen=True)
class TrialComparison:
    trial: TrialView
    trial_span: Span | None
    baseline_span: Span | None
    measures: tuple[MeasureComparison, ...]
    trial_planned_s: float | None = None
    baseline_planned_s: float | None = None
    overlapping: tuple[str, ...] = ()  # other trials on the line that ran inside the baseline
    baseline_days: int = BASELINE_DAYS


def compare_measures(trial: OeeFigures | None, baseline: OeeFigures | None) -> tuple[MeasureComparison, ...]:
    """A, P, Q and OEE of the trial and of the baseline, side by side."""
    return tuple(MeasureComparison(m, getattr(trial, m) if trial else None, getattr(baseline, m) if baseline else None)
                 for m in MEASURES)


def compare_with_baseline(db: sessionmaker[Session], trial_id: int, now: datetime) -> TrialComparison:
    """The trial's figures against its line's baseline; before the trial started there is nothing to compare."""
    trial = get_trial(db, trial_id)
    span = trial_span(trial.actual_start, trial.actual_end, now)
    if span is None:
        return TrialComparison(trial, None, None, compare_measures(None, None))
    baseline = baseline_span(span.start)
    scope = Scope(line=trial.line_code)
    during = oee_for(db, scope, Window(span.start, span.end, f"trial {trial.id}"), now).figures
    before = oee_for(db, scope, Window(baseline.start, baseline.end, f"baseline of trial {trial.id}"), now).figures
    return TrialComparison(trial, span, baseline, compare_measures(during, before), during.planned_production_time_s,
                           before.planned_production_time_s, _overlapping(db, trial, baseline, now))


def _overlapping(db: sessionmaker[Session], trial: TrialView, baseline: Span, now: datetime) -> tuple[str, ...]:
    found = []
    for other in list_trials(db, line_code=trial.line_code):
        span = trial_span(other.actual_start, other.actual_end, now)
        if other.id != trial.id and span is not None and span.overlaps(baseline):
            found.append(other.title)
    return tuple(found)
