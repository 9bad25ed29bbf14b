"""Retrying a source's quarantined rows: read them again from the source, after the mapping was fixed, and take
those that pass now; the others stay, with their reason as it is now."""

from __future__ import annotations

import time as stopwatch
from datetime import datetime
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.clock import utc_now
from core.persistence.sync_tables import QuarantinedRow, SyncSourceRow
from core.sync.row_mapping import RefusedRow
from core.sync.source_connection import SourceEngines
from core.sync.source_plan import EXPECTED_FAILURES, SyncReport, one_line, plan_source, source_settings
from core.sync.synced_keys import CHUNK
from core.sync.synced_rows_store import write_batch


def retry_quarantined(db: sessionmaker[Session], name: str, engines: SourceEngines,
                      now: Callable[[], datetime] = utc_now, actor: Actor | None = None) -> SyncReport:
    source_id, settings = source_settings(db, name)
    report = SyncReport(name)
    started = stopwatch.perf_counter()
    try:
        with db() as session:
            held = list(session.scalars(select(QuarantinedRow.source_row_id)
                                        .where(QuarantinedRow.source_id == source_id)
                                        .order_by(QuarantinedRow.source_row_id)))
        with engines.engine_for(settings.url_env).connect() as connection:
            plan = plan_source(db, connection, source_id, settings)
            id_column = plan.table.c[settings.id_column]
            for start in range(0, len(held), settings.batch_size):
                wanted = held[start:start + settings.batch_size]
                rows = []
                for chunk in range(0, len(wanted), CHUNK):
                    rows += connection.execute(select(*plan.columns)
                                               .where(id_column.in_(wanted[chunk:chunk + CHUNK]))).all()
                found = {row[0] for row in rows}
                mapped = plan.mapped(rows) + [RefusedRow(row_id, "the row is no longer in the source", None)
                                              for row_id in wanted if row_id not in found]
                with db.begin() as session:
                    report.add(write_batch(session, plan.batch, mapped, now()), len(rows))
    except EXPECTED_FAILURES as exc:
        report.error = one_line(exc)
    report.seconds = stopwatch.perf_counter() - started
    with db.begin() as session:
        session.execute(update(SyncSourceRow).where(SyncSourceRow.id == source_id).values(retry_requested_at=None))
        audit.record(session, (actor.username if actor else "system"), "sync.retry", name,
                     {"taken": report.taken_from_quarantine, "still_quarantined": report.refused,
                      **({"error": report.error} if report.error else {})}, actor.address if actor else "")
    return report
