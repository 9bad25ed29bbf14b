"""Whether a newly trained version becomes active: a pure decision, in words.

- A version that does not beat the naive baseline on its own holdout is rejected: it is kept (its metrics say
  why) but never made active, automatically or by hand.
- The first version that beats its baseline becomes active.
- Later, a candidate replaces the active version only when it beats it on the SAME rows: both are scored on the
  candidate's holdout (the latest weeks) and judged like the baseline is (core.ml.verdict.paired_verdict: a
  higher ROC-AUC in 95 % of paired day resamples and a Brier score not worse). Otherwise it stays a candidate,
  which an admin may still promote.
- The anomaly model has no baseline of its own: the naive guess is flagging minutes at random (lift 1). It
  counts as beating it only with a clear margin on enough evidence (anomaly_beats_chance): flagged minutes come
  in stretches, so a lift of 1.03 over a handful of stretches is chance, not skill.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIVATE, KEEP_AS_CANDIDATE, REJECT = "active", "candidate", "rejected"
MIN_LIFT = 1.5  # long stops follow flagged minutes at least this many times as often as the others ...
MIN_FLAGGED_MINUTES = 30  # ... over at least this many flagged minutes with a known outcome ...
MIN_STRETCHES = 3  # ... in at least this many separate stretches


@dataclass(frozen=True)
class AgainstActive:
    """The candidate judged against the active version on the candidate's holdout."""

    active_version: int
    beats: bool
    sentence: str  # e.g. "beats the active version 3: ROC-AUC 0.81 against 0.77 (...), Brier ..."


def promotion(beats_baseline: bool, baseline_sentence: str, against_active: AgainstActive | None) -> tuple[str, str]:
    """(status, decision): ACTIVATE, KEEP_AS_CANDIDATE or REJECT, and why in words."""
    if not beats_baseline:
        return REJECT, f"Not made active: on its holdout it {baseline_sentence}."
    if against_active is None:
        return ACTIVATE, f"Made active: on its holdout it {baseline_sentence}."
    if against_active.beats:
        return ACTIVATE, (f"Made active: on its holdout it {baseline_sentence}; on the same rows it "
                          f"{against_active.sentence}.")
    return KEEP_AS_CANDIDATE, (f"Kept as a candidate (an admin may promote it): on its holdout it "
                               f"{baseline_sentence}, but on the same rows it {against_active.sentence}.")


def anomaly_beats_chance(metrics: dict) -> bool:
    """Whether an anomaly model's holdout figures (core.ml.anomaly metrics) beat flagging minutes at random."""
    lift = metrics.get("lift")
    return (lift is not None and lift >= MIN_LIFT and metrics.get("lift_minutes_flagged", 0) >= MIN_FLAGGED_MINUTES
            and metrics.get("stretches", 0) >= MIN_STRETCHES)
