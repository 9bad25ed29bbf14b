"""Running a source's sync: read the source in keyset batches, write each batch and its watermark at once.

`sync_source` reads the rows past the watermark (less an overlap, for rows committed late) in batches by id,
then, with `updated_column`, the rows changed since the last run; each batch is written with
core.sync.synced_rows_store in one transaction with the watermark that follows it, so a failure anywhere
loses at most the batch in hand, which the next run does again. `retry_quarantined` reads the quarantined
rows again. Each run leaves its figures and any error on the source's row (the admin page and /metrics).
"""

from __future__ import annotations

import time as stopwatch
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from sqlalchemy import Column, MetaData, Table, and_, func, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.clock import utc_now
from core.persistence.plant_tables import EquipmentRow, SiteRow
from core.persistence.sync_tables import QuarantinedRow, SyncedRow, SyncSourceRow
from core.plant.config_schema import Source
from core.sync.row_mapping import MappedRow, RefusedRow, RowMapper
from core.sync.source_connection import SourceEngines, SourceUnavailable
from core.sync.plc_precedence import source_claims
from core.sync.synced_rows_store import CHUNK, BatchResult, write_batch

MAX_ERROR_CHARS = 500


class SyncError(Exception):
    """A sync that cannot run as configured; the message is one line for a person."""


# Failures of the source, of the store or of the configuration: recorded on the source, and the run returns.
# Anything else (a bug) is recorded too, then raised.
EXPECTED_FAILURES = (SQLAlchemyError, SourceUnavailable, SyncError, OSError)


@dataclass
class SyncReport:
    source: str
    read: int = 0
    written: int = 0
    unchanged: int = 0
    quarantined: int = 0
    taken_from_quarantine: int = 0
    batches: int = 0
    seconds: float = 0.0
    watermark_id: int | None = None
    lag_rows: int | None = None
    lag_seconds: float | None = None
    error: str | None = None

    def add(self, batch: BatchResult, read: int) -> None:
        self.read += read
        self.written += batch.written
        self.unchanged += batch.unchanged
        self.quarantined += batch.quarantined
        self.taken_from_quarantine += batch.taken_from_quarantine
        self.batches += 1

    def summary(self) -> str:
        text = (f"{self.source}: read {self.read}, written {self.written}, unchanged {self.unchanged}, "
                f"quarantined {self.quarantined} in {self.seconds:.1f} s")
        return text + (f"; failed: {self.error}" if self.error else "")


@dataclass(frozen=True)
class _Plan:
    """A source as one run needs it: its id, settings, mapper, the table's columns and the PLC rule."""

    source_id: int
    name: str
    settings: Source
    mapper: RowMapper
    table: Table
    names: tuple[str, ...]  # the columns read, in select order


def source_settings(db: sessionmaker[Session], name: str) -> tuple[int, Source]:
    with db() as session:
        row = session.scalar(select(SyncSourceRow).where(SyncSourceRow.name == name))
    if row is None or not row.active:
        raise SyncError(f"no source named {name!r} in the plant file ([[sources]])")
    return row.id, Source.model_validate_json(row.settings)


def sync_source(db: sessionmaker[Session], name: str, engines: SourceEngines, now: Callable[[], datetime] = utc_now,
                actor: Actor | None = None, before_commit: Callable[[int], None] | None = None) -> SyncReport:
    """One run: new rows, then changed rows. Never raises for a source or data problem: the report and the
    source's row say what failed. `before_commit(batch number)` is called inside each batch's transaction
    (tests inject failures there)."""
    source_id, settings = source_settings(db, name)
    report = SyncReport(name)
    started = stopwatch.perf_counter()
    _mark_started(db, source_id, now())
    try:
        with engines.engine_for(settings.url_env).connect() as connection:
            plan = _plan(db, connection, source_id, settings)
            first_run = _read_new_rows(db, connection, plan, report, now, before_commit)
            if settings.updated_column and not first_run:  # a first run read every row as it stands now
                _read_changed_rows(db, connection, plan, report, now, before_commit)
            _measure_lag(db, connection, plan, report)
    except Exception as exc:  # noqa: BLE001  every failure is recorded where the admin page shows it
        report.error = _one_line(exc)
        report.seconds = stopwatch.perf_counter() - started
        _mark_finished(db, source_id, report, now(), actor)
        if not isinstance(exc, EXPECTED_FAILURES):
            raise
        return report
    report.seconds = stopwatch.perf_counter() - started
    _mark_finished(db, source_id, report, now(), actor)
    return report


def retry_quarantined(db: sessionmaker[Session], name: str, engines: SourceEngines,
                      now: Callable[[], datetime] = utc_now, actor: Actor | None = None) -> SyncReport:
    """Read every quarantined row of the source again and take those that pass now; the others stay, with
    their reason as it is now."""
    source_id, settings = source_settings(db, name)
    report = SyncReport(name)
    started = stopwatch.perf_counter()
    try:
        with db() as session:
            held = list(session.scalars(select(QuarantinedRow.source_row_id)
                                        .where(QuarantinedRow.source_id == source_id)
                                        .order_by(QuarantinedRow.source_row_id)))
        with engines.engine_for(settings.url_env).connect() as connection:
            plan = _plan(db, connection, source_id, settings)
            id_column = plan.table.c[settings.id_column]
            for start in range(0, len(held), settings.batch_size):
                wanted = held[start:start + settings.batch_size]
                rows = []
                for chunk in range(0, len(wanted), CHUNK):
                    rows += connection.execute(select(*_columns(plan))
                                               .where(id_column.in_(wanted[chunk:chunk + CHUNK]))).all()
                found = {row[0] for row in rows}
                mapped = _mapped(plan, rows) + [
                    RefusedRow(row_id, "the row is no longer in the source", "{}")
                    for row_id in wanted if row_id not in found]
                with db.begin() as session:
                    report.add(write_batch(session, source_id, name, mapped, _claims(session, plan), now()),
                               len(rows))
    except EXPECTED_FAILURES as exc:
        report.error = _one_line(exc)
    report.seconds = stopwatch.perf_counter() - started
    with db.begin() as session:
        session.execute(update(SyncSourceRow).where(SyncSourceRow.id == source_id).values(retry_requested_at=None))
        audit.record(session, (actor.username if actor else "system"), "sync.retry", name,
                     {"taken": report.taken_from_quarantine, "still_quarantined": report.quarantined,
                      **({"error": report.error} if report.error else {})}, actor.address if actor else "")
    return report


def _plan(db: sessionmaker[Session], connection: Connection, source_id: int, settings: Source) -> _Plan:
    try:
        table = Table(settings.table, MetaData(), autoload_with=connection)
    except NoSuchTableError:
        raise SyncError(f"the source has no table {settings.table!r}") from None
    wanted = [settings.id_column, *(column for column in settings.columns.model_dump().values() if column)]
    if settings.updated_column:
        wanted.append(settings.updated_column)
    names = tuple(dict.fromkeys(wanted))
    missing = [name for name in names if name not in table.c]
    if missing:
        raise SyncError(f"table {settings.table!r} has no column {', '.join(repr(name) for name in missing)} "
                        f"(columns: {', '.join(table.c.keys())})")
    with db() as session:
        equipment = dict(session.execute(select(EquipmentRow.code, EquipmentRow.id).where(EquipmentRow.active)).all())
        site = session.get(SiteRow, 1)
    mapper = RowMapper(settings, equipment, site.timezone if site else "UTC")
    return _Plan(source_id, settings.name, settings, mapper, table, names)


def _columns(plan: _Plan) -> list[Column]:
    return [plan.table.c[name] for name in plan.names]


def _claims(session: Session, plan: _Plan):
    return source_claims(session, plan.settings)


def _mapped(plan: _Plan, rows: Sequence[Any]) -> list[MappedRow | RefusedRow]:
    names = plan.names
    return [plan.mapper.map(row[0], dict(zip(names, row))) for row in rows]


def _read_new_rows(db, connection: Connection, plan: _Plan, report: SyncReport, now, before_commit) -> bool:
    """Read the rows past the watermark (less the overlap); True when this was the source's first run."""
    settings = plan.settings
    id_column = plan.table.c[settings.id_column]
    with db() as session:
        source = session.get(SyncSourceRow, plan.source_id)
        watermark, updated_mark = source.watermark_id, source.watermark_updated
    first_run = watermark is None
    if updated_mark is None and settings.updated_column:
        # First run: rows changed before now are read as they stand now; later changes are read by updated_column.
        newest = connection.execute(select(func.max(plan.table.c[settings.updated_column]))).scalar()
        updated_mark = plan.mapper.utc(newest)
    after = None if watermark is None else watermark - settings.overlap_ids
    while True:
        query = select(*_columns(plan)).order_by(id_column).limit(settings.batch_size)
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


def _read_changed_rows(db, connection: Connection, plan: _Plan, report: SyncReport, now, before_commit) -> None:
    settings = plan.settings
    id_column, updated = plan.table.c[settings.id_column], plan.table.c[settings.updated_column]
    position = plan.names.index(settings.updated_column)
    with db() as session:
        mark = session.get(SyncSourceRow, plan.source_id).watermark_updated
    if mark is None:
        return
    since, since_id = plan.mapper.local(mark - timedelta(minutes=settings.overlap_minutes)), None
    while True:
        condition = updated >= since if since_id is None else \
            or_(updated > since, and_(updated == since, id_column > since_id))
        rows = connection.execute(select(*_columns(plan)).where(condition)
                                  .order_by(updated, id_column).limit(settings.batch_size)).all()
        if not rows:
            break
        since, since_id = rows[-1][position], rows[-1][0]
        newest = plan.mapper.utc(since)
        _write(db, plan, rows, report, now, before_commit,
               {"watermark_updated": max(mark, newest) if newest else mark})
        if len(rows) < settings.batch_size:
            break


def _write(db, plan: _Plan, rows, report: SyncReport, now, before_commit, marks: dict) -> None:
    mapped = _mapped(plan, rows)
    with db.begin() as session:
        batch = write_batch(session, plan.source_id, plan.name, mapped, _claims(session, plan), now())
        session.execute(update(SyncSourceRow).where(SyncSourceRow.id == plan.source_id).values(**marks))
        if before_commit is not None:
            before_commit(report.batches + 1)
    report.add(batch, len(rows))


def _measure_lag(db, connection: Connection, plan: _Plan, report: SyncReport) -> None:
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
    with db.begin() as session:
        session.execute(update(SyncSourceRow).where(SyncSourceRow.id == source_id).values(run_started_at=at))


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


def _one_line(exc: BaseException) -> str:
    reason = getattr(exc, "orig", None) or exc
    args = getattr(reason, "args", ())
    if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):  # pymysql: (code, message)
        text = f"{' '.join(args[1].split())} (MySQL error {args[0]})"
    else:
        text = " ".join(str(reason).split()) or type(reason).__name__
    return text[:MAX_ERROR_CHARS]


def sync_due_sources(db: sessionmaker[Session], engines: SourceEngines, now: Callable[[], datetime] = utc_now,
                     keep_going: Callable[[], bool] = lambda: True) -> list[SyncReport]:
    """What the jobs process does on each tick: retry the sources whose retry was asked for on the admin page,
    then sync each source that is due (its `every_s` has passed since its last run) or whose run was asked for."""
    reports = []
    with db() as session:
        sources = list(session.execute(select(SyncSourceRow.name, SyncSourceRow.settings,
                                              SyncSourceRow.run_started_at, SyncSourceRow.run_requested_at,
                                              SyncSourceRow.retry_requested_at, SyncSourceRow.requested_by)
                                       .where(SyncSourceRow.active).order_by(SyncSourceRow.position)))
    for source in sources:
        if not keep_going():
            break
        asked_by = Actor(source.requested_by) if source.requested_by else None
        if source.retry_requested_at is not None:
            reports.append(retry_quarantined(db, source.name, engines, now, actor=asked_by))
        every = timedelta(seconds=Source.model_validate_json(source.settings).every_s)
        asked = source.run_requested_at is not None and (source.run_started_at is None
                                                         or source.run_requested_at > source.run_started_at)
        if source.run_started_at is None or source.run_started_at + every <= now() or asked:
            reports.append(sync_source(db, source.name, engines, now, actor=asked_by if asked else None))
    return reports
