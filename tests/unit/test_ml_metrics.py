"""Holdout figures (ROC-AUC, Brier, precision at k), the hourly-rate baseline and the bootstrap verdict."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from core.ml.baseline import HourlyRateBaseline
from core.ml.metrics import brier, measure, precision_at_k, roc_auc, weighted_roc_auc
from core.ml.verdict import FEW_DAYS, paired_verdict


def test_perfect_scorer():
    labels = [0, 1, 0, 1, 1, 0]
    at = [0, 0, 0, 3600, 3600, 3600]
    m = measure(at, labels, labels, k=1)
    assert (m.rows, m.positives, m.roc_auc, m.brier, m.precision_at_k, m.k) == (6, 3, 1.0, 0.0, 1.0, 1)


def test_constant_scorer_ranks_by_chance_and_one_class_has_no_auc():
    labels = [0, 1, 0, 0]
    m = measure([0, 0, 0, 0], labels, [0.25] * 4, k=2)
    assert m.roc_auc == 0.5
    assert m.brier == pytest.approx((3 * 0.25**2 + 0.75**2) / 4)
    # All four tie: the first two rows in order are "the top 2", one of which stopped.
    assert m.precision_at_k == 0.5
    only_quiet = measure([0, 0], [0, 0], [0.1, 0.9], k=1)
    assert only_quiet.roc_auc is None
    assert only_quiet.brier == pytest.approx((0.01 + 0.81) / 2)
    empty = measure([], [], [], k=3)
    assert (empty.rows, empty.roc_auc, empty.brier, empty.precision_at_k) == (0, None, None, None)


def test_auc_agrees_with_scikit_learn_including_ties():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400).astype(float)
    p = np.round(rng.random(400) * 0.5 + 0.3 * y, 1)  # rounding makes many ties
    assert roc_auc(y, p) == pytest.approx(roc_auc_score(y, p))


def test_weighted_auc_equals_auc_of_repeated_rows():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 60).astype(float)
    p = rng.random(60)
    counts = rng.integers(0, 4, 60)
    repeated = roc_auc(np.repeat(y, counts), np.repeat(p, counts))
    assert weighted_roc_auc(y, p, counts[None, :].astype(float))[0] == pytest.approx(repeated)


def test_precision_at_k_by_hand():
    # Moment 0: four machines, the two riskiest are rows 1 (stopped) and 3 (did not) -> 1/2.
    # Moment 1: three machines, riskiest rows 5 (stopped) and 4 (stopped) -> 2/2.
    # Moment 2: one machine only: fewer than k, left out.  Mean (0.5 + 1) / 2.
    at = [0, 0, 0, 0, 1, 1, 1, 2]
    labels = [1, 1, 0, 0, 1, 1, 0, 1]
    probs = [0.1, 0.9, 0.2, 0.8, 0.5, 0.7, 0.3, 0.99]
    assert precision_at_k(at, labels, probs, k=2) == pytest.approx(0.75)
    assert precision_at_k([0, 1], [1, 0], [0.5, 0.5], k=2) is None


def test_bad_input_is_refused_in_words():
    with pytest.raises(ValueError, match="unknown outcomes"):
        brier([1, np.nan], [0.5, 0.5])
    with pytest.raises(ValueError, match="between 0 and 1"):
        brier([1, 0], [1.5, 0.5])
    with pytest.raises(ValueError, match="equal"):
        roc_auc([1, 0, 1], [0.5, 0.5])


def _rows(machine, hour, labels):
    return pd.DataFrame({"equipment_id": machine, "hour_of_day": float(hour), "label": labels})


def test_baseline_smooths_hour_toward_machine_and_machine_toward_plant():
    train = pd.concat(
        [_rows(1, 8, [1.0, 1.0]), _rows(1, 9, [0.0] * 8), _rows(2, 8, [0.0] * 10)], ignore_index=True
    )
    base = HourlyRateBaseline().fit(train)
    plant = (2 + 0.5) / (20 + 1)
    machine_1 = (2 + 20 * plant) / (10 + 20)
    assert base.global_rate == pytest.approx(plant)
    assert base.machine_rates[1] == pytest.approx(machine_1)
    query = pd.DataFrame({"equipment_id": [1, 1, 1, 2, 3], "hour_of_day": [8.0, 9.0, 14.0, 8.0, 8.0]})
    p = base.predict(query)
    # Two stops in two rows at 08:00 is not "always": pulled 10 rows' worth toward the machine's rate.
    assert p[0] == pytest.approx((2 + 10 * machine_1) / (2 + 10))
    assert p[1] == pytest.approx((0 + 10 * machine_1) / (8 + 10))
    assert p[2] == pytest.approx(machine_1)  # an hour never seen: the machine's rate
    assert 0 < p[3] < plant  # ten quiet rows: low, never 0
    assert p[4] == pytest.approx(plant)  # a machine never seen: the plant's rate
    assert ((p > 0) & (p < 1)).all()


def test_baseline_ignores_unknown_outcomes_and_needs_some():
    frame = _rows(1, 8, [np.nan, np.nan])
    with pytest.raises(ValueError, match="known"):
        HourlyRateBaseline().fit(frame)
    with pytest.raises(ValueError, match="not been fitted"):
        HourlyRateBaseline().predict(frame)


def _verdict(p_model, p_other, y, at):
    return paired_verdict(at, y, p_model, p_other, measure(at, y, p_model, 1), measure(at, y, p_other, 1))


def test_verdict_needs_a_clearly_better_ranking_and_no_worse_brier():
    rng = np.random.default_rng(5)
    at = np.repeat(np.arange(10) * 86_400.0, 40)
    y = rng.integers(0, 2, len(at)).astype(float)
    good = np.clip(0.5 + 0.3 * (y - 0.5) + rng.normal(0, 0.1, len(at)), 0.01, 0.99)
    noise = np.clip(0.5 + rng.normal(0, 0.1, len(at)), 0.01, 0.99)
    win = _verdict(good, noise, y, at)
    assert win.beats and win.auc_wins >= 0.95 and win.days == 10
    assert win.sentence.startswith("beats the baseline: ROC-AUC")
    lose = _verdict(noise, good, y, at)
    assert not lose.beats and lose.sentence.startswith("does not beat the baseline")
    # Ranks as well as the good scorer but says 90 %+ for everyone: its ranking wins, its Brier loses.
    alarmist = 0.9 + 0.09 * good
    verdict = _verdict(alarmist, noise, y, at)
    assert verdict.auc_wins >= 0.95 and not verdict.beats
    assert verdict.sentence.endswith("its probabilities are less accurate (higher Brier)")
    one_class = _verdict(good, noise, np.zeros(len(at)), at)
    assert not one_class.beats and "cannot be measured" in one_class.sentence


def test_beating_a_baseline_worse_than_chance_is_not_enough():
    rng = np.random.default_rng(6)
    at = np.repeat(np.arange(10) * 86_400.0, 40)
    y = rng.integers(0, 2, len(at)).astype(float)
    backwards = np.clip(0.5 - 0.3 * (y - 0.5) + rng.normal(0, 0.1, len(at)), 0.01, 0.99)  # ranks upside down
    coin = np.clip(0.5 + rng.normal(0, 0.01, len(at)), 0.01, 0.99)
    verdict = _verdict(coin, backwards, y, at)
    assert verdict.auc_wins >= 0.95 and brier(y, coin) <= brier(y, backwards)
    assert not verdict.beats
    assert "not better than chance" in verdict.sentence


def test_a_verdict_on_few_test_days_says_it_rests_on_little_evidence():
    rng = np.random.default_rng(5)
    y_of = lambda at: rng.integers(0, 2, len(at)).astype(float)  # noqa: E731
    for days, caveat in ((3, True), (FEW_DAYS, False)):
        at = np.repeat(np.arange(days) * 86_400.0, 60)
        y = y_of(at)
        good = np.clip(0.5 + 0.3 * (y - 0.5) + rng.normal(0, 0.1, len(at)), 0.01, 0.99)
        noise = np.clip(0.5 + rng.normal(0, 0.1, len(at)), 0.01, 0.99)
        verdict = _verdict(good, noise, y, at)
        assert verdict.beats and verdict.days == days
        assert (f"{days} test day(s) are little evidence" in verdict.sentence) is caveat, verdict.sentence
