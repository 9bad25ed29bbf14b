"""Use case: train a model on the store's history and record it in the registry (core.ml.service_versions decides
whether it becomes active).

Downtime risk learns from the last TRAINING_DAYS of every active machine, each machine from its first recorded
state change on (hours before a machine's data began would look like quiet hours and teach the model that
machines never stop). The candidate is judged against the active version on the candidate's own holdout rows
(core.ml.downtime_risk.compare). The anomaly model (core.ml.anomaly) has no naive baseline of its own: the naive
guess is "flag minutes at random", whose lift is 1, so it must show a lift above 1 (long stops begin more often
after the minutes it flags than after the others) to be made active, and a later version must show a higher lift
than the active one on the same holdout days.

A run that fails (too little history, too few stops, or any crash on the way) is recorded in the audit log as
`ml.train_failed`, so the nightly job tries once a night, not every tick, and an admin can read why no model was
trained.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.faults.timeline_store import fault_texts
from core.ml import anomaly, registry
from core.ml.dataset import Dataset, build_dataset, hourly_moments
from core.ml.downtime_risk import TrainedRisk, compare, train_downtime_risk
from core.ml.history import LOOK_BACK, MachineHistory, load_histories
from core.ml.promotion import MIN_FLAGGED_MINUTES, MIN_LIFT, MIN_STRETCHES, AgainstActive, anomaly_beats_chance
from core.ml.registry import NewVersion
from core.ml.service_versions import Clock, now_of, register_trained
from core.ml.views import VersionSummary
from core.persistence.account_tables import AuditEntry
from core.persistence.ml_tables import MlModelVersion
from core.persistence.timeline_tables import StateChange
from core.plant.config_ml import MlSettings, stored_ml_settings
from core.plant.equipment import machines, site_calendar

TRAINING_DAYS = 90
FAILED = "ml.train_failed"
log = logging.getLogger(__name__)


def ml_settings(db: sessionmaker[Session]) -> MlSettings:
    with db() as session:
        return stored_ml_settings(session)


def train_model(db: sessionmaker[Session], clock: Clock, model: str = "downtime_risk", by: str = "cli") -> \
        VersionSummary:
    """Train `model` on the store's history, store the version and decide whether it becomes active.

    Raises ValueError in words when there is too little to learn from. Any failure (that one, or a crash inside
    scikit-learn or joblib, running out of memory, a lost database connection) is recorded in the audit log as an
    attempt before it is raised again, so the jobs that retrain (nightly, on drift) wait for their next slot instead
    of retraining at every tick.
    """
    registry.check_model(model)
    now = now_of(clock)
    try:
        if model == "anomaly":
            return _train_anomaly(db, now, by)
        return _train_downtime_risk(db, now, by)
    except Exception as exc:
        _record_failure(db, by, model, exc, now)
        raise


def _record_failure(db: sessionmaker[Session], by: str, model: str, exc: Exception, now: datetime) -> None:
    reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
    try:
        audit.record_now(db, by, FAILED, model, detail={"reason": reason}, now=now)
    except Exception:  # e.g. the database is gone: the training's own error is the one to raise
        log.exception("could not record the failed training of %s", model)


def last_training_attempt(db: sessionmaker[Session], model: str) -> datetime | None:
    """When `model` was last trained or last failed to train (by anyone), or None."""
    with db() as session:
        trained = session.scalar(select(func.max(MlModelVersion.trained_at)).where(MlModelVersion.model == model))
        failed = session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action == FAILED,
                                                                      AuditEntry.target == model))
    return max((moment for moment in (trained, failed) if moment is not None), default=None)


def training_dataset(db: sessionmaker[Session], now: datetime, settings: MlSettings,
                     days: float = TRAINING_DAYS) -> Dataset:
    """Hourly rows of every active machine over the last `days` (from its own first data on)."""
    plant = machines(db)
    if not plant:
        raise ValueError("No machines to learn from: load a plant file first (`floorboard plant load`).")
    first = _first_changes(db, [m.id for m in plant])
    if not first:
        raise ValueError("No machine has any recorded state yet: there is no history to learn from.")
    start = now - timedelta(days=days)
    with_data = [m for m in plant if m.id in first]
    histories = load_histories(db, with_data, start, now, site_calendar(db))
    return build_dataset(histories, [moments_with_data(h, first[h.equipment_id]) for h in histories], settings,
                         fault_texts(db))


def moments_with_data(history: MachineHistory, first_change: float) -> np.ndarray:
    """The history's hourly moments from a full look-back after the machine's first recorded state on, leaving
    out those when its PLC was not heard (state no_data): silence is not a quiet hour."""
    moments = hourly_moments(history, max(history.start, first_change + LOOK_BACK.total_seconds()))
    k = np.searchsorted(history.change_at, moments, side="right") - 1
    heard = (k >= 0) & (history.change_state[np.maximum(k, 0)] != "no_data") if len(history.change_at) else k >= 0
    return moments[heard]


def _first_changes(db: sessionmaker[Session], ids: list[int]) -> dict[int, float]:
    with db() as session:
        return {equipment_id: float(at) for equipment_id, at in session.execute(
            select(StateChange.equipment_id, func.min(StateChange.at_epoch))
            .where(StateChange.equipment_id.in_(ids)).group_by(StateChange.equipment_id))}


def _train_downtime_risk(db: sessionmaker[Session], now: datetime, by: str) -> VersionSummary:
    settings = ml_settings(db)
    dataset = training_dataset(db, now, settings)
    trained = train_downtime_risk(dataset, settings)
    holdout = holdout_rows(dataset, trained)

    def judge(active_artefact: Any, active_number: int) -> AgainstActive:
        verdict = compare(trained.artefact, active_artefact, holdout)
        return AgainstActive(active_number, verdict.beats,
                             verdict.sentence.replace("the active version", f"the active version {active_number}", 1))

    metrics = {**asdict(trained.metrics), "beats_baseline": trained.beats_baseline, "verdict": trained.decision}
    parameters = {**settings.model_dump(), "training_days": TRAINING_DAYS, "rows": int(len(dataset.frame)),
                  "machines": int(dataset.frame["equipment_id"].nunique()),
                  "iterations": trained.artefact.iterations, "sklearn": trained.artefact.sklearn_version}
    new = NewVersion(model="downtime_risk", trained_by=by, train_start=trained.train_start,
                     train_end=trained.train_end, holdout_start=trained.holdout_start,
                     holdout_end=trained.holdout_end, features=trained.features, metrics=metrics,
                     baseline_metrics=asdict(trained.baseline_metrics), artefact=trained.artefact,
                     parameters=parameters, drift_reference=trained.drift_reference)
    return register_trained(db, new, trained.beats_baseline, trained.decision, judge, lambda: now)


def holdout_rows(dataset: Dataset, trained: TrainedRisk) -> Dataset:
    """The rows the candidate was tested on (its holdout window, outcome known)."""
    frame = dataset.frame
    at = frame["at"].to_numpy(dtype=float)
    inside = (at >= trained.holdout_start.timestamp()) & (at <= trained.holdout_end.timestamp())
    return Dataset(frame.loc[inside & frame["label"].notna().to_numpy()], dataset.specs)


def _train_anomaly(db: sessionmaker[Session], now: datetime, by: str) -> VersionSummary:
    settings = ml_settings(db)
    trained = anomaly.train_anomaly(db, lambda: now, settings)
    lift = trained.metrics.get("lift")
    beats = anomaly_beats_chance(trained.metrics)
    sentence = _lift_words(lift, trained.metrics, "random flagging (lift 1)", beats)

    def judge(active_artefact: Any, active_number: int) -> AgainstActive:
        theirs = anomaly.evaluate_anomaly(db, active_artefact, trained.holdout_start, trained.holdout_end, settings)
        other = theirs.get("lift")
        better = other is None or lift > other
        theirs_words = "cannot be measured" if other is None else f"is {other:.2f}"
        return AgainstActive(active_number, better, f"{'beats' if better else 'does not beat'} the active version "
                                                    f"{active_number}, whose lift on the same days {theirs_words}")

    metrics = {**trained.metrics, "beats_baseline": beats, "verdict": sentence}
    new = NewVersion(model="anomaly", trained_by=by, train_start=trained.train_start, train_end=trained.train_end,
                     holdout_start=trained.holdout_start, holdout_end=trained.holdout_end,
                     features=trained.features, metrics=metrics, baseline_metrics=trained.baseline_metrics,
                     artefact=trained.artefact, parameters=trained.parameters)
    return register_trained(db, new, beats, sentence, judge, lambda: now)


def _lift_words(lift: float | None, metrics: dict, other: str, beats: bool) -> str:
    flagged = metrics.get("lift_minutes_flagged", 0)
    if lift is None:
        return (f"does not beat {other}: the lift cannot be measured ({flagged} flagged minute(s) with a known "
                "outcome, or no long stop after the unflagged ones)")
    found = (f"a long stop began {lift:.2f} times as often after its {flagged} flagged minute(s) "
             f"({metrics.get('stretches', 0)} stretch(es)) as after the others")
    if beats:
        return f"beats {other}: {found}"
    return (f"does not beat {other} by enough: {found}; at least {MIN_LIFT:g} times as often, over at least "
            f"{MIN_FLAGGED_MINUTES} flagged minutes in {MIN_STRETCHES} stretches, is needed")
