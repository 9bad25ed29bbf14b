"""How long tag trends are kept: raw samples for RAW_DAYS, minute summaries for MINUTE_DAYS.

Raw samples are the bulk (one row per change beyond a deadband, per tag); the
minute summaries keep the shape of a trend for years at 1,440 rows per tag and
day. Old rows leave in bounded batches so a large backlog never holds a long lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plc_tables import TagMinute, TagSample

RAW_DAYS = 30
MINUTE_DAYS = 730
BATCH = 20_000


@dataclass
class PruneSummary:
    samples: int = 0
    minutes: int = 0


def prune_trends(db: sessionmaker[Session], now: datetime, raw_days: int = RAW_DAYS, minute_days: int = MINUTE_DAYS,
                 batch: int = BATCH) -> PruneSummary:
    summary = PruneSummary()
    summary.samples = _prune(db, TagSample, TagSample.at_epoch, (now - timedelta(days=raw_days)).timestamp(), batch)
    summary.minutes = _prune(db, TagMinute, TagMinute.minute_epoch,
                             (now - timedelta(days=minute_days)).timestamp(), batch)
    return summary


def _prune(db: sessionmaker[Session], table, at_column, before: float, batch: int) -> int:
    removed = 0
    while True:
        with db.begin() as session:
            ids = session.scalars(select(table.id).where(at_column < before).limit(batch)).all()  # by the age index
            if ids:
                session.execute(delete(table).where(table.id.in_(ids)))
        removed += len(ids)
        if len(ids) < batch:
            return removed
