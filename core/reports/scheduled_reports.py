"""Making the reports that schedules are due for: for each active schedule, its due slot (the latest one, once,
however long the jobs process was down), built and stored by build_and_store, ready to be emailed.

The newest slot made per schedule is read from report_runs; a slot whose builder lost the database or died
does not count until its claim runs out, so it is made again, and the unique (schedule_name, due_at) makes a
slot once whichever process gets there first.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import and_, func, not_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.persistence.plant_tables import ReportScheduleRow
from core.persistence.report_tables import ReportRun
from core.plant.equipment import site_calendar
from core.reports.report_runs import SYSTEM, RunState, build_and_store, existing_run, run_line_code, state_of
from core.reports.schedule_rules import ScheduledReport, due_slot, request_for_slot
from core.reports.windows import ReportRequestError

log = logging.getLogger(__name__)


def active_schedules(db: sessionmaker[Session]) -> list[ScheduledReport]:
    with db() as session:
        rows = session.scalars(select(ReportScheduleRow).where(ReportScheduleRow.active)
                               .order_by(ReportScheduleRow.position, ReportScheduleRow.id))
        return [ScheduledReport(r.name, r.type, r.cron, tuple(json.loads(r.recipients)), r.line_code,
                                tuple(json.loads(r.sections)), tuple(json.loads(r.lines))) for r in rows]


def last_slot_made(db: sessionmaker[Session], schedule_name: str, now: datetime) -> datetime | None:
    """The newest slot of the schedule with a run, leaving out builds whose claim ran out (to be made again)."""
    abandoned = and_(ReportRun.status == "building", ReportRun.next_attempt_at <= now)
    with db() as session:
        return session.scalar(select(func.max(ReportRun.due_at)).where(
            ReportRun.schedule_name == schedule_name, not_(abandoned)))


def make_due_reports(db: sessionmaker[Session], home: Path, now: datetime,
                     keep_going: Callable[[], bool] = lambda: True) -> list[RunState]:
    """Build every schedule's due slot; returns the runs made (built, or failed with the reason)."""
    calendar = site_calendar(db)
    if calendar is None:
        return []
    _fail_interrupted_on_demand(db, now)
    made = []
    for schedule in active_schedules(db):
        if not keep_going():
            break
        try:
            slot = due_slot(schedule.cron, calendar.zone, now, last_slot_made(db, schedule.name, now))
        except ValueError as exc:
            log.error("report schedule %r: %s", schedule.name, exc)
            continue
        if slot is None:
            continue
        try:
            request = request_for_slot(schedule.kind, schedule.line, slot, calendar.zone, calendar.shifts,
                                       schedule.sections, schedule.lines)
            made.append(build_and_store(db, home, request, SYSTEM, now, schedule, slot))
        except ReportRequestError as exc:
            made.append(store_failed_slot(db, schedule, slot, str(exc), now))
    return made


def store_failed_slot(db: sessionmaker[Session], schedule: ScheduledReport, slot: datetime, error: str,
                      now: datetime) -> RunState:
    """A slot whose report cannot even be asked for (no shift ended, a line or section no longer known): a failed
    run saying so."""
    run = ReportRun(schedule_name=schedule.name, kind=schedule.kind,
                    line_code=run_line_code(schedule.line, schedule.lines), window_start=slot, window_end=slot,
                    due_at=slot, requested_by=SYSTEM, status="failed", created_at=now, finished_at=now,
                    recipients="[]", attempts=0, error=error[:2000])
    try:
        with db.begin() as session:
            session.add(run)
            session.flush()
            audit.record(session, SYSTEM, "report.failed", f"report_run:{run.id}", now=now,
                         detail={"schedule": schedule.name, "error": error[:200]})
            return state_of(run)
    except IntegrityError:
        return existing_run(db, schedule.name, slot)


def _fail_interrupted_on_demand(db: sessionmaker[Session], now: datetime) -> None:
    with db.begin() as session:
        session.execute(update(ReportRun).where(
            ReportRun.schedule_name.is_(None), ReportRun.status == "building", ReportRun.next_attempt_at <= now)
            .values(status="failed", finished_at=now, next_attempt_at=None,
                    error="interrupted: the build stopped before the report was stored"))
