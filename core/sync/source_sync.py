"""Running a source's sync: read the source in keyset batches, write each batch and its watermark at once.

`sync_source` reads the rows past the watermark (less an overlap, for rows committed late) in batches by id,
then, with `updated_column`, the rows changed since the last run; each batch is written with
core.sync.synced_rows_store in one transaction with the watermark that follows it, so a failure anywhere
loses at most the batch in hand, which the next run does again. Each run leaves its figures and any error on
the source's row (the admin page and /metrics).
"""

from __future__ import annotations

import time as stopwatch
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.clock import utc_now
from core.persistence.sync_tables import SyncedRow, SyncSourceRow
from core.sync.source_connection import SourceEngines
from core.sync.source_plan import (EXPECTED_FAILURES, SourcePlan, SyncError, SyncReport, one_line, plan_source,
                                   source_settings)
from core.sync.synced_rows_store import write_batch

REPEATED_HOUR = timedelta(hours=1)
RUN_ALIVE_FOR = timedelta(minutes=5)  # a run that wrote nothing for this long is taken as dead (its process was)


def sync_source(db: sessionmaker[Session], name: str, engines: SourceEngines, now: Callable[[], datetime] = utc_now,
                actor: Actor | None = None, before_commit: Callable[[int], None] | None = None,
                keep_going: Callable[[], bool] = lambda: True) -> SyncReport:
    """One run: new rows, then changed rows. Never raises for a source or data problem: the report and the
    source's row say what failed. Between batches it stops when `keep_going()` says so (the jobs lease was
    lost). `before_commit(batch number)` is called inside each batch's transaction (tests inject failures)."""
    source_id, settings = source_settings(db, name)
    report = SyncReport(name)
    started = stopwatch.perf_counter()
    _mark_started(db, source_id, now())
    try:
        with engines.engine_for(settings.url_env).connect() as connection:
            plan = plan_source(db, connection, source_id, settings)
            first_run = _read_new_rows(db, connection, plan, report, now, before_commit, keep_going)
            if settings.updated_column and not first_run and not report.stopped:  # a first run read every row
                _read_changed_rows(db, connection, plan, report, now, before_commit, keep_going)
            _measure_lag(db, connection, plan, report)
    except Exception as exc:  # noqa: BLE001  every failure is recorded where the admin page shows it
        report.error = one_line(exc)
        report.seconds = stopwatch.perf_counter() - started
        _mark_finished(db, source_id, report, now(), actor)
        if not isinstance(exc, EXPECTED_FAILURES):
            raise
        return report
    report.seconds = stopwatch.perf_counter() - started
    _mark_finished(db, source_id, report, now(), actor)
    return report


def _read_new_rows(db, connection: Connection, plan: SourcePlan, report: SyncReport, now, before_commit,
                   keep_going) -> bool:
    """Read the rows past the watermark (less the overlap); True when this was the source's first run."""
    settings = plan.settings
    id_column = plan.table.c[settings.id_column]
    with db() as session:
        source = session.get(SyncSourceRow, plan.source_id)
        watermark, updated_mark = source.watermark_id, source.watermark_updated
    first_run = watermark is None
    if updated_mark is None and settings.updated_column:
        # First run: rows changed before now are read as they stand now; later changes are read by updated_column.
        newest = plan.mapper.utc(connection.execute(select(func.max(plan.table.c[settings.updated_column]))).scalar())
        updated_mark = None if newest is None else min(newest, now())  # a clock set wrong is no reason to skip
    after = None if watermark is None else watermark - settings.overlap_ids
    while not _stop_here(report, keep_going):
        query = select(*plan.columns).order_by(id_column).limit(settings.batch_size)
        if after is not None:
            query = query.where(id_column > after)
        rows = connection.execute(query).all()
        if not rows:
            break
        last = rows[-1][0]
        watermark = last if watermark is None else max(watermark, last)
        _write(db, plan, rows, report, now, before_commit,
               {"watermark_id": watermark, **({"watermark_updated": updated_mark} if updated_mark else {})})
        after = last
        if len(rows) < settings.batch_size:
            break
    report.watermark_id = watermark
    return first_run


def _read_changed_rows(db, connection: Connection, plan: SourcePlan, report: SyncReport, now, before_commit,
                       keep_going) -> None:
    settings = plan.settings
    id_column, updated = plan.table.c[settings.id_column], plan.table.c[settings.updated_column]
    position = plan.mapper.names.index(settings.updated_column)
    with db() as session:
        mark = session.get(SyncSourceRow, plan.source_id).watermark_updated
    if mark is None:
        return
    # An hour more than the overlap: the hour the clocks repeat in autumn reads as earlier than it is
    since = plan.mapper.local(mark - timedelta(minutes=settings.overlap_minutes) - REPEATED_HOUR)
    since_id = None
    while not _stop_here(report, keep_going):
        condition = updated >= since if since_id is None else \
            or_(updated > since, and_(updated == since, id_column > since_id))
        rows = connection.execute(select(*plan.columns).where(condition)
                                  .order_by(updated, id_column).limit(settings.batch_size)).all()
        if not rows:
            break
        since, since_id = rows[-1][position], rows[-1][0]
        newest = plan.mapper.utc(since)
        # Never past the run's own time: one row stamped in the future would hide every later change
        _write(db, plan, rows, report, now, before_commit,
               {"watermark_updated": min(max(mark, newest), now()) if newest else mark})
        if len(rows) < settings.batch_size:
            break


def _stop_here(report: SyncReport, keep_going: Callable[[], bool]) -> bool:
    if not keep_going():
        report.stopped = True
    return report.stopped


def _write(db, plan: SourcePlan, rows, report: SyncReport, now, before_commit, marks: dict) -> None:
    mapped = plan.mapped(rows)
    with db.begin() as session:
        batch = write_batch(session, plan.batch, mapped, now())
        session.execute(update(SyncSourceRow).where(SyncSourceRow.id == plan.source_id)
                        .values(**marks, run_alive_at=now()))
        if before_commit is not None:
            before_commit(report.batches + 1)
    report.add(batch, len(rows))


def _measure_lag(db, connection: Connection, plan: SourcePlan, report: SyncReport) -> None:
    settings = plan.settings
    id_column = plan.table.c[settings.id_column]
    if report.watermark_id is None:
        report.lag_rows = connection.execute(select(func.count()).select_from(plan.table)).scalar()
        return
    report.lag_rows = connection.execute(select(func.count()).select_from(plan.table)
                                         .where(id_column > report.watermark_id)).scalar()
    theirs = connection.execute(select(plan.table.c[settings.columns.start])
                                .order_by(id_column.desc()).limit(1)).scalar()
    with db() as session:
        ours = session.scalar(select(SyncedRow.start_at).where(SyncedRow.source_id == plan.source_id)
                              .order_by(SyncedRow.source_row_id.desc()).limit(1))
    theirs = plan.mapper.utc(theirs)
    if theirs is not None and ours is not None:
        report.lag_seconds = max(0.0, (theirs - ours).total_seconds())


def _mark_started(db: sessionmaker[Session], source_id: int, at: datetime) -> None:
    """Claim the source for this run, unless another run of it is alive (a run by hand while the jobs process
    syncs it, say): one run of a source at a time."""
    source = SyncSourceRow
    running = (source.run_started_at.is_not(None)
               & (source.run_finished_at.is_(None) | (source.run_finished_at < source.run_started_at))
               & (source.run_alive_at > at - RUN_ALIVE_FOR))
    with db.begin() as session:
        claimed = session.execute(update(source).where(source.id == source_id, ~running)
                                  .values(run_started_at=at, run_alive_at=at)).rowcount
        if not claimed:
            since = session.scalar(select(source.run_started_at).where(source.id == source_id))
            raise SyncError(f"a run of this source is going on since {since:%Y-%m-%d %H:%M:%S} UTC: try again when "
                            "it is done")


def _mark_finished(db: sessionmaker[Session], source_id: int, report: SyncReport, at: datetime,
                   actor: Actor | None) -> None:
    values: dict[str, Any] = {
        "run_finished_at": at, "run_ok": report.error is None, "rows_read": report.read,
        "rows_written": report.written, "rows_quarantined": report.quarantined,
        "total_read": SyncSourceRow.total_read + report.read,
        "total_written": SyncSourceRow.total_written + report.written}
    if report.error is None:
        values.update(last_success_at=at, lag_rows=report.lag_rows, lag_seconds=report.lag_seconds,
                      failing_since=None)
    else:
        values.update(last_error=report.error, last_error_at=at, runs_failed=SyncSourceRow.runs_failed + 1,
                      failing_since=func.coalesce(SyncSourceRow.failing_since, at))
    with db.begin() as session:
        session.execute(update(SyncSourceRow).where(SyncSourceRow.id == source_id).values(**values))
        if actor is not None:
            audit.record(session, actor.username, "sync.run", report.source,
                         {"read": report.read, "written": report.written, "quarantined": report.quarantined,
                          **({"error": report.error} if report.error else {})}, actor.address)
