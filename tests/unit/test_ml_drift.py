"""Population stability index: a known shift of a distribution, no shift, and one value worked out by hand."""

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from core.ml.drift import EPSILON, drift_reference, population_stability, psi


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str

    def describe(self, value):
        return f"{self.name} {value}"


def test_one_sd_shift_is_drift_and_the_same_distribution_is_not():
    rng = np.random.default_rng(0)
    train = pd.DataFrame({"x": rng.normal(0, 1, 5000)})
    reference = drift_reference(train, [Spec("x", "number")])
    same = population_stability(reference, pd.DataFrame({"x": rng.normal(0, 1, 2000)}))
    shifted = population_stability(reference, pd.DataFrame({"x": rng.normal(1, 1, 2000)}))
    assert same["x"] < 0.1
    assert shifted["x"] > 0.5  # well above the 0.25 that triggers retraining (about 1.0 in theory)


def test_a_value_by_hand():
    # Training 0..9: deciles cut at 0.9, 1.8, ..., 8.1, so each value has its own bin, plus the missing bin.
    train = pd.DataFrame({"x": np.arange(10.0)})
    reference = drift_reference(train, [Spec("x", "number")])
    assert reference["features"]["x"]["shares"] == [0.1] * 10
    assert reference["features"]["x"]["missing"] == 0.0
    # Now: five rows in the first bin, five missing.
    now = pd.DataFrame({"x": [0.0] * 5 + [np.nan] * 5})
    by_hand = (0.5 - 0.1) * math.log(0.5 / 0.1) + 9 * (EPSILON - 0.1) * math.log(EPSILON / 0.1)
    by_hand += (0.5 - EPSILON) * math.log(0.5 / EPSILON)
    assert population_stability(reference, now)["x"] == pytest.approx(by_hand)
    assert psi([0.5, 0.5], [0.5, 0.5]) == 0.0


def test_categories_missing_values_and_unseen_levels():
    train = pd.DataFrame({"product": pd.Categorical(["A", "A", "B", None])})
    reference = drift_reference(train, [Spec("product", "category")])
    assert reference["features"]["product"] == {
        "kind": "category", "levels": ["A", "B"], "shares": [0.5, 0.25], "missing": 0.25,
    }
    now = pd.DataFrame({"product": pd.Categorical(["A", "C", "C", "C"])})
    # Bins A, B, missing, other: expected 0.5, 0.25, 0.25, 0; actual 0.25, 0, 0, 0.75.
    expected = psi([0.5, 0.25, 0.25, 0.0], [0.25, 0.0, 0.0, 0.75])
    assert population_stability(reference, now)["product"] == pytest.approx(expected)
    assert expected > 1


def test_reference_is_json_and_tied_deciles_merge():
    mostly_zero = np.r_[np.zeros(95), np.arange(1.0, 6.0)]
    train = pd.DataFrame({"stops": mostly_zero, "empty": np.nan})
    reference = drift_reference(train, [Spec("stops", "number"), Spec("empty", "number")])
    json.dumps(reference, allow_nan=False)
    assert reference["features"]["stops"]["edges"] == [0.0]
    assert reference["features"]["stops"]["shares"] == [0.95, 0.05]
    assert population_stability(reference, train) == {"stops": 0.0, "empty": 0.0}
    assert population_stability(reference, train.iloc[:0]) == {}
    assert population_stability(reference, train[["stops"]]) == {"stops": 0.0}  # a feature no longer there: left out
    with pytest.raises(ValueError, match="training rows"):
        drift_reference(train.iloc[:0], [Spec("stops", "number")])
