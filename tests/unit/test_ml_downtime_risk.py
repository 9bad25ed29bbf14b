"""Downtime risk: beats the baseline only where there is something to learn; the split never peeks; drivers, scoring.

The two decisive tests run on the demo simulator (tests/support/ml_plant: eight machines, six weeks, about 3 s
each including the simulation): with its hidden causes the model must beat the hourly-rate baseline, without them
it must not. Synthetic frames stand in where a test is about the model's mechanics (the columns build_dataset makes,
with a stop label that depends on a planted fault count, or on nothing but machine and hour).
"""

import pickle
import time

import numpy as np
import pandas as pd
import pytest

from core.ml.dataset import Dataset, build_dataset
from core.ml.downtime_risk import compare, score, train_downtime_risk
from core.ml.feature_words import FeatureSpec
from core.ml.metrics import measure
from core.ml.time_split import gap_seconds, time_split
from core.plant.config_ml import MlSettings
from tests.support.ml_plant import fault_names, simulated_histories

SETTINGS = MlSettings()
START = 1_767_225_600.0  # 2026-01-01 00:00 UTC
DAY = 86_400.0


def synthetic(machines=4, days=28, planted=True, seed=1, extra_features=0) -> Dataset:
    """Hourly moments 06:00-21:00 UTC; with `planted`, a fault F12 in the last hour makes a stop far likelier."""
    rng = np.random.default_rng(seed)
    m, d, h = np.meshgrid(np.arange(machines), np.arange(days), np.arange(6, 22), indexing="ij")
    m, d, h = m.ravel(), d.ravel(), h.ravel()
    n = len(m)
    frame = pd.DataFrame({"equipment_id": 100 + m, "at": START + d * DAY + h * 3600.0, "label": np.nan})
    frame["machine"] = pd.Categorical([f"M{i}" for i in m])
    frame["product"] = pd.Categorical(rng.choice(["A", "B"], n))
    frame["hour_of_day"] = h.astype(float)
    frame["faults_1h:F12"] = rng.poisson(0.4, n).astype(float)
    frame["faults_24h:F12"] = frame["faults_1h:F12"] + rng.poisson(3, n)
    frame["down_stops_4h"] = rng.poisson(1, n).astype(float)
    extra = [f"faults_{window}:C{i}" for i in range(extra_features // 2) for window in ("1h", "24h")]
    for name in extra:
        frame[name] = rng.poisson(0.5, n).astype(float)
    logit = -1.2 + 0.2 * m + 0.03 * (h - 14)
    if planted:
        logit = logit - 0.6 + 1.8 * (frame["faults_1h:F12"].to_numpy() > 0)
    frame["label"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    frame = frame.sort_values(["at", "equipment_id"], kind="stable").reset_index(drop=True)
    specs = [FeatureSpec("machine", "category"), FeatureSpec("product", "category"),
             FeatureSpec("hour_of_day", "number"), FeatureSpec("faults_1h:F12", "number", "Photo-eye fault"),
             FeatureSpec("faults_24h:F12", "number", "Photo-eye fault"), FeatureSpec("down_stops_4h", "number")]
    specs += [FeatureSpec(name, "number", "other fault") for name in extra]
    return Dataset(frame, tuple(specs))


def simulated(hidden_causes: bool) -> Dataset:
    """Eight machines of the example plant over six weeks, hourly moments in the shifts, from the demo simulator.

    Seed 1. Over seeds 1-12 and the demo's own seed the model beat the baseline in 12 of 13 plants with hidden
    causes and in 1 of 13 without (the demo's seed: ROC-AUC 0.55 against 0.49, mostly from the hours since the
    last long stop); four or five weeks, or six machines, missed the hidden causes more often.
    """
    histories = simulated_histories(8, 42, seed=1, hidden_causes=hidden_causes)
    return build_dataset(histories, "hourly", SETTINGS, fault_names())


def test_hidden_causes_in_the_simulator_are_learned_and_beat_the_baseline():
    trained = train_downtime_risk(simulated(hidden_causes=True), SETTINGS)
    assert trained.beats_baseline, trained.decision
    assert trained.metrics.roc_auc > trained.baseline_metrics.roc_auc
    assert trained.metrics.brier <= trained.baseline_metrics.brier


def test_without_hidden_causes_the_model_does_not_beat_the_baseline():
    trained = train_downtime_risk(simulated(hidden_causes=False), SETTINGS)
    assert not trained.beats_baseline, trained.decision
    assert trained.decision.startswith("does not beat the baseline: ROC-AUC")


@pytest.fixture(scope="module")
def planted():
    dataset = synthetic(planted=True)
    return dataset, train_downtime_risk(dataset, SETTINGS)


def test_a_planted_feature_beats_the_baseline_on_synthetic_rows(planted):
    _, trained = planted
    assert trained.beats_baseline, trained.decision
    assert trained.decision.startswith("beats the baseline: ROC-AUC")
    assert trained.metrics.roc_auc > trained.baseline_metrics.roc_auc + 0.05
    assert trained.metrics.brier < trained.baseline_metrics.brier
    assert trained.metrics.rows == trained.baseline_metrics.rows > 0
    assert trained.metrics.k == SETTINGS.top_k


def test_synthetic_rows_without_a_cause_do_not_beat_the_baseline():
    trained = train_downtime_risk(synthetic(planted=False, seed=2), SETTINGS)
    assert not trained.beats_baseline, trained.decision
    assert trained.decision.startswith("does not beat the baseline")


def test_split_is_time_ordered_with_a_gap_of_the_horizon(planted):
    dataset, trained = planted
    at = dataset.frame["at"].to_numpy()
    split = time_split(at, SETTINGS)
    assert split.days == 28 and split.holdout_days == 7
    assert at[split.train].max() + SETTINGS.horizon_hours * 3600 <= at[split.holdout].min()
    assert at[split.train].max() + gap_seconds(SETTINGS) <= at[split.holdout].min()
    assert not (split.train & split.holdout).any()
    assert trained.train_end.timestamp() + SETTINGS.horizon_hours * 3600 <= trained.holdout_start.timestamp()
    assert trained.train_start < trained.train_end < trained.holdout_start < trained.holdout_end
    assert trained.holdout_start.tzinfo is not None
    assert trained.metrics.rows == int((split.holdout & dataset.frame["label"].notna().to_numpy()).sum())
    longer = MlSettings(horizon_hours=12)
    wide = time_split(at, longer, holdout_days=3)
    assert at[wide.train].max() + 12 * 3600 <= at[wide.holdout].min() and wide.holdout_days == 3
    # The moments inside the gap (18:00-21:00 of the last training day, 4 machines) are in neither part.
    assert (~wide.train & ~wide.holdout).sum() == 4 * 4


def test_too_little_data_is_refused_in_words():
    with pytest.raises(ValueError, match="cover 5 day"):
        train_downtime_risk(synthetic(days=5), SETTINGS)
    quiet = synthetic()
    frame = quiet.frame.assign(label=0.0)
    frame.loc[frame.index[:30], "label"] = 1.0  # thirty stops, all in the first days
    with pytest.raises(ValueError, match="the test days hold .* 0 of them followed by unplanned stops of at least 10"):
        train_downtime_risk(Dataset(frame, quiet.specs), SETTINGS)
    busy = Dataset(quiet.frame.assign(label=1.0), quiet.specs)
    with pytest.raises(ValueError, match="the training days hold .* and 0 not; .* Raise \\[ml\\] stop_minutes"):
        train_downtime_risk(busy, SETTINGS)
    with pytest.raises(ValueError, match="at least 2 days"):
        train_downtime_risk(quiet, SETTINGS, holdout_days=1)
    unknown = quiet.frame.assign(label=np.where(quiet.frame["at"] > START + 4 * DAY, np.nan, quiet.frame["label"]))
    with pytest.raises(ValueError, match="cover 4 day"):  # outcomes not known yet do not count
        train_downtime_risk(Dataset(unknown, quiet.specs), SETTINGS)


def test_drivers_name_the_planted_fault_in_plant_words(planted):
    dataset, trained = planted
    rows = dataset.frame[dataset.frame["at"] >= trained.holdout_start.timestamp()]
    scores = score(trained.artefact, Dataset(rows, dataset.specs))
    assert len(scores) == len(rows)
    with_fault = [s for s, faults in zip(scores, rows["faults_1h:F12"]) if faults >= 1]
    named = [s for s in with_fault if s.drivers and s.drivers[0].feature.startswith("faults_1h:F12")]
    assert len(named) >= 0.8 * len(with_fault)
    assert named[0].drivers[0].text.startswith("fault F12 (Photo-eye fault) ")
    both = [s.drivers[0] for s in named if s.drivers[0].feature == "faults_1h:F12,faults_24h:F12"]
    assert both and "in the last hour, " in both[0].text and both[0].text.count("Photo-eye") == 1
    for s in scores:
        assert len(s.drivers) <= 3
        assert all(d.effect > 0 for d in s.drivers)
        assert [d.effect for d in s.drivers] == sorted((d.effect for d in s.drivers), reverse=True)
        assert 0 < s.probability < 1 and 0 < s.baseline_probability < 1
    # A driver's effect is exactly the fall when its feature goes back to the usual value (median 0 faults).
    first = named[0]
    row = rows[(rows["equipment_id"] == first.equipment_id) & (rows["at"] == first.at)]
    calmed = row.assign(**{name: trained.artefact.references[name] for name in first.drivers[0].feature.split(",")})
    p_calm = score(trained.artefact, Dataset(calmed, dataset.specs))[0].probability
    assert first.probability - p_calm == pytest.approx(first.drivers[0].effect)


def test_artefact_pickles_and_recasts_categories(planted):
    dataset, trained = planted
    rows = dataset.frame.iloc[-8:]
    again = pickle.loads(pickle.dumps(trained.artefact))
    before = [s.probability for s in score(trained.artefact, Dataset(rows, dataset.specs))]
    assert [s.probability for s in score(again, Dataset(rows, dataset.specs))] == before
    assert again.category_levels == {"machine": ("M0", "M1", "M2", "M3"), "product": ("A", "B")}
    # A product training never saw is "unknown", exactly as a missing product; column order does not matter.
    new_product = rows.assign(product=pd.Categorical(["Z"] * len(rows)))[list(reversed(rows.columns))]
    no_product = rows.assign(product=pd.Categorical([None] * len(rows), categories=["A", "B"]))
    p_new = [s.probability for s in score(again, Dataset(new_product, dataset.specs))]
    assert p_new == [s.probability for s in score(again, Dataset(no_product, dataset.specs))]


def test_the_stored_holdout_figures_remeasure_and_compare_judges_on_the_same_holdout(planted):
    dataset, trained = planted
    frame = dataset.frame
    holdout = frame[(frame["at"] >= trained.holdout_start.timestamp()) & frame["label"].notna()]
    holdout = holdout.sort_values("at", kind="stable")
    at, y, k = holdout["at"].to_numpy(float), holdout["label"].to_numpy(float), trained.artefact.settings.top_k
    model_p = trained.artefact.predict(trained.artefact.model_rows(holdout))
    assert measure(at, y, model_p, k) == trained.metrics
    assert measure(at, y, trained.artefact.baseline.predict(holdout), k) == trained.baseline_metrics
    verdict = compare(trained.artefact, trained.artefact, Dataset(holdout, dataset.specs))
    assert not verdict.beats and verdict.sentence.startswith("does not beat the active version")
    # A later dataset without one of the model's columns (a fault code left the catalog): read as unknown.
    fewer = holdout.drop(columns="down_stops_4h")
    unknown = holdout.assign(down_stops_4h=np.nan)
    assert np.array_equal(trained.artefact.predict(trained.artefact.model_rows(fewer)),
                          trained.artefact.predict(trained.artefact.model_rows(unknown)))
    assert compare(trained.artefact, trained.artefact, Dataset(fewer, dataset.specs[:-1])).sentence == \
        compare(trained.artefact, trained.artefact, Dataset(unknown, dataset.specs)).sentence


def test_scoring_fifty_machines_with_forty_features_is_fast():
    dataset = synthetic(machines=5, days=14, extra_features=34)
    trained = train_downtime_risk(dataset, SETTINGS, holdout_days=3)
    assert len(trained.features) == 40
    now = dataset.frame.iloc[:1].loc[[dataset.frame.index[0]] * 50].reset_index(drop=True)
    now["equipment_id"] = np.arange(50)
    now["faults_1h:F12"] = np.arange(50) % 4
    score(trained.artefact, Dataset(now, dataset.specs))  # warm up
    started = time.perf_counter()
    scores = score(trained.artefact, Dataset(now, dataset.specs))
    assert time.perf_counter() - started < 0.5
    assert len(scores) == 50


def test_a_feature_never_known_in_training_is_left_out():
    dataset = synthetic(machines=3, days=14)
    frame = dataset.frame.assign(hours_since_preventive=np.nan)
    specs = dataset.specs + (FeatureSpec("hours_since_preventive", "number"),)
    trained = train_downtime_risk(Dataset(frame, specs), SETTINGS, holdout_days=3)
    assert trained.artefact.unused == ("hours_since_preventive",)
    assert "hours_since_preventive" not in trained.features
    later = frame.iloc[-3:].assign(hours_since_preventive=[5.0, 50.0, 500.0])
    assert len(score(trained.artefact, Dataset(later, specs))) == 3
