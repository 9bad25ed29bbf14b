"""What the report schedules made, as the schedules admin page shows it: each schedule's last run and the recent
runs of every schedule, failed and retrying ones included (a send that fails is never silent)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.report_tables import ReportRun
from core.reports.report_runs import RunState, list_runs, state_of

RECENT_RUNS = 100


def recent_scheduled_runs(db: sessionmaker[Session], limit: int = RECENT_RUNS) -> list[RunState]:
    """The latest `limit` runs made by schedules, newest first, whatever their status."""
    return list_runs(db, limit, on_demand=False)


def last_runs(db: sessionmaker[Session]) -> dict[str, RunState]:
    """Each schedule's run made last, by schedule name."""
    newest = (select(ReportRun.schedule_name, func.max(ReportRun.id).label("id"))
              .where(ReportRun.schedule_name.is_not(None)).group_by(ReportRun.schedule_name).subquery())
    with db() as session:
        rows = session.scalars(select(ReportRun).join(newest, ReportRun.id == newest.c.id))
        return {row.schedule_name: state_of(row) for row in rows}
