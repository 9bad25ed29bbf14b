"""What the anomaly page shows: the stored stretches of a window, the machines they are drawn against, and the
state of the anomaly model, in words when there is nothing to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from core.ml import registry
from core.ml.anomaly import anomaly_stretches
from core.ml.views import AnomalyStretch, VersionSummary
from core.plant.equipment import machines

WINDOWS_HOURS = (24, 168)  # the last day (default) or the last week
NO_MODEL = "No anomaly model yet: run `floorboard ml train --model anomaly`."


@dataclass(frozen=True)
class AnomalyTimeline:
    start: datetime
    end: datetime
    machines: tuple[str, ...]  # codes, in board order: one row each
    stretches: tuple[AnomalyStretch, ...]  # earliest first
    version: VersionSummary | None  # the active anomaly model
    note: str  # in words: no model yet, or nothing odd in the window


def anomaly_timeline(db: sessionmaker[Session], now: datetime, hours: float = 24) -> AnomalyTimeline:
    """The stretches stored for the last `hours` (24 or 168), with the active anomaly model."""
    if hours not in WINDOWS_HOURS:
        raise ValueError(f"the anomaly window is the last 24 hours or the last 7 days, not {hours} hours")
    start = now - timedelta(hours=hours)
    with db() as session:
        active = registry.active_version(session, "anomaly")
        version = registry.summary(active) if active is not None else None
    plant = machines(db)
    found = tuple(anomaly_stretches(db, start, now))
    if version is None:
        note = NO_MODEL
    elif not found:
        window = "day" if hours == 24 else "7 days"
        note = f"No odd behaviour found on {len(plant)} machines in the last {window}."
    else:
        note = ""
    return AnomalyTimeline(start, now, tuple(m.code for m in plant), found, version, note)
