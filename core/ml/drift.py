"""Population stability: has a feature's distribution moved away from what the model was trained on?

`drift_reference` keeps, per feature, the shape of its training distribution as plain JSON (stored with the model
version); `population_stability` compares the rows of a later window with it. PSI = sum over bins of
(share now - share then) x ln(share now / share then). Rule of thumb: below 0.1 stable, 0.1-0.25 moving, above
0.25 the model is working on a population it has not seen (the [ml] retrain_psi setting).

Numbers: 10 bins cut at the training deciles (repeated deciles merge, so a feature that is mostly 0 gets fewer
bins), plus "missing" as a bin of its own. Categories: one bin per training level, plus "missing", plus "other" for
levels training never saw. An empty bin counts as EPSILON so the logarithm stays finite.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

EPSILON = 1e-4
BINS = 10


def drift_reference(frame: pd.DataFrame, specs) -> dict:
    """{"rows": n, "features": {name: {"kind": "number", "edges": [...], "shares": [...], "missing": share}
    | {"kind": "category", "levels": [...], "shares": [...], "missing": share}}}; JSON-able (no NaN/inf)."""
    if frame.empty:
        raise ValueError("a drift reference needs training rows; there are none")
    features: dict[str, dict] = {}
    for spec in specs:
        values = frame[spec.name]
        if spec.kind == "category":
            features[spec.name] = _category_reference(values)
        else:
            features[spec.name] = _number_reference(values.to_numpy(dtype=float))
    return {"rows": int(len(frame)), "features": features}


def population_stability(reference: dict, frame: pd.DataFrame) -> dict[str, float]:
    """PSI per feature between the reference and the rows of `frame`.

    Features missing on either side are left out (a fault code that appeared after training has no reference).
    An empty frame gives an empty dict: there is nothing to compare, and no figure is made up.
    """
    if frame.empty:
        return {}
    out: dict[str, float] = {}
    for name, ref in reference["features"].items():
        if name not in frame.columns:
            continue
        expected = np.asarray(ref["shares"] + [ref["missing"]], dtype=float)
        if ref["kind"] == "category":
            actual = _category_shares(frame[name], ref["levels"])
            expected = np.r_[expected, 0.0]  # the "other" bin: levels never seen in training
        else:
            actual = _number_shares(frame[name].to_numpy(dtype=float), ref["edges"])
        out[name] = psi(expected, actual)
    return out


def psi(expected, actual) -> float:
    """PSI between two share vectors over the same bins (each sums to 1); empty bins count as EPSILON."""
    e = np.maximum(np.asarray(expected, dtype=float), EPSILON)
    a = np.maximum(np.asarray(actual, dtype=float), EPSILON)
    return float(np.sum((a - e) * np.log(a / e)))


def _number_reference(x: np.ndarray) -> dict:
    known = x[~np.isnan(x)]
    edges = sorted(set(np.quantile(known, np.arange(1, BINS) / BINS).tolist())) if len(known) else []
    edges = [e for e in edges if math.isfinite(e)]
    shares = _number_shares(x, edges)
    return {"kind": "number", "edges": edges, "shares": shares[:-1].tolist(), "missing": float(shares[-1])}


def _number_shares(x: np.ndarray, edges: list[float]) -> np.ndarray:
    """Shares in the bins (-inf, e1], (e1, e2], ..., (e_last, inf), then the share missing."""
    missing = np.isnan(x)
    bins = np.searchsorted(np.asarray(edges, dtype=float), x[~missing], side="left")
    counts = np.bincount(bins, minlength=len(edges) + 1).astype(float)
    return np.r_[counts, missing.sum()] / len(x)


def _category_reference(values: pd.Series) -> dict:
    counts = values.astype(object).value_counts(dropna=True).sort_index(key=lambda i: i.astype(str))
    levels = [str(level) for level in counts.index]
    shares = (counts.to_numpy(dtype=float) / len(values)).tolist()
    return {"kind": "category", "levels": levels, "shares": shares, "missing": float(values.isna().mean())}


def _category_shares(values: pd.Series, levels: list[str]) -> np.ndarray:
    """Shares of the reference levels in order, then missing, then other (levels training never saw)."""
    known = values.dropna().astype(str)
    counts = known.value_counts()
    per_level = np.array([counts.get(level, 0) for level in levels], dtype=float)
    other = len(known) - per_level.sum()
    return np.r_[per_level, values.isna().sum(), other] / len(values)
