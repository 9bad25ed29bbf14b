"""Use cases the hourly job runs: score every machine in a shift with the active downtime-risk version once per
clock hour, as of the hour's start (the moments the model was trained on), join predictions whose horizon has
passed to what happened, and check the features for drift (retraining when a feature has moved too far from what
the model learned on).

Scores use the settings the active version was trained with (its label: a stop of X minutes within H hours), not
today's [ml] settings, so a stored probability always means what its model learned. A machine is scored only
inside a shift (any time when the site has no shifts) and only when its state at the moment scored is known and
is not `no_data` (PLC unreachable): a machine that never recorded a state, or was not heard, would have features
made of silence and a made-up risk. A machine whose last change is days old is scored: its state has held.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.faults.timeline_store import fault_texts
from core.ml import anomaly, predictions, registry
from core.ml.dataset import build_dataset, clock_hour_start
from core.ml.downtime_risk import score
from core.ml.drift import population_stability
from core.ml.history import MachineHistory, load_histories
from core.ml.labels import outcome
from core.ml.predictions import NewPrediction
from core.ml.service_training import last_training_attempt, ml_settings, moments_with_data, train_model
from core.ml.service_versions import Clock, now_of
from core.persistence.ml_tables import MlDriftCheck, MlModelVersion
from core.persistence.plant_tables import EquipmentRow, LineRow
from core.plant.config_ml import MlSettings
from core.plant.equipment import Machine, machines, site_calendar, site_zone
from core.ml.views import VersionSummary

log = logging.getLogger(__name__)

RISK, ANOMALY = "downtime_risk", "anomaly"
DRIFT_EVERY = timedelta(hours=1)
DRIFT_DAYS = 7
RETRAIN_AT_MOST_EVERY = timedelta(hours=24)  # a drift that training does not cure must not retrain every hour


def version_settings(row: MlModelVersion) -> MlSettings:
    """The [ml] settings a version was trained with (stored in its parameters)."""
    stored = json.loads(row.parameters)
    return MlSettings(**{key: stored[key] for key in MlSettings.model_fields if key in stored})


def due(last: datetime | None, now: datetime, every: timedelta) -> bool:
    """Pure: nothing done yet, or the last one is at least `every` old."""
    return last is None or now - last >= every


def scoring_due(db: sessionmaker[Session], clock: Clock) -> bool:
    """An active version exists and it has not scored since the site's current clock hour began (a scoring is
    made as of that hour's start, see score_with_version; a new version is scored at once)."""
    now = now_of(clock)
    with db() as session:
        active = registry.active_version(session, RISK)
        last = None if active is None else predictions.last_scored_at(session, active.id)
    return active is not None and (last is None or last < clock_hour_start(now, site_zone(db)))


def score_machines(db: sessionmaker[Session], clock: Clock) -> int:
    """Score every machine inside a shift with the active version, as of the start of the site's current clock
    hour; returns the predictions stored (0 when no version is active or no machine is in a shift)."""
    now = now_of(clock)
    with db() as session:
        active = registry.active_version(session, RISK)
        if active is None:
            return 0
        version_id, artefact = active.id, registry.load_artefact(session, active.id)
    return score_with_version(db, version_id, artefact, now)


def score_with_version(db: sessionmaker[Session], version_id: int, artefact, now: datetime) -> int:
    """`score_machines` with a given version (benchmarks/ml.py times scoring with whatever version it trained).

    The moment scored is the start of the site's clock hour `now` falls in, not `now`: the model learned on rows
    made on the hour (core.ml.dataset.hourly_moments), so a 10:36 scoring would show it an hour of day and hours
    into the shift it never saw. The features read only data before that moment, the horizon runs from it, and
    the predictions are stored with it as made_at (a tick late in the hour still predicts from the hour's start,
    so what is shown stays what the model was trained to say)."""
    settings = artefact.settings
    calendar = site_calendar(db)
    moment = clock_hour_start(now, calendar.zone if calendar else "UTC")
    # The window reaches a minute past the moment so that a shift beginning right then is in the history's
    # calendar (features only ever read data before their moment).
    histories = load_histories(db, machines(db), moment - timedelta(hours=1), moment + timedelta(minutes=1),
                               calendar)
    at = moment.timestamp()
    moments = [np.array([at]) if _scorable(h, at) else np.empty(0) for h in histories]
    if not any(len(m) for m in moments):
        return 0
    scores = score(artefact, build_dataset(histories, moments, settings, fault_texts(db)))
    with db.begin() as session:
        return predictions.store_predictions(
            session, version_id, moment, moment + timedelta(hours=settings.horizon_hours),
            [NewPrediction(s.equipment_id, s.probability, s.baseline_probability, s.drivers) for s in scores])


def _scorable(history: MachineHistory, t: float) -> bool:
    """Inside a shift at t (any time when the site has no shifts), with data, and the PLC heard at t."""
    k = np.searchsorted(history.change_at, t, side="right") - 1
    if k < 0 or history.change_state[k] == "no_data":
        return False
    if not len(history.shift_start):
        return True
    k = np.searchsorted(history.shift_start, t, side="right") - 1
    return bool(k >= 0 and t < history.shift_end[k])


def join_outcomes(db: sessionmaker[Session], clock: Clock) -> int:
    """Record what happened after each stored prediction whose horizon (plus the stop length) has passed;
    returns how many outcomes were recorded."""
    now = now_of(clock)
    with db() as session:
        waiting = predictions.awaiting_outcome(session, now)
        settings = {row.id: version_settings(row) for row in session.scalars(
            select(MlModelVersion).where(MlModelVersion.id.in_({p.model_version_id for p in waiting})))}
    if not waiting:
        return 0
    plant = _machines_by_id(db, {p.equipment_id for p in waiting})
    start = min(p.made_at for p in waiting)
    histories = {h.equipment_id: h for h in load_histories(db, list(plant.values()), start, now, site_calendar(db))}
    known: dict[int, bool] = {}
    for p in waiting:
        history = histories.get(p.equipment_id)
        happened = outcome(history, p.made_at, settings[p.model_version_id]) if history is not None else None
        if happened is not None:
            known[p.id] = happened
    if known:
        with db.begin() as session:
            predictions.record_outcomes(session, known, now)
    return len(known)


def _machines_by_id(db: sessionmaker[Session], ids: set[int]) -> dict[int, Machine]:
    """The machines predictions were made for, removed ones too (their outcomes are still known)."""
    with db() as session:
        rows = session.execute(select(EquipmentRow, LineRow).join(LineRow, EquipmentRow.line_id == LineRow.id)
                               .where(EquipmentRow.id.in_(ids))).all()
    return {e.id: Machine(e.id, e.code, e.name, line.code, line.name, e.ideal_cycle_time_s, e.micro_stop_threshold_s,
                          e.cost_per_hour, e.plc_driver, e.plc_address, e.plc_slot, {}) for e, line in rows}


def find_new_anomalies(db: sessionmaker[Session], clock: Clock) -> int:
    """Stretches of odd minutes found since the last scans by the active anomaly version (core.ml.anomaly stores
    each stretch once); 0 when no anomaly version is active."""
    with db() as session:
        active = registry.active_version(session, ANOMALY)
        if active is None:
            return 0
        version_id, artefact = active.id, registry.load_artefact(session, active.id)
    return anomaly.find_anomalies(db, clock if callable(clock) else (lambda: clock), artefact, version_id)


def put_to_work(db: sessionmaker[Session], clock: Clock, version: VersionSummary) -> int:
    """Use a version that has just become active at once rather than at the next hourly tick: the risk model
    scores every machine; the anomaly model scans its holdout days, which it did not learn from, so the anomaly
    timeline has its out-of-sample stretches from the start. Returns the predictions or stretches stored."""
    if version.status != "active":
        return 0
    if version.model == RISK:
        return score_machines(db, clock)
    with db() as session:
        artefact = registry.load_artefact(session, version.id)
    return anomaly.find_anomalies(db, clock if callable(clock) else (lambda: clock), artefact, version.id,
                                  since=version.holdout_start)


def drift_due(db: sessionmaker[Session], clock: Clock) -> bool:
    with db() as session:
        active = registry.active_version(session, RISK)
        if active is None:
            return False
        last = session.scalar(select(MlDriftCheck.checked_at).where(MlDriftCheck.model_version_id == active.id)
                              .order_by(MlDriftCheck.checked_at.desc()).limit(1))
    return due(last, now_of(clock), DRIFT_EVERY)


def check_drift(db: sessionmaker[Session], clock: Clock) -> dict:
    """PSI of each feature between the active version's training rows and the last 7 days' hourly rows, stored in
    ml_drift_checks; when the largest reaches [ml] retrain_psi (and no training ran or failed in the last 24 h) a
    new version is trained. Returns what was found, with a `note` in words (a failed retraining too)."""
    now = now_of(clock)
    with db() as session:
        active = registry.active_version(session, RISK)
        if active is None:
            return {"checked": False, "note": "No downtime-risk version is active: nothing to check for drift."}
        version_id, version, reference = active.id, active.version, json.loads(active.drift_reference)
        trained_with = version_settings(active)
    start = now - timedelta(days=DRIFT_DAYS)
    histories = [h for h in load_histories(db, machines(db), start, now, site_calendar(db)) if len(h.change_at)]
    moments = [moments_with_data(h, h.change_at[0]) for h in histories]
    frame = build_dataset(histories, moments, trained_with, fault_texts(db)).frame
    psi = population_stability(reference, frame) if reference.get("features") else {}
    if not psi:
        return {"checked": False, "version": version, "note": f"No machine rows in the last {DRIFT_DAYS} days to "
                                                              "compare with the training rows: drift not checked."}
    threshold = ml_settings(db).retrain_psi
    worst = max(psi, key=psi.get)
    last_training = last_training_attempt(db, RISK)
    retrain = psi[worst] >= threshold and due(last_training, now, RETRAIN_AT_MOST_EVERY)
    with db.begin() as session:
        session.add(MlDriftCheck(model_version_id=version_id, checked_at=now, window_start=start, window_end=now,
                                 psi=json.dumps(psi, sort_keys=True), max_psi=psi[worst], retrain=retrain))
    found = {"checked": True, "version": version, "checked_at": now.isoformat(), "rows": int(len(frame)),
             "psi": psi, "max_psi": psi[worst], "feature": worst, "retrain_psi": threshold, "retrain": retrain,
             "note": _drift_note(psi[worst], worst, threshold, retrain, last_training)}
    if retrain:
        try:
            found["retrained"] = train_model(db, now, RISK, by="job:drift").version
        except ValueError as exc:
            found["note"] += f" Retraining failed: {exc}"
        except Exception as exc:  # train_model recorded the attempt: the next retraining waits its 24 hours
            log.exception("retraining on drift failed")
            found["note"] += f" Retraining failed ({type(exc).__name__}: {exc}); see the log."
    return found


def _drift_note(worst_psi: float, feature: str, threshold: float, retrain: bool, last: datetime | None) -> str:
    figure = f"the largest population stability index is {worst_psi:.3f} ({feature})"
    if worst_psi < threshold:
        return f"No drift to act on: {figure}, below the retraining threshold {threshold:g}."
    if retrain:
        return f"Drift: {figure}, at or above the retraining threshold {threshold:g}: retraining."
    return (f"Drift: {figure}, at or above the retraining threshold {threshold:g}, but a training ran at "
            f"{last:%Y-%m-%d %H:%M} UTC, less than {RETRAIN_AT_MOST_EVERY.total_seconds() / 3600:g} hours ago: "
            "retraining waits.")
