"""How each `[[sources]]` sync stands, for the admin page and /metrics; and asking the jobs process to run one.

The web process never connects to a source (it may not even have the URL variable): `request_sync` and
`request_retry` only mark the source's row, and the jobs process, which has the URL, does the run on its next
tick (core.sync.source_sync.sync_due_sources). A run request is pending until a run starts after it; a retry
request until the retry is done (the jobs process clears it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.persistence.plant_tables import SiteRow
from core.persistence.sync_tables import QuarantinedRow, SyncSourceRow
from core.sync.source_sync import RUN_ALIVE_FOR

MAX_QUARANTINE_ROWS = 1000
LATE_AFTER_RUNS = 3  # a source whose last run is older than 3 of its periods is not being synced
LATE_AFTER_AT_LEAST = timedelta(minutes=5)


class UnknownSource(ValueError):
    def __init__(self, name: str):
        super().__init__(f"no source named {name!r} in the plant file ([[sources]])")


@dataclass(frozen=True)
class SourceStatus:
    name: str
    kind: str
    table: str
    every_s: int
    run_started_at: datetime | None
    run_finished_at: datetime | None
    running: bool  # a run started after the last one finished, and wrote a batch lately
    stalled: bool  # a run started after the last one finished, and has written nothing for long: it died
    run_ok: bool | None  # of the last finished run; None: never run
    rows_read: int  # of the last run
    rows_written: int
    rows_quarantined: int
    watermark_id: int | None
    watermark_updated: datetime | None
    lag_rows: int | None  # source rows past the watermark, measured by the last good run
    lag_seconds: float | None  # the source's newest start minus ours
    last_error: str | None
    last_error_at: datetime | None
    last_success_at: datetime | None
    failing_since: datetime | None
    total_read: int
    total_written: int
    runs_failed: int
    in_quarantine: int  # rows held in quarantine now
    run_requested_at: datetime | None  # still waiting for the jobs process; None when not asked or done
    retry_requested_at: datetime | None
    requested_by: str | None
    health: str  # plain words: "never run", "ok", "failing since ...", "behind: N rows", "late: ..."
    health_level: str  # "ok", "warning", "failing", "idle" (never run): for colour


@dataclass(frozen=True)
class QuarantineEntry:
    source_row_id: int
    reason: str
    raw: str  # JSON of the source row as read
    first_seen_at: datetime
    last_seen_at: datetime
    times_seen: int


def source_statuses(db: sessionmaker[Session], now: datetime) -> list[SourceStatus]:
    """Every active source in the plant file's order, with its last run, totals, lag and health."""
    with db() as session:
        sources = list(session.scalars(select(SyncSourceRow).where(SyncSourceRow.active)
                                       .order_by(SyncSourceRow.position)))
        held = dict(session.execute(select(QuarantinedRow.source_id, func.count())
                                    .group_by(QuarantinedRow.source_id)).all())
        site = session.get(SiteRow, 1)
    zone = ZoneInfo(site.timezone if site else "UTC")
    return [_status(row, held.get(row.id, 0), now, zone) for row in sources]


def quarantined_rows(db: sessionmaker[Session], source_name: str, limit: int = 200) -> list[QuarantineEntry]:
    """The source's quarantined rows, most recently seen first, at most `limit` of them."""
    limit = max(1, min(limit, MAX_QUARANTINE_ROWS))
    with db() as session:
        rows = session.scalars(
            select(QuarantinedRow).join(SyncSourceRow, SyncSourceRow.id == QuarantinedRow.source_id)
            .where(SyncSourceRow.name == source_name)
            .order_by(QuarantinedRow.last_seen_at.desc(), QuarantinedRow.source_row_id).limit(limit))
        return [QuarantineEntry(r.source_row_id, r.reason, r.raw, r.first_seen_at, r.last_seen_at, r.times_seen)
                for r in rows]


def request_sync(db: sessionmaker[Session], name: str, actor: Actor, now: datetime) -> None:
    """Ask the jobs process to sync the source on its next tick."""
    _request(db, name, actor, now, "run_requested_at", "sync.run_requested")


def request_retry(db: sessionmaker[Session], name: str, actor: Actor, now: datetime) -> None:
    """Ask the jobs process to read the source's quarantined rows again on its next tick."""
    _request(db, name, actor, now, "retry_requested_at", "sync.retry_requested")


def _request(db: sessionmaker[Session], name: str, actor: Actor, now: datetime, column: str, action: str) -> None:
    with db.begin() as session:
        changed = session.execute(update(SyncSourceRow)
                                  .where(SyncSourceRow.name == name, SyncSourceRow.active)
                                  .values({column: now, "requested_by": actor.username[:64]})).rowcount
        if not changed:
            raise UnknownSource(name)
        audit.record(session, actor.username, action, name, None, actor.address, now)


def _status(row: SyncSourceRow, in_quarantine: int, now: datetime, zone: ZoneInfo) -> SourceStatus:
    settings = json.loads(row.settings)
    started, finished = row.run_started_at, row.run_finished_at
    unfinished = started is not None and (finished is None or started > finished)
    asked = row.run_requested_at if row.run_requested_at and (started is None or started < row.run_requested_at) \
        else None
    status = SourceStatus(
        name=row.name, kind=row.kind, table=settings.get("table", ""), every_s=int(settings.get("every_s", 60)),
        run_started_at=started, run_finished_at=finished,
        running=unfinished and row.run_alive_at is not None and row.run_alive_at > now - RUN_ALIVE_FOR,
        stalled=unfinished and not (row.run_alive_at is not None and row.run_alive_at > now - RUN_ALIVE_FOR),
        run_ok=row.run_ok,
        rows_read=row.rows_read or 0, rows_written=row.rows_written or 0, rows_quarantined=row.rows_quarantined or 0,
        watermark_id=row.watermark_id, watermark_updated=row.watermark_updated,
        lag_rows=row.lag_rows, lag_seconds=None if row.lag_seconds is None else float(row.lag_seconds),
        last_error=row.last_error, last_error_at=row.last_error_at, last_success_at=row.last_success_at,
        failing_since=row.failing_since,
        total_read=row.total_read or 0, total_written=row.total_written or 0, runs_failed=row.runs_failed or 0,
        in_quarantine=in_quarantine, run_requested_at=asked, retry_requested_at=row.retry_requested_at,
        requested_by=row.requested_by, health="", health_level="")
    words, level = health(status, int(settings.get("batch_size", 5000)), now, zone)
    return replace(status, health=words, health_level=level)


def health(status: SourceStatus, batch_size: int, now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """The source's health in plain words, and its level. Failing: the last run failed (since the first run
    that failed after the last good one). Late: no run finished for three of its periods (is `floorboard jobs` running?). Behind: the last run
    left a whole batch unread, or rows older than two periods."""
    if status.stalled:
        return (f"stopped: the run started {_local(status.run_started_at, now, zone)} did not finish "
                "(was the jobs process stopped?)"), "failing"
    if status.run_finished_at is None:
        return "never run", "idle"
    if status.run_ok is False:
        since = f"failing since {_local(status.failing_since, now, zone)}" if status.failing_since \
            else "failing"
        return since, "failing"
    late_after = max(LATE_AFTER_AT_LEAST, timedelta(seconds=LATE_AFTER_RUNS * status.every_s))
    if not status.running and now - status.run_finished_at > late_after:
        return f"late: no run since {_local(status.run_finished_at, now, zone)}", "warning"
    lag_rows, lag_seconds = status.lag_rows or 0, status.lag_seconds or 0.0
    if lag_rows and (lag_rows >= batch_size or lag_seconds > 2 * status.every_s):
        return f"behind: {lag_rows:,} rows", "warning"
    return "ok", "ok"


def _local(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """Site time; the date too when it is not today's."""
    local = moment.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else local.strftime("%Y-%m-%d %H:%M")
