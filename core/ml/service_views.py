"""Use cases the pages and `floorboard ml evaluate` read: the risk board, a model's record, the active version's
figures. Every figure comes from the store (the version's holdout metrics as measured at training, predictions
joined to what happened); where there is nothing to show, `note` says why in words. Achieved accuracy is always
one version's own record, measured with the settings it was trained with: pooled with another version's it
would describe neither.

`evaluate_active` is the one JSON object `floorboard ml evaluate --json` prints; the model page shows the same
stored metrics and the same `achieved` figures, so the two cannot disagree.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.ml import predictions, registry
from core.ml.metrics import measure
from core.ml.service_scoring import RISK, version_settings
from core.ml.service_training import ml_settings
from core.ml.service_versions import Clock, now_of
from core.ml.views import Achieved, ModelOverview, RiskBoard, RiskRow
from core.persistence.ml_tables import MlDriftCheck, MlModelVersion
from core.clock import utc_now
from core.plant.equipment import machines

ACHIEVED_DAYS = 28
TRAIN_HINT = ("run `floorboard ml train` once the plant has a week or more of history (the nightly retraining "
              "tries every night)")


def risk_board(db: sessionmaker[Session], clock: Clock) -> RiskBoard:
    """The active version's latest prediction per machine (horizon not passed yet), riskiest first."""
    now = now_of(clock)
    settings = ml_settings(db)
    with db() as session:
        active = registry.active_version(session, RISK)
        if active is None:
            return RiskBoard((), None, settings.stop_minutes, settings.horizon_hours, None, _no_active(session, RISK))
        version, trained_with = registry.summary(active), version_settings(active)
        stored = predictions.latest_per_machine(session, active.id, now)
        last = predictions.last_scored_at(session, active.id)
    plant = {m.id: m for m in machines(db)}
    rows = sorted((RiskRow(p.equipment_id, plant[p.equipment_id].code, plant[p.equipment_id].name,
                           plant[p.equipment_id].line_code, p.probability, p.baseline_probability, p.drivers, p.made_at)
                   for p in stored if p.equipment_id in plant), key=lambda r: (-r.probability, r.machine))
    beats = version.metrics.get("beats_baseline")
    note = ""
    if not rows:
        note = (f"Version {version.version} is active but has not scored the machines yet: the scoring job scores "
                "every machine in a shift each hour." if last is None else
                f"No prediction in force: version {version.version} last scored at {last:%Y-%m-%d %H:%M} UTC, and "
                f"its {trained_with.horizon_hours:g}-hour horizon has passed (no machine in a shift since, or the "
                "jobs process is not running).")
    elif beats is not True:
        note = (f"Version {version.version} does not beat the naive baseline on its holdout: read its risks as no "
                "better than each machine's usual rate for the hour.")
    return RiskBoard(tuple(rows), version, trained_with.stop_minutes, trained_with.horizon_hours,
                     beats if isinstance(beats, bool) else None, note)


def _no_active(session: Session, model: str) -> str:
    newest = registry.versions(session, model)
    if not newest:
        return f"No {model} model has been trained yet: {TRAIN_HINT}."
    latest = newest[0]
    if latest.status == registry.REJECTED:
        return (f"No model is active: the latest version ({latest.version}, trained "
                f"{latest.trained_at:%Y-%m-%d %H:%M} UTC) does not beat the naive baseline, so no risk is shown. "
                f"{latest.decision}")
    return (f"No model is active: an admin can make version {latest.version} active on the model page, or "
            f"{TRAIN_HINT}.")


def achieved(db: sessionmaker[Session], model: str, now: datetime, days: int = ACHIEVED_DAYS) -> Achieved | None:
    """What the active version's own predictions of the last `days` achieved, joined to what happened; None when
    no version is active or none of its predictions has an outcome yet (see achieved_by)."""
    with db() as session:
        active = registry.active_version(session, model)
        return None if active is None else achieved_by(session, active, now, days)


def achieved_by(session: Session, version: MlModelVersion, now: datetime, days: int = ACHIEVED_DAYS) -> \
        Achieved | None:
    """One version's own predictions made in the last `days` whose outcome is known, measured like its holdout:
    with its own top_k, each outcome judged with its own stop length and horizon (core.ml.service_scoring
    .join_outcomes). Other versions' predictions are left out: after a promotion they describe another model.
    None when none has an outcome yet."""
    rows = predictions.with_outcomes(session, version.id, now - timedelta(days=days), now)
    if not rows:
        return None
    settings = version_settings(version)
    k = settings.top_k
    at = np.array([p.made_at.timestamp() for p in rows])
    y = np.array([1.0 if p.outcome else 0.0 for p in rows])
    active = f", active since {version.activated_at:%Y-%m-%d %H:%M} UTC" if version.activated_at else ""
    note = (f"{len(rows):,} predictions of version {version.version}{active}, made since "
            f"{rows[0].made_at:%Y-%m-%d %H:%M} UTC (the last {days} days at most), each judged once its "
            f"{settings.horizon_hours:g}-hour horizon had passed: a stop of {settings.stop_minutes:g} minutes or "
            f"more, precision at its own top {k}, as it was trained. Other versions' predictions are not counted.")
    return Achieved(rows[0].made_at, measure(at, y, np.array([p.probability for p in rows]), k),
                    measure(at, y, np.array([p.baseline_probability for p in rows]), k), note)


def model_overview(db: sessionmaker[Session], model: str = RISK, clock: Clock | None = None) -> ModelOverview:
    """A model's versions (newest first), the active one, what it achieved, and its latest drift check."""
    now = now_of(clock or utc_now)
    registry.check_model(model)
    settings = ml_settings(db)
    with db() as session:
        rows = registry.versions(session, model)
        dropped = registry.without_artefact(session, [row.id for row in rows])
        active = next((row for row in rows if row.status == registry.ACTIVE), None)
        check = None if active is None else session.scalars(
            select(MlDriftCheck).where(MlDriftCheck.model_version_id == active.id)
            .order_by(MlDriftCheck.checked_at.desc()).limit(1)).first()
        note = "" if active is not None else _no_active(session, model)
        done = achieved_by(session, active, now) if active is not None and model == RISK else None
    return ModelOverview(
        model=model, active=registry.summary(active) if active else None,
        versions=tuple(registry.summary(row, row.id not in dropped) for row in rows),
        achieved=done,
        drift=json.loads(check.psi) if check else {}, drift_checked_at=check.checked_at if check else None,
        retrain_psi=settings.retrain_psi, note=note)


def evaluate_active(db: sessionmaker[Session], model: str = RISK, clock: Clock | None = None) -> dict:
    """What `floorboard ml evaluate --json` prints: the active version, its holdout window, its holdout metrics
    and the baseline's as stored at training, whether it beats the baseline, and the accuracy achieved since."""
    now = now_of(clock or utc_now)
    overview = model_overview(db, model, now)
    version = overview.active
    if version is None:
        return {"model": model, "active": False, "version": None, "note": overview.note}
    figures = dict(version.metrics)
    beats, verdict = figures.pop("beats_baseline", None), figures.pop("verdict", "")
    done = overview.achieved
    return {
        "model": model, "active": True, "version": version.version, "version_id": version.id,
        "trained_at": version.trained_at.isoformat(), "trained_by": version.trained_by,
        "train_window": {"start": version.train_start.isoformat(), "end": version.train_end.isoformat()},
        "holdout_window": {"start": version.holdout_start.isoformat(), "end": version.holdout_end.isoformat()},
        "model_metrics": figures, "baseline_metrics": version.baseline_metrics, "beats_baseline": beats,
        "verdict": verdict, "decision": version.decision, "checksum": version.checksum,
        "achieved": None if done is None else {
            "since": done.since.isoformat(), "until": now.isoformat(), "model": _figures(done.model),
            "baseline": _figures(done.baseline), "note": done.note},
    }


def _figures(metrics) -> dict:
    return {"rows": metrics.rows, "positives": metrics.positives, "roc_auc": metrics.roc_auc,
            "brier": metrics.brier, "precision_at_k": metrics.precision_at_k, "k": metrics.k}
