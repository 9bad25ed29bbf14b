"""Stored risk predictions: written as they were made, joined later to what happened.

A prediction made at t says how likely an unplanned stop is in (t, horizon_end]; its outcome can be known once
the data reaches horizon_end plus the stop length (a stop beginning just before horizon_end must last that
long). Until then `outcome` stays null, and the achieved accuracy leaves the prediction out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.ml.views import Driver
from core.persistence.ml_tables import MlPrediction


@dataclass(frozen=True)
class NewPrediction:
    equipment_id: int
    probability: float
    baseline_probability: float
    drivers: tuple[Driver, ...]


@dataclass(frozen=True)
class StoredPrediction:
    id: int
    model_version_id: int
    equipment_id: int
    made_at: datetime
    horizon_end: datetime
    probability: float
    baseline_probability: float
    drivers: tuple[Driver, ...]
    outcome: bool | None


def store_predictions(session: Session, version_id: int, made_at: datetime, horizon_end: datetime,
                      predictions: list[NewPrediction]) -> int:
    """Store one scoring (every machine scored at `made_at`); returns how many rows were written. A machine this
    version already scored at `made_at` (the job and a fresh activation scoring the same hour) is not stored
    again, so the achieved figures count each prediction once (a unique key backs this up)."""
    done = set(session.scalars(select(MlPrediction.equipment_id).where(MlPrediction.model_version_id == version_id,
                                                                      MlPrediction.made_at == made_at)))
    predictions = [p for p in predictions if p.equipment_id not in done]
    session.add_all(MlPrediction(
        model_version_id=version_id, equipment_id=p.equipment_id, made_at=made_at, horizon_end=horizon_end,
        probability=float(p.probability), baseline_probability=float(p.baseline_probability),
        drivers=json.dumps([{"feature": d.feature, "text": d.text, "effect": float(d.effect)} for d in p.drivers]))
        for p in predictions)
    session.flush()
    return len(predictions)


def _stored(row: MlPrediction) -> StoredPrediction:
    return StoredPrediction(row.id, row.model_version_id, row.equipment_id, row.made_at, row.horizon_end,
                            row.probability, row.baseline_probability,
                            tuple(Driver(d["feature"], d["text"], d["effect"]) for d in json.loads(row.drivers)),
                            row.outcome)


def latest_per_machine(session: Session, version_id: int, now: datetime) -> list[StoredPrediction]:
    """Each machine's latest prediction by the version whose horizon has not passed yet at `now`."""
    latest = (select(MlPrediction.equipment_id, func.max(MlPrediction.made_at).label("made_at"))
              .where(MlPrediction.model_version_id == version_id, MlPrediction.made_at <= now,
                     MlPrediction.horizon_end > now)
              .group_by(MlPrediction.equipment_id).subquery())
    rows = session.scalars(select(MlPrediction).join(latest, and_(
        MlPrediction.equipment_id == latest.c.equipment_id, MlPrediction.made_at == latest.c.made_at))
        .where(MlPrediction.model_version_id == version_id).order_by(MlPrediction.id))
    newest: dict[int, MlPrediction] = {}
    for row in rows:  # two scorings at one instant: the later row
        newest[row.equipment_id] = row
    return [_stored(row) for row in newest.values()]


def last_scored_at(session: Session, version_id: int) -> datetime | None:
    return session.scalar(select(func.max(MlPrediction.made_at)).where(MlPrediction.model_version_id == version_id))


def awaiting_outcome(session: Session, now: datetime, limit: int = 20_000) -> list[StoredPrediction]:
    """Predictions without an outcome whose horizon has passed at `now`, oldest first. (Whether the data reaches
    far enough past it, the stop length of each version, core.ml.labels.outcome decides.)"""
    rows = session.scalars(select(MlPrediction).where(MlPrediction.outcome.is_(None), MlPrediction.horizon_end <= now)
                           .order_by(MlPrediction.made_at, MlPrediction.id).limit(limit))
    return [_stored(row) for row in rows]


def record_outcomes(session: Session, outcomes: dict[int, bool], now: datetime) -> int:
    """Set the outcome of the predictions `outcomes` names (id -> an unplanned stop happened)."""
    for row in session.scalars(select(MlPrediction).where(MlPrediction.id.in_(list(outcomes)))):
        row.outcome, row.outcome_at = bool(outcomes[row.id]), now
    session.flush()
    return len(outcomes)


def with_outcomes(session: Session, version_id: int, since: datetime, until: datetime) -> list[StoredPrediction]:
    """One version's predictions made in [since, until) whose outcome is known, oldest first (another version's
    predictions describe another model, with perhaps another label and horizon)."""
    rows = session.scalars(
        select(MlPrediction)
        .where(MlPrediction.model_version_id == version_id, MlPrediction.outcome.is_not(None),
               MlPrediction.made_at >= since, MlPrediction.made_at < until)
        .order_by(MlPrediction.made_at, MlPrediction.id))
    return [_stored(row) for row in rows]
