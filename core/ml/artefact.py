"""What a trained downtime-risk version is made of, stored (joblib) in the model registry.

Everything needed to score new rows exactly as the training rows were seen: the fitted trees, the feature names in
order, the levels each category column had in training (a level seen only later, e.g. a new product, becomes
"unknown" instead of being confused with another level), the fitted baseline, the usual value of each feature
(for the drivers) and the settings that defined the label. No functions or lambdas: it must pickle.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from core.ml.baseline import HourlyRateBaseline


@dataclass(frozen=True)
class RiskArtefact:
    model: object  # sklearn HistGradientBoostingClassifier
    features: tuple[str, ...]  # the model's input columns, in order
    kinds: dict[str, str]  # feature -> "number" | "category"
    category_levels: dict[str, tuple]  # category feature -> its training levels
    baseline: HourlyRateBaseline | None
    references: dict[str, object]  # feature -> usual training value (drivers)
    settings: object  # core.plant.config_ml.MlSettings the labels were built with
    iterations: int  # boosting rounds
    sklearn_version: str
    unused: tuple[str, ...] = ()  # features of the dataset left out: never known in the training rows

    def with_fit(self, **fitted) -> RiskArtefact:
        return replace(self, **fitted)

    def model_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The model's input: its features in training order, categories recast to the training levels.

        A feature the frame lacks (e.g. a fault code column a later dataset does not carry) is unknown (NaN).
        """
        columns: dict[str, object] = {}
        for name in self.features:
            if self.kinds[name] == "category":
                levels = list(self.category_levels[name])
                values = frame[name].astype(object) if name in frame.columns else pd.Series(np.nan, frame.index)
                columns[name] = pd.Categorical(values.where(values.isin(levels)), categories=levels)
            else:
                columns[name] = frame[name].to_numpy(dtype=float) if name in frame.columns else np.nan
        return pd.DataFrame(columns, index=frame.index)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of a stop for rows already made by `model_rows`."""
        if not len(X):
            return np.empty(0)
        with one_thread():
            return self.model.predict_proba(X)[:, 1]


# The trees' OpenMP threads spin while they wait; on a busy host (the scheduler beside the web workers, or tests
# beside each other) that made training 50 machines x 90 days take 92 s instead of 16 s on one thread, and a small
# fit ten times slower. One thread it is: predictable, and within the training budget.
def one_thread() -> AbstractContextManager:
    return threadpool_limits(limits=1, user_api="openmp")


def category_levels(values: pd.Series) -> tuple:
    """The levels a category column takes in these rows (its dtype's levels restricted to those seen)."""
    seen = set(values.dropna().unique())
    if isinstance(values.dtype, pd.CategoricalDtype):
        return tuple(level for level in values.cat.categories if level in seen)
    return tuple(sorted(seen, key=str))
