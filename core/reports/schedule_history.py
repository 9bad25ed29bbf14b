"""What the report schedules made, as the schedules admin page shows it: each schedule's last run and the recent
runs of every schedule, failed and retrying ones included (a send that fails is never silent).

Read from report_runs directly rather than through core.reports.report_runs, which builds and sends them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.report_tables import ReportRun

RECENT_RUNS = 100


@dataclass(frozen=True)
class ScheduledRun:
    """One run of a schedule: times in UTC; `next_attempt_at` is when a retrying send is tried again."""
    schedule_name: str
    kind: str
    line_code: str | None
    window_start: datetime
    window_end: datetime
    due_at: datetime | None
    status: str  # building | built | sending | retrying | sent | failed | skipped
    created_at: datetime
    finished_at: datetime | None
    size_bytes: int | None
    recipients: tuple[str, ...]
    attempts: int
    next_attempt_at: datetime | None
    error: str | None


def recent_scheduled_runs(db: sessionmaker[Session], limit: int = RECENT_RUNS) -> list[ScheduledRun]:
    """The latest `limit` runs made by schedules, newest first, whatever their status."""
    with db() as session:
        rows = session.scalars(select(ReportRun).where(ReportRun.schedule_name.is_not(None))
                               .order_by(ReportRun.created_at.desc(), ReportRun.id.desc()).limit(limit))
        return [_run(row) for row in rows]


def last_runs(db: sessionmaker[Session]) -> dict[str, ScheduledRun]:
    """Each schedule's run made last, by schedule name."""
    newest = (select(ReportRun.schedule_name, func.max(ReportRun.id).label("id"))
              .where(ReportRun.schedule_name.is_not(None)).group_by(ReportRun.schedule_name).subquery())
    with db() as session:
        rows = session.scalars(select(ReportRun).join(newest, ReportRun.id == newest.c.id))
        return {row.schedule_name: _run(row) for row in rows}


def _run(row: ReportRun) -> ScheduledRun:
    return ScheduledRun(row.schedule_name, row.kind, row.line_code, row.window_start, row.window_end, row.due_at,
                        row.status, row.created_at, row.finished_at, row.size_bytes,
                        tuple(json.loads(row.recipients or "[]")), row.attempts, row.next_attempt_at, row.error)
