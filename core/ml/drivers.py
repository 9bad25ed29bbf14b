"""Why the model gives a machine its risk: the features whose current value raises it most, in plant words.

Asked of the model itself, one feature at a time: put that feature back to its usual training value (the median
of a number, the most common level of a category) and see how far the probability falls. The features with the
largest fall are the drivers; a feature whose usual value would give a higher risk is not a driver and is left
out. A fault code's 1 h and 24 h counts ("faults_1h:F12", "faults_24h:F12") are moved together as one driver, so
the same fault does not take two of the three places.

All rows and all variations go through the model in one batch (a few thousand rows for a whole plant), which
keeps scoring every machine well under a second.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from core.ml.views import Driver

TOP = 3
# Rows x variations per predict call: bounds memory when a long history is scored with drivers.
BATCH_CELLS = 200_000
# A fall smaller than two percentage points is shown as no reason: it would read as one, but it is noise.
MIN_EFFECT = 0.02
_WINDOWED = re.compile(r"^(?P<stem>.+)_\d+h:(?P<key>.+)$")


def reference_values(frame: pd.DataFrame, specs) -> dict[str, object]:
    """Usual training value per feature: median of a number, most common level of a category (NaN if none)."""
    out: dict[str, object] = {}
    for spec in specs:
        values = frame[spec.name]
        if spec.kind == "category":
            counts = values.astype(object).value_counts(dropna=True)
            out[spec.name] = counts.index[0] if len(counts) else np.nan
        else:
            x = values.to_numpy(dtype=float)
            out[spec.name] = float(np.median(x[~np.isnan(x)])) if (~np.isnan(x)).any() else np.nan
    return out


def words(spec) -> Callable[[object, dict], str]:
    """`spec.describe` as f(value, row); the row (the other features of that moment) is passed when describe
    takes it (e.g. to name the shift in "7.5 hours into the Day shift")."""
    try:
        takes_row = len(inspect.signature(spec.describe).parameters) >= 2
    except (TypeError, ValueError):
        takes_row = False
    if takes_row:
        return lambda value, row: spec.describe(value, row)
    return lambda value, row: spec.describe(value)


def feature_groups(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Features that move together: the windows of one windowed count (e.g. a fault code), else one each."""
    groups: dict[str, list[str]] = {}
    for name in names:
        match = _WINDOWED.match(name)
        key = f"{match['stem']}:{match['key']}" if match else name
        groups.setdefault(key, []).append(name)
    return [tuple(members) for members in groups.values()]


def explain(
    predict: Callable[[pd.DataFrame], np.ndarray],
    X: pd.DataFrame,
    references: dict[str, object],
    describe: dict[str, Callable[[object, dict], str]],
    top: int = TOP,
) -> tuple[np.ndarray, list[tuple[Driver, ...]]]:
    """(probability per row, drivers per row) for the model rows `X` (columns = the model's features).

    `predict` maps a frame like X to probabilities; `describe` gives plant words per feature for a row's value
    (see `words`). In a group only the members away from their usual value are described.
    """
    groups = feature_groups(list(X.columns))
    probabilities = np.empty(len(X), dtype=float)
    drivers: list[tuple[Driver, ...]] = []
    step = max(1, BATCH_CELLS // (len(groups) + 1))
    for start in range(0, len(X), step):
        chunk = X.iloc[start : start + step]
        base, effects = _effects(predict, chunk, groups, references)
        probabilities[start : start + len(chunk)] = base
        for i in range(len(chunk)):
            drivers.append(_top(chunk.iloc[i], effects[:, i], groups, references, describe, top))
    return probabilities, drivers


def _effects(predict, chunk: pd.DataFrame, groups, references) -> tuple[np.ndarray, np.ndarray]:
    """Probability of each row as it is, and its fall when each group is set to its reference (groups x rows)."""
    n = len(chunk)
    varied = pd.concat([chunk] * (len(groups) + 1), ignore_index=True)
    positions = {name: varied.columns.get_loc(name) for name in chunk.columns}
    for g, members in enumerate(groups, start=1):
        block = slice(g * n, (g + 1) * n)
        for name in members:
            varied.iloc[block, positions[name]] = references[name]
    p = predict(varied).reshape(len(groups) + 1, n)
    return p[0], p[0][None, :] - p[1:]


def _top(row: pd.Series, effects: np.ndarray, groups, references, describe, top: int) -> tuple[Driver, ...]:
    order = np.argsort(-effects, kind="stable")
    out: list[Driver] = []
    values = {name: _plain(value) for name, value in row.items()}
    for g in order[:top]:
        if not effects[g] > MIN_EFFECT:
            break
        members = [name for name in groups[g] if not _same(values[name], references[name])] or list(groups[g])
        text = _joined([describe[name](values[name], values) for name in members])
        out.append(Driver(feature=",".join(members), text=text, effect=float(effects[g])))
    return tuple(out)


def _joined(texts: list[str]) -> str:
    """Words of a group said once: "fault F12 (Photo-eye fault) once in the last hour, twice in the last 24 hours"."""
    if len(texts) == 1:
        return texts[0]
    words = [text.split(" ") for text in texts]
    shared = 0
    while all(len(w) > shared + 1 and w[shared] == words[0][shared] for w in words):
        shared += 1
    return " ".join(words[0][:shared] + [", ".join(" ".join(w[shared:]) for w in words)])


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b


def _plain(value: object) -> object:
    """A row's value as plain Python (NaN stays NaN), for FeatureSpec.describe."""
    if isinstance(value, np.generic):
        return value.item()
    return value
