"""Making the reports that schedules are due for: for each active schedule, its due slot (the latest one, once,
however long the jobs process was down), built and stored by build_and_store, ready to be emailed.

The newest slot made per schedule is read from report_runs; a slot whose builder lost the database or died
does not count until its claim runs out, so it is made again, and the unique (schedule_name, due_at) makes a
slot once whichever process gets there first.

A slot counts by its cron time, but a report by what it covers: a slot whose report (type, line, shift, window)
was already made, by the same schedule or for the same people (a cron moved to a later hour, a schedule
renamed, a shift report made at every slot after the same last shift), is recorded as `skipped`, naming the run
that made it, and nothing is sent again.
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
from core.reports.report_runs import (SYSTEM, RunState, build_and_store, existing_run, run_line_code,
                                     schedule_recipients, state_of)
from core.reports.schedule_rules import ScheduledReport, due_slot, request_for_slot
from core.oee.service import Window
from core.reports.windows import ReportRequest, ReportRequestError, report_window

log = logging.getLogger(__name__)

MADE = ("built", "sending", "retrying", "sent")  # a report stored, being sent or sent: not made again


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
            window = report_window(calendar, request)
        except ReportRequestError as exc:
            made.append(store_failed_slot(db, schedule, slot, str(exc), now))
            continue
        earlier = report_made_before(db, schedule, request, window)
        made.append(store_skipped_slot(db, schedule, slot, request, window, earlier, now) if earlier else
                    build_and_store(db, home, request, SYSTEM, now, schedule, slot))
    return made


def report_made_before(db: sessionmaker[Session], schedule: ScheduledReport, request: ReportRequest,
                       window: Window) -> RunState | None:
    """The run, if any, that already made the report `request` covering `window` (same type, line, shift and
    window): by this schedule, or by any schedule for the same people (a renamed or duplicated schedule). A
    custom report counts only by its own schedule: its sections are not kept on the run."""
    line_code = run_line_code(request.line, request.lines)
    with db() as session:
        runs = session.scalars(select(ReportRun).where(
            ReportRun.schedule_name.is_not(None), ReportRun.kind == request.kind, ReportRun.line_code == line_code,
            ReportRun.shift_name == request.shift, ReportRun.window_start == window.start,
            ReportRun.window_end == window.end, ReportRun.status.in_(MADE)).order_by(ReportRun.id)).all()
        runs = [state_of(run) for run in runs]
    same_schedule = [run for run in runs if run.schedule_name == schedule.name]
    if same_schedule or not runs or schedule.kind == "custom":
        return same_schedule[0] if same_schedule else None
    people = set(schedule_recipients(db, schedule)[0])
    return next((run for run in runs if set(run.recipients) == people), None)


def store_skipped_slot(db: sessionmaker[Session], schedule: ScheduledReport, slot: datetime,
                       request: ReportRequest, window: Window, earlier: RunState, now: datetime) -> RunState:
    """A slot whose report run `earlier` already made: a `skipped` run naming it, so the slot counts as made."""
    reason = (f"skipped: this report ({window.label}) was already made by run {earlier.id} of the schedule "
              f"{earlier.schedule_name!r} ({earlier.status})")
    run = ReportRun(schedule_name=schedule.name, kind=request.kind,
                    line_code=run_line_code(request.line, request.lines), shift_name=request.shift,
                    window_start=window.start, window_end=window.end, due_at=slot, requested_by=SYSTEM,
                    status="skipped", created_at=now, finished_at=now, recipients="[]",
                    attempts=0, error=reason)
    try:
        with db.begin() as session:
            session.add(run)
            session.flush()
            audit.record(session, SYSTEM, "report.skipped", f"report_run:{run.id}", now=now,
                         detail={"schedule": schedule.name, "made_by": f"report_run:{earlier.id}"})
            return state_of(run)
    except IntegrityError:
        return existing_run(db, schedule.name, slot)


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
