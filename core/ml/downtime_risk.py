"""Downtime risk: the probability that a machine has an unplanned stop of at least X minutes in the next H hours.

`train_downtime_risk` learns it with gradient-boosted trees from a Dataset (core.ml.dataset: one row per machine
and moment, the label, the features), tests it on the later days it did not see, next to the naive hourly-rate
baseline on the very same rows, and says in one sentence whether it beats that baseline. `score` gives each row's
probability with its three main drivers in plant words; `compare` decides whether a candidate beats the active
version on one holdout.

Probabilities are used as probabilities (the Brier score, the board), so no class weights: they would inflate
every risk. The number of boosting rounds is chosen on the last days of the training window (time-ordered, with
the same gap as the holdout), because a random validation slice would share its stops with the training rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier

from core.ml import drivers as driver_rules
from core.ml.artefact import RiskArtefact, category_levels, one_thread
from core.ml.baseline import HourlyRateBaseline
from core.ml.drift import drift_reference
from core.ml.metrics import measure
from core.ml.time_split import cut, time_split
from core.ml.verdict import Verdict, paired_verdict
from core.ml.views import Driver, Metrics

MIN_TRAIN_STOPS = 20
MIN_HOLDOUT_STOPS = 10
MAX_ITERATIONS = 300
FALLBACK_ITERATIONS = 100
VALIDATION_SHARE = 0.2
MODEL_PARAMETERS = dict(learning_rate=0.05, max_leaf_nodes=15, max_depth=4, min_samples_leaf=40, l2_regularization=1.0)


@dataclass(frozen=True)
class TrainedRisk:
    artefact: RiskArtefact
    metrics: Metrics  # the model on the holdout
    baseline_metrics: Metrics  # the baseline on the same rows
    beats_baseline: bool
    decision: str  # "beats the baseline: ROC-AUC 0.78 against 0.61 (...), Brier 0.141 against 0.163"
    train_start: datetime  # first and last training moment (aware UTC)
    train_end: datetime
    holdout_start: datetime  # first and last holdout moment
    holdout_end: datetime
    drift_reference: dict  # JSON-able, core.ml.drift
    features: tuple[str, ...]  # the model's features (those never known in training are left out)


@dataclass(frozen=True)
class RiskScore:
    equipment_id: int
    at: float  # epoch seconds UTC, the moment scored
    probability: float
    baseline_probability: float
    drivers: tuple[Driver, ...]  # up to three, largest effect first


def train_downtime_risk(dataset, settings, holdout_days: int | None = None, random_state: int = 0) -> TrainedRisk:
    """Train on the earlier days, test on the last ~25 % (at least 2 days), compare with the baseline.

    Raises ValueError in words when there is too little history or too few stops to learn and test honestly.
    """
    specs = tuple(dataset.specs)
    frame = _known(dataset.frame, specs)
    split = time_split(frame["at"].to_numpy(dtype=float), settings, holdout_days)
    train, holdout = frame[split.train], frame[split.holdout]
    _enough_stops(train, holdout, settings)

    kinds = {spec.name: spec.kind for spec in specs}
    # A number never known in training (e.g. hours since preventive work on a plant without any) teaches nothing.
    unused = tuple(s.name for s in specs if s.kind != "category" and not train[s.name].notna().any())
    used = tuple(spec for spec in specs if spec.name not in unused)
    names = tuple(spec.name for spec in used)
    levels = {name: category_levels(train[name]) for name in names if kinds[name] == "category"}
    artefact = RiskArtefact(
        model=None, features=names, kinds=kinds, category_levels=levels, baseline=None, references={},
        settings=settings, iterations=0, sklearn_version=sklearn.__version__, unused=unused,
    )
    X_train, y_train = artefact.model_rows(train), train["label"].to_numpy(dtype=float)
    with one_thread():
        iterations = _iterations(X_train, y_train, train["at"].to_numpy(dtype=float), split.gap_s, random_state)
        model = _model(iterations, random_state).fit(X_train, y_train)
    artefact = artefact.with_fit(
        model=model,
        baseline=HourlyRateBaseline().fit(train),
        references=driver_rules.reference_values(X_train, used),
        iterations=iterations,
    )
    model_metrics, baseline_metrics, verdict = _judge(artefact, holdout)
    return TrainedRisk(
        artefact=artefact,
        metrics=model_metrics,
        baseline_metrics=baseline_metrics,
        beats_baseline=verdict.beats,
        decision=verdict.sentence,
        train_start=_utc(train["at"].min()),
        train_end=_utc(train["at"].max()),
        holdout_start=_utc(holdout["at"].min()),
        holdout_end=_utc(holdout["at"].max()),
        drift_reference=drift_reference(train, specs),
        features=names,
    )


def score(artefact: RiskArtefact, dataset) -> list[RiskScore]:
    """Probability, baseline probability and top three drivers of every row (labels are not read)."""
    frame = dataset.frame
    if frame.empty:
        return []
    describe = {spec.name: driver_rules.words(spec) for spec in dataset.specs}
    for name in artefact.features:
        describe.setdefault(name, lambda value, row, name=name: f"{name}: not measured in these rows")
    X = artefact.model_rows(frame)
    probabilities, row_drivers = driver_rules.explain(artefact.predict, X, artefact.references, describe)
    baseline = artefact.baseline.predict(frame)
    return [
        RiskScore(int(machine), float(at), float(p), float(b), d)
        for machine, at, p, b, d in zip(frame["equipment_id"], frame["at"], probabilities, baseline, row_drivers)
    ]


def compare(candidate: RiskArtefact, active: RiskArtefact, dataset) -> Verdict:
    """Does the candidate beat the active version on these rows (the candidate's holdout)? Same rule as the baseline."""
    rows = _known(dataset.frame)
    y, at, k = rows["label"].to_numpy(dtype=float), rows["at"].to_numpy(dtype=float), candidate.settings.top_k
    p_new, p_old = candidate.predict(candidate.model_rows(rows)), active.predict(active.model_rows(rows))
    return paired_verdict(
        at, y, p_new, p_old, measure(at, y, p_new, k), measure(at, y, p_old, k), other_name="the active version"
    )


def _judge(artefact: RiskArtefact, rows: pd.DataFrame) -> tuple[Metrics, Metrics, Verdict]:
    y, at, k = rows["label"].to_numpy(dtype=float), rows["at"].to_numpy(dtype=float), artefact.settings.top_k
    p_model = artefact.predict(artefact.model_rows(rows)) if len(rows) else np.empty(0)
    p_baseline = artefact.baseline.predict(rows)
    model_metrics, baseline_metrics = measure(at, y, p_model, k), measure(at, y, p_baseline, k)
    return model_metrics, baseline_metrics, paired_verdict(at, y, p_model, p_baseline, model_metrics, baseline_metrics)


def _model(iterations: int, random_state: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=iterations, early_stopping=False, categorical_features="from_dtype", random_state=random_state,
        **MODEL_PARAMETERS,
    )


def _iterations(X: pd.DataFrame, y: np.ndarray, at: np.ndarray, gap_s: float, random_state: int) -> int:
    """Boosting rounds with the lowest log loss on the last ~20 % of the training days (time-ordered)."""
    days = len(np.unique(np.floor(at / 86_400.0)))
    inner = cut(at, max(1, int(round(VALIDATION_SHARE * days))), gap_s)
    y_fit, y_val = y[inner.train], y[inner.holdout]
    if len(np.unique(y_fit)) < 2 or len(np.unique(y_val)) < 2:
        return FALLBACK_ITERATIONS
    X_fit = X[inner.train]
    columns = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype) or X_fit[c].notna().any()]
    model = _model(MAX_ITERATIONS, random_state).fit(X_fit[columns], y_fit)
    eps = 1e-12
    losses = [
        -np.mean(y_val * np.log(p[:, 1] + eps) + (1 - y_val) * np.log(p[:, 0] + eps))
        for p in model.staged_predict_proba(X[inner.holdout][columns])
    ]
    return int(np.argmin(losses)) + 1


def _known(frame: pd.DataFrame, specs=()) -> pd.DataFrame:
    """Rows whose outcome is known, in time order. (A trained artefact reads a feature a dataset lacks as unknown,
    so only training needs every spec's column.)"""
    missing = {"equipment_id", "at", "label", "hour_of_day", *(spec.name for spec in specs)} - set(frame.columns)
    if missing:
        raise ValueError(f"the dataset lacks the columns {sorted(missing)}")
    return frame.loc[frame["label"].notna()].sort_values("at", kind="stable")


def _enough_stops(train: pd.DataFrame, holdout: pd.DataFrame, settings) -> None:
    what = f"unplanned stops of at least {settings.stop_minutes:g} minutes"
    parts = ((train, "the training days", MIN_TRAIN_STOPS), (holdout, "the test days", MIN_HOLDOUT_STOPS))
    for rows, part, needed in parts:
        stops = int(rows["label"].sum())
        quiet = int(len(rows) - stops)
        if stops < needed or quiet < needed:
            advice = (
                "Let the plant run longer, or lower [ml] stop_minutes." if stops < needed
                else "Raise [ml] stop_minutes or shorten horizon_hours: nearly every moment is followed by a stop."
            )
            raise ValueError(
                f"Too few outcomes to train downtime risk: {part} hold {len(rows)} machine moments, {stops} of them "
                f"followed by {what} within {settings.horizon_hours:g} h and {quiet} not; at least {needed} of each "
                f"are needed. {advice}"
            )


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(float(epoch), tz=UTC)
