"""Does a scorer beat another on the same holdout? Decided so that luck rarely says yes.

Consecutive hours of one machine share their stops, so rows are not independent; days nearly are. The holdout's
days are therefore resampled with replacement (a paired bootstrap: both scorers are judged on the same resampled
rows), and the candidate beats the other only if its ROC-AUC is higher in at least 95 % of the resamples, is above
0.5 (chance) in at least 95 % of them too (beating a baseline that happens to rank worse than chance on the test
days proves nothing), AND its Brier score on the whole holdout is not worse (a model that ranks well but states
wrong probabilities does not earn its place). The sentence says which figures decided it, in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.ml.metrics import weighted_roc_auc
from core.ml.time_split import DAY_S
from core.ml.views import Metrics

RESAMPLES = 500
CONFIDENCE = 0.95
FEW_DAYS = 7  # fewer test days than this: the resamples can only reshuffle a handful of days, and the words say so
SEED = 0
CHUNK = 50


@dataclass(frozen=True)
class Verdict:
    beats: bool
    auc_wins: float | None  # share of resamples in which the candidate's ROC-AUC was higher; None: not measurable
    resamples: int
    days: int
    sentence: str  # "beats the baseline: ROC-AUC 0.78 against 0.61 (...), Brier 0.141 against 0.163"


def paired_verdict(
    at,
    labels,
    candidate,
    other,
    candidate_metrics: Metrics,
    other_metrics: Metrics,
    *,
    other_name: str = "the baseline",
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Verdict:
    """Candidate probabilities against `other`'s on the same rows (labels known, moments `at` in epoch s)."""
    at = np.asarray(at, dtype=float)
    y = np.asarray(labels, dtype=float)
    p_candidate = np.asarray(candidate, dtype=float)
    p_other = np.asarray(other, dtype=float)
    day_values, day_of_row = np.unique(np.floor(at / DAY_S), return_inverse=True)
    n_days = len(day_values)
    a, b = candidate_metrics, other_metrics
    if a.roc_auc is None or b.roc_auc is None or a.brier is None or b.brier is None:
        return Verdict(
            False, None, 0, n_days,
            f"does not beat {other_name}: the test rows hold {a.positives} stop(s) in {a.rows} rows, so ROC-AUC "
            "cannot be measured (it needs machines that stopped and machines that did not)",
        )
    draws = np.random.default_rng(seed).integers(0, n_days, size=(resamples, n_days))
    day_weights = np.stack([np.bincount(d, minlength=n_days) for d in draws]).astype(float)
    won = above_chance = 0
    for start in range(0, resamples, CHUNK):  # a chunk of resamples at a time keeps memory to a few MB
        row_weights = day_weights[start : start + CHUNK, day_of_row]
        auc_a = weighted_roc_auc(y, p_candidate, row_weights)
        auc_b = weighted_roc_auc(y, p_other, row_weights)
        won += sum(1 for x, z in zip(auc_a, auc_b) if x is not None and z is not None and x > z)
        above_chance += sum(1 for x in auc_a if x is not None and x > 0.5)
    wins, chance_wins = won / resamples, above_chance / resamples
    auc_ok, chance_ok, brier_ok = wins >= CONFIDENCE, chance_wins >= CONFIDENCE, a.brier <= b.brier
    figures = (
        f"ROC-AUC {a.roc_auc:.2f} against {b.roc_auc:.2f} (higher in {wins:.0%} of {resamples} resamples of the "
        f"{n_days} test day(s); {CONFIDENCE:.0%} needed), Brier {a.brier:.3f} against {b.brier:.3f}"
    ) + (f"; {n_days} test day(s) are little evidence: the verdict firms up as history grows"
         if n_days < FEW_DAYS else "")
    if auc_ok and chance_ok and brier_ok:
        return Verdict(True, wins, resamples, n_days, f"beats {other_name}: {figures}")
    reasons = []
    if not auc_ok:
        reasons.append("its ranking is not better with enough confidence")
    elif not chance_ok:
        # Beating a scorer that ranks worse than chance on these days proves nothing about the candidate.
        reasons.append(f"its ranking is not better than chance with enough confidence (above 0.5 in {chance_wins:.0%})")
    if not brier_ok:
        reasons.append("its probabilities are less accurate (higher Brier)")
    return Verdict(False, wins, resamples, n_days, f"does not beat {other_name}: {figures}; {' and '.join(reasons)}")
