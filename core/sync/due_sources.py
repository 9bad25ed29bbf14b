"""What the jobs process does for the sources on each tick: retry the sources whose retry was asked for on the
admin page, then sync each source that is due (its `every_s` has passed since its last run) or was asked for."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.accounts import Actor
from core.clock import utc_now
from core.persistence.sync_tables import SyncSourceRow
from core.plant.config_schema import Source
from core.sync.quarantine_retry import retry_quarantined
from core.sync.source_connection import SourceEngines
from core.sync.source_plan import SyncError, SyncReport
from core.sync.source_sync import sync_source

log = logging.getLogger(__name__)


def sync_due_sources(db: sessionmaker[Session], engines: SourceEngines, now: Callable[[], datetime] = utc_now,
                     keep_going: Callable[[], bool] = lambda: True) -> list[SyncReport]:
    reports = []
    with db() as session:
        sources = list(session.execute(select(SyncSourceRow.name, SyncSourceRow.settings,
                                              SyncSourceRow.run_started_at, SyncSourceRow.run_requested_at,
                                              SyncSourceRow.retry_requested_at, SyncSourceRow.requested_by)
                                       .where(SyncSourceRow.active).order_by(SyncSourceRow.position)))
    for source in sources:
        if not keep_going():
            break
        try:
            reports += _sync_if_due(db, source, engines, now, keep_going)
        except SyncError as exc:  # a run of it by hand is going on: the next tick looks again
            log.info("source %s: %s", source.name, exc)
        except Exception:  # a fault in one source's sync (recorded on it) must not stop the others
            log.exception("source %s: the sync failed", source.name)
    return reports


def _sync_if_due(db, source, engines: SourceEngines, now, keep_going) -> list[SyncReport]:
    reports = []
    asked_by = Actor(source.requested_by) if source.requested_by else None
    if source.retry_requested_at is not None:
        reports.append(retry_quarantined(db, source.name, engines, now, actor=asked_by))
    every = timedelta(seconds=Source.model_validate_json(source.settings).every_s)
    asked = source.run_requested_at is not None and (source.run_started_at is None
                                                     or source.run_requested_at > source.run_started_at)
    if source.run_started_at is None or source.run_started_at + every <= now() or asked:
        reports.append(sync_source(db, source.name, engines, now, actor=asked_by if asked else None,
                                   keep_going=keep_going))
    return reports
