"""Holdout figures of one scorer: ROC-AUC, Brier score and precision among the k riskiest machines.

The same functions measure the model, the naive baseline and, later, the predictions that were actually stored,
so the three are comparable. A figure that cannot be computed (one class only, no rows, no moment with k machines)
is None: a number is never made up to fill the gap.
"""

from __future__ import annotations

import numpy as np

from core.ml.views import Metrics


def _arrays(labels, probabilities) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    if y.shape != p.shape or y.ndim != 1:
        raise ValueError(f"labels and probabilities must be two equal 1-D sequences, got {y.shape} and {p.shape}")
    if np.isnan(y).any():
        raise ValueError("labels hold unknown outcomes (NaN): drop rows whose outcome is not known yet")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("labels must be 1 (stopped) or 0 (did not stop)")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("probabilities must lie between 0 and 1")
    return y, p


def roc_auc(labels, probabilities) -> float | None:
    """Area under the ROC curve (ties count one half); None when the rows hold only one class."""
    y, p = _arrays(labels, probabilities)
    return weighted_roc_auc(y, p, np.ones((1, len(y))))[0]


def weighted_roc_auc(y: np.ndarray, p: np.ndarray, weights: np.ndarray) -> list[float | None]:
    """ROC-AUC once per row of `weights` (n_sets x n_rows, e.g. how often a bootstrap drew each row).

    The Mann-Whitney form: the chance that a random positive scores above a random negative, ties one half. One
    sort serves every weight set, so 500 bootstrap resamples of a holdout cost about as much as a few sorts.
    """
    if len(y) == 0:
        return [None] * len(weights)
    order = np.argsort(p, kind="stable")
    p_sorted, y_sorted, w_sorted = p[order], y[order], weights[:, order]
    starts = np.flatnonzero(np.r_[True, p_sorted[1:] != p_sorted[:-1]])
    pos = np.add.reduceat(w_sorted * y_sorted, starts, axis=1)
    neg = np.add.reduceat(w_sorted * (1.0 - y_sorted), starts, axis=1)
    neg_below = np.cumsum(neg, axis=1) - neg
    pos_total, neg_total = pos.sum(axis=1), neg.sum(axis=1)
    wins = (pos * (neg_below + 0.5 * neg)).sum(axis=1)
    out: list[float | None] = []
    for won, n_pos, n_neg in zip(wins, pos_total, neg_total):
        out.append(float(won / (n_pos * n_neg)) if n_pos > 0 and n_neg > 0 else None)
    return out


def brier(labels, probabilities) -> float | None:
    """Mean squared gap between the probability and what happened; None without rows. Lower is better."""
    y, p = _arrays(labels, probabilities)
    return float(np.mean((p - y) ** 2)) if len(y) else None


def precision_at_k(moments, labels, probabilities, k: int) -> float | None:
    """At each moment, the share of the k machines ranked riskiest that really stopped, averaged over the moments.

    Moments with fewer than k machines are left out (the top k would be everyone); None when none is left. Equal
    probabilities are ranked by row order, so the figure does not depend on chance.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    y, p = _arrays(labels, probabilities)
    at = np.asarray(moments, dtype=float)
    if at.shape != y.shape:
        raise ValueError("moments must have one entry per label")
    if not len(y):
        return None
    order = np.lexsort((np.arange(len(y)), -p, at))
    at_sorted = at[order]
    starts = np.flatnonzero(np.r_[True, at_sorted[1:] != at_sorted[:-1]])
    sizes = np.diff(np.r_[starts, len(at_sorted)])
    group = np.repeat(np.arange(len(starts)), sizes)
    rank = np.arange(len(at_sorted)) - starts[group]
    chosen = (rank < k) & (sizes[group] >= k)
    eligible = int((sizes >= k).sum())
    if eligible == 0:
        return None
    return float(y[order][chosen].sum() / (k * eligible))


def measure(moments, labels, probabilities, k: int) -> Metrics:
    """All figures of one scorer on one set of rows (labels known)."""
    y, p = _arrays(labels, probabilities)
    return Metrics(
        rows=int(len(y)),
        positives=int(y.sum()),
        roc_auc=roc_auc(y, p),
        brier=brier(y, p),
        precision_at_k=precision_at_k(moments, y, p, k),
        k=int(k),
    )
