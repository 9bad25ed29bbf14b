"""Anomalies: which machines behave oddly while running — slower cycles, more rejects, a hotter motor — found by
one IsolationForest per machine on its running minutes, and stored as stretches of flagged minutes.

Use cases: `train_anomaly` (the registry keeps the result as model "anomaly"), `find_anomalies` (the scoring job:
new stretches into ml_anomalies, never the same one twice), `anomaly_stretches` (what the pages show).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import numpy as np
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.ml.anomaly_evaluation import LIFT_HOURS, FollowCounts, followed_by_long_stop, long_stop_starts
from core.ml.anomaly_minutes import HOUR, RUNNING_SHARE, TAG_PREFIX, MachineMinutes, MinuteSource, load_minutes
from core.ml.anomaly_model import (CONTAMINATION, GAP_MINUTES, MIN_FLAGGED, MIN_TRAINING_MINUTES, RANDOM_STATE,
                                   TREES, MachineModel, Stretch, closed, fit_machine, merge_flagged, stretches,
                                   unstored)
from core.ml.views import AnomalyStretch
from core.oee.store_queries import state_changes_frame
from core.persistence.ml_tables import MlAnomaly, MlModelVersion
from core.persistence.plant_tables import EquipmentRow
from core.plant.config_ml import MlSettings
from core.plant.equipment import machines

TRAIN_DAYS = 14
HOLDOUT_DAYS = 3
REACH_BACK = timedelta(hours=3)  # scoring reads this far before `since`: a stretch open last time is found whole
CATCH_UP = timedelta(days=7)  # after a longer jobs outage the scan resumes a week back (bounded work)
SETTLE = timedelta(minutes=1)  # the minute that just closed may still lack its counts: scored next time
DEFAULT_SINCE = timedelta(hours=6)  # a scheduler stopped for a few hours still leaves no minute unscanned


@dataclass
class AnomalyArtefact:
    """The per-machine models (by equipment id) and how minutes are turned into stretches; picklable."""

    machines: dict[int, MachineModel]
    running_share: float = RUNNING_SHARE
    gap_minutes: int = GAP_MINUTES
    min_flagged: int = MIN_FLAGGED

    def sources(self) -> list[MinuteSource]:
        """What to read for each modelled machine: the trend tags its features were learnt from."""
        return [MinuteSource(model.equipment_id, model.code, tuple(dict.fromkeys(
            f.removeprefix(TAG_PREFIX).removesuffix(HOUR) for f in model.features if f.startswith(TAG_PREFIX))))
            for model in self.machines.values()]

    def scan(self, minutes: MachineMinutes) -> tuple[np.ndarray, list[Stretch]]:
        """(in_stretch, stretches): which of the machine's minutes belong to a stretch, and the stretches."""
        model = self.machines[minutes.equipment_id]
        scores, flagged = model.score(minutes)
        kept = np.zeros(len(minutes.minutes), dtype=bool)
        for group in merge_flagged(minutes.minutes, flagged, self.gap_minutes, self.min_flagged):
            kept[group] = True
        return kept, stretches(model, minutes, scores, flagged, self.gap_minutes, self.min_flagged)


@dataclass(frozen=True)
class TrainedAnomaly:
    """A training run: the artefact, its windows, and what it achieved on the holdout days (metrics)."""

    artefact: AnomalyArtefact
    train_start: datetime
    train_end: datetime
    holdout_start: datetime
    holdout_end: datetime
    metrics: dict
    features: tuple[str, ...]
    parameters: dict
    baseline_metrics: dict = field(default_factory=dict)  # no naive baseline: the lift compares with unflagged
    note: str = ""


def train_anomaly(db: sessionmaker[Session], clock: Callable[[], datetime], settings: MlSettings | None = None,
                  train_days: float = TRAIN_DAYS, holdout_days: float = HOLDOUT_DAYS) -> TrainedAnomaly:
    """Fit a model per active machine on the `train_days` before the last `holdout_days`, and measure it on
    those last days. Raises ValueError, in words, when no machine ran long enough to learn what is usual."""
    if train_days <= 0 or holdout_days <= 0:
        raise ValueError("the training and holdout windows must each be longer than zero days")
    settings = settings or MlSettings()
    holdout_end = clock()
    holdout_start = holdout_end - timedelta(days=holdout_days)
    train_start = holdout_start - timedelta(days=train_days)
    plant = machines(db)
    sources = [MinuteSource(m.id, m.code, tuple(m.trend_tags)) for m in plant]
    models = {}
    for minutes in load_minutes(db, sources, train_start, holdout_start):
        model = fit_machine(minutes)
        if model is not None:
            models[model.equipment_id] = model
    if not models:
        raise ValueError(f"No machine ran for {MIN_TRAINING_MINUTES} minutes or more between "
                         f"{train_start:%Y-%m-%d %H:%M} and {holdout_start:%Y-%m-%d %H:%M} UTC: nothing to learn "
                         f"what is usual from")
    artefact = AnomalyArtefact(models)
    metrics = evaluate_anomaly(db, artefact, holdout_start, holdout_end, settings)
    skipped = sorted(m.code for m in plant if m.id not in models)
    metrics["machines_modelled"] = len(models)
    metrics["machines_without_enough_running"] = skipped
    features = tuple(dict.fromkeys(f for model in models.values() for f in model.features))
    parameters = {"train_days": train_days, "holdout_days": holdout_days, "contamination": CONTAMINATION,
                  "trees": TREES, "random_state": RANDOM_STATE, "running_share": artefact.running_share,
                  "gap_minutes": artefact.gap_minutes, "min_flagged": artefact.min_flagged,
                  "min_training_minutes": MIN_TRAINING_MINUTES, "stop_minutes": settings.stop_minutes,
                  "lift_hours": LIFT_HOURS}
    note = (f"{len(skipped)} machine(s) ran too little to learn from: {', '.join(skipped)}." if skipped else "")
    return TrainedAnomaly(artefact, train_start, holdout_start, holdout_start, holdout_end, metrics, features,
                          parameters, note=note)


def evaluate_anomaly(db: sessionmaker[Session], artefact: AnomalyArtefact, start: datetime, end: datetime,
                     settings: MlSettings | None = None) -> dict:
    """On [start, end): running minutes scored, the share flagged (inside stretches), the stretches, and the lift:
    how much more often a long unplanned stop began within LIFT_HOURS after a flagged minute than after an
    unflagged one (None when either has no minute with a known outcome, or no stop followed unflagged minutes)."""
    settings = settings or MlSettings()
    every = load_minutes(db, artefact.sources(), start, end, artefact.running_share)
    changes = state_changes_frame(db, list(artefact.machines), start, end)
    counts, scored, flagged, found = FollowCounts(), 0, 0, 0
    for minutes in every:
        kept, machine_stretches = artefact.scan(minutes)
        scored, flagged, found = scored + len(kept), flagged + int(kept.sum()), found + len(machine_stretches)
        mine = changes[changes["equipment_id"] == minutes.equipment_id]
        stops = long_stop_starts(mine["at"].to_numpy(), mine["state"].to_numpy(), end.timestamp(),
                                 settings.stop_minutes)
        known, followed = followed_by_long_stop(minutes.minutes, stops, end.timestamp(), settings.stop_minutes)
        counts.add(kept[known], followed[known])
    return {"holdout_minutes": scored, "flagged_minutes": flagged,
            "flagged_share": flagged / scored if scored else None, "stretches": found,
            "long_stop_minutes": settings.stop_minutes, "lift_hours": LIFT_HOURS, **counts.figures()}


def find_anomalies(db: sessionmaker[Session], clock: Callable[[], datetime], artefact: AnomalyArtefact,
                   version_id: int, since: datetime | None = None) -> int:
    """Score the running minutes from `since` to the last settled minute and store the new stretches; returns how
    many were stored. Without `since` the scan starts where the version's last scan ended (its scanned_until, so
    minutes during a jobs outage are scanned when the jobs come back; at most CATCH_UP back), or six hours ago
    for a version never used. Minutes from REACH_BACK before the start are read again, so a stretch still open
    at the last scoring is found whole; a stretch still open now (its last flagged minute within the joining gap
    of the end) waits for the next scoring; a stretch overlapping one already stored (by any model version) is
    never stored again, so running twice stores nothing twice."""
    now = clock()
    end = datetime.fromtimestamp(int(now.timestamp()) // 60 * 60, now.tzinfo) - SETTLE
    if since is None:
        with db() as session:
            scanned = session.scalar(select(MlModelVersion.scanned_until).where(MlModelVersion.id == version_id))
        since = max(scanned, now - CATCH_UP) if scanned is not None else now - DEFAULT_SINCE
    start = since - REACH_BACK
    if end <= start or not artefact.machines:
        return 0
    active = {m.id for m in machines(db)}
    sources = [s for s in artefact.sources() if s.equipment_id in active]
    finished: list[Stretch] = []
    for minutes in load_minutes(db, sources, start, end, artefact.running_share):
        _kept, found = artefact.scan(minutes)
        finished += closed(found, end.timestamp(), artefact.gap_minutes)
    with db.begin() as session:
        new = unstored(finished, _stored_spans(session, {s.equipment_id for s in finished}, start, end))
        session.add_all(MlAnomaly(model_version_id=version_id, equipment_id=s.equipment_id, start=_utc(s.start),
                                  end=_utc(s.end), score=s.score, feature=s.feature, detail=s.detail,
                                  found_at=now) for s in new)
        session.execute(update(MlModelVersion).where(
            MlModelVersion.id == version_id,
            or_(MlModelVersion.scanned_until.is_(None), MlModelVersion.scanned_until < end)).values(scanned_until=end))
    return len(new)


def _stored_spans(session: Session, equipment_ids: set[int], start: datetime,
                  end: datetime) -> dict[int, list[tuple[float, float]]]:
    spans: dict[int, list[tuple[float, float]]] = {}
    rows = session.execute(select(MlAnomaly.equipment_id, MlAnomaly.start, MlAnomaly.end).where(
        MlAnomaly.equipment_id.in_(equipment_ids), MlAnomaly.end > start, MlAnomaly.start < end))
    for equipment_id, first, last in rows:
        spans.setdefault(equipment_id, []).append((first.timestamp(), last.timestamp()))
    return spans


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def anomaly_stretches(db: sessionmaker[Session], start: datetime, end: datetime,
                      equipment_ids: Iterable[int] | None = None) -> list[AnomalyStretch]:
    """Stored stretches overlapping [start, end) (of the given machines, or all), earliest first."""
    query = (select(MlAnomaly, EquipmentRow.code).join(EquipmentRow, EquipmentRow.id == MlAnomaly.equipment_id)
             .where(MlAnomaly.end > start, MlAnomaly.start < end).order_by(MlAnomaly.start, MlAnomaly.equipment_id))
    if equipment_ids is not None:
        query = query.where(MlAnomaly.equipment_id.in_(list(equipment_ids)))
    with db() as session:
        return [AnomalyStretch(row.equipment_id, code, row.start, row.end, row.score, row.feature, row.detail)
                for row, code in session.execute(query)]
