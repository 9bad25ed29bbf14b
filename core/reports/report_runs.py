"""Built reports kept as files: build one and store it (on demand or for a schedule's slot), list them, find the
file of one for a download.

A run's row is written first, as `building` with a claim that runs out after CLAIM_FOR (so of two jobs
processes one builds a slot, and a slot whose builder lost the database or died is taken over later), then
the PDF is written whole under the instance folder's `reports/` and the row says `built` with its size and
duration. A build that fails says `failed` with the error and leaves no file; a build that lost the database
hands its claim back so the next tick makes it again. Every write after the claim is conditional on the claim
still being this build's (`building` with the claim's own expiry time, which a takeover changes), so a build
that stalled past its claim while another process made and sent the slot changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.persistence.account_tables import User
from core.persistence.report_tables import ReportRun
from core.plant.equipment import site_calendar
from core.reports.build import build_report
from core.reports.render_pdf import render_pdf
from core.reports.schedule_rules import Person, ScheduledReport, file_stem, resolve_recipients
from core.reports.windows import ReportRequest, report_window

REPORTS_DIR = "reports"
# Stored PDFs are removed after this many days (core.reports.report_retention); the runs stay as history. A
# year's reports and the same month of the year before, for a comparison.
REPORT_FILE_DAYS = 400
CLAIM_FOR = timedelta(minutes=10)
SYSTEM = "system"
NOT_SENT_TO = "not sent to: "  # the part of a run's error naming recipients that could not be resolved


class RunFileMissing(LookupError):
    """No stored file for that run (unknown id, a run that failed, or a file removed since)."""


@dataclass(frozen=True)
class RunState:
    """One report run as the pages show it."""
    id: int
    schedule_name: str | None
    kind: str
    line_code: str | None
    shift_name: str | None
    window_start: datetime
    window_end: datetime
    due_at: datetime | None
    requested_by: str
    status: str  # building | built | sending | retrying | sent | failed | skipped
    created_at: datetime
    finished_at: datetime | None
    build_s: float | None
    size_bytes: int | None
    file_name: str | None
    recipients: tuple[str, ...]
    attempts: int
    next_attempt_at: datetime | None
    error: str | None


def state_of(run: ReportRun) -> RunState:
    return RunState(run.id, run.schedule_name, run.kind, run.line_code, run.shift_name, run.window_start,
                    run.window_end, run.due_at, run.requested_by, run.status, run.created_at, run.finished_at,
                    run.build_s, run.size_bytes, run.file_name, tuple(json.loads(run.recipients or "[]")),
                    run.attempts, run.next_attempt_at, run.error)


@dataclass(frozen=True)
class Claim:
    """A build's hold on its run: the run is `building` until `expires`, a time only this build set."""
    run_id: int
    expires: datetime
    taken_over: bool = False  # from a build whose claim ran out

    def held(self) -> tuple:
        """The conditions of a write that must change nothing once another process took the run over."""
        return (ReportRun.id == self.run_id, ReportRun.status == "building", ReportRun.next_attempt_at == self.expires)


def reports_folder(home: Path) -> Path:
    return home / REPORTS_DIR


def build_and_store(db: sessionmaker[Session], home: Path, request: ReportRequest, requested_by: str,
                    now: datetime, schedule: ScheduledReport | None = None,
                    due_at: datetime | None = None) -> RunState:
    """Build the report as PDF, keep it under home/reports/ and record the run. On demand (no schedule) a request
    that makes no sense raises ReportRequestError and records nothing; for a schedule's slot `due_at` the
    recipients are resolved now and the run is left `built` for deliver_due_runs, or `failed` with the reason
    (nobody to send to, a build error). A slot already made by another process returns that run."""
    window = report_window(site_calendar(db), request)  # ReportRequestError before anything is stored
    recipients, problems = schedule_recipients(db, schedule) if schedule else ([], [])
    line_code = run_line_code(request.line, request.lines)
    row = ReportRun(schedule_name=schedule.name if schedule else None, kind=request.kind, line_code=line_code,
                    shift_name=request.shift, window_start=window.start, window_end=window.end, due_at=due_at,
                    requested_by=requested_by, status="building", created_at=now, recipients=json.dumps(recipients),
                    attempts=0, next_attempt_at=now + CLAIM_FOR)
    claim = _claim(db, row, now)
    if claim is None:
        return existing_run(db, schedule.name, due_at)
    run_id = claim.run_id
    if schedule and not recipients:
        return _fail(db, claim, "nobody to send to: " + ("; ".join(problems) or "no recipients"), now, 0.0)
    started = time.perf_counter()
    # A build that took a slot over writes its own file: the stalled builder may still write or remove its one.
    taker = f"-{claim.expires:%Y%m%d%H%M%S}" if claim.taken_over else ""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{file_stem(request.kind, line_code, request.day)}-{run_id}{taker}.pdf")
    target = reports_folder(home) / name
    try:
        data = render_pdf(build_report(db, request, now))
        _write_whole(target, data)
    except DBAPIError:
        target.unlink(missing_ok=True)
        _hand_back(db, claim, now)
        raise
    except Exception as exc:  # noqa: BLE001 - any build failure is the run's outcome, shown on the page
        target.unlink(missing_ok=True)
        return _fail(db, claim, f"{type(exc).__name__}: {exc}", now, time.perf_counter() - started)
    to_send = bool(recipients)
    try:
        with db.begin() as session:
            stored = session.execute(update(ReportRun).where(*claim.held()).values(
                status="built", build_s=time.perf_counter() - started, size_bytes=len(data), file_name=name,
                finished_at=None if to_send else now, next_attempt_at=now if to_send else None,
                error=NOT_SENT_TO + "; ".join(problems) if problems else None))
            if stored.rowcount != 1:  # taken over: the taker's run and file stand, this one is nobody's
                target.unlink(missing_ok=True)
                return state_of(session.get(ReportRun, run_id))
            audit.record(session, requested_by, "report.built", f"report_run:{run_id}", now=now,
                         detail={"kind": request.kind, "line": request.line, "file": name, "bytes": len(data)})
            return state_of(session.get(ReportRun, run_id))
    except DBAPIError:
        target.unlink(missing_ok=True)  # a file no row names would never be sent nor removed
        _hand_back(db, claim, now)
        raise


def run_line_code(line: str | None, lines: tuple[str, ...]) -> str | None:
    """What a run stores as its line: the line, a custom report's lines joined by commas, or None (the plant)."""
    return line or ",".join(lines)[:32] or None


def schedule_recipients(db: sessionmaker[Session], schedule: ScheduledReport) -> tuple[list[str], list[str]]:
    """(addresses, problems in words) of the schedule's recipients among today's active users."""
    with db() as session:
        people = [Person(u.username, u.role, u.email) for u in session.scalars(select(User).where(User.active))]
    return resolve_recipients(schedule.recipients, people)


def _claim(db: sessionmaker[Session], row: ReportRun, now: datetime) -> Claim | None:
    """Insert the run as `building`; for a slot another process has, take it over only when its claim ran out."""
    name, due_at, taken_over = row.schedule_name, row.due_at, dict(
        recipients=row.recipients, window_start=row.window_start, window_end=row.window_end)
    try:
        with db.begin() as session:
            session.add(row)
            session.flush()
            if row.schedule_name is not None:  # older slots left building by a builder that died: never made
                session.execute(update(ReportRun).where(
                    ReportRun.schedule_name == row.schedule_name, ReportRun.due_at < row.due_at,
                    ReportRun.status == "building", ReportRun.next_attempt_at <= now).values(
                    status="failed", finished_at=now, next_attempt_at=None,
                    error="interrupted: the build stopped before the report was stored"))
            return Claim(row.id, now + CLAIM_FOR)
    except IntegrityError:
        if name is None:
            raise
    with db.begin() as session:
        stale = session.scalar(select(ReportRun.id).where(
            ReportRun.schedule_name == name, ReportRun.due_at == due_at,
            ReportRun.status == "building", ReportRun.next_attempt_at <= now))
        if stale is None:
            return None
        taken = session.execute(update(ReportRun).where(
            ReportRun.id == stale, ReportRun.status == "building", ReportRun.next_attempt_at <= now).values(
            next_attempt_at=now + CLAIM_FOR, **taken_over))
        return Claim(stale, now + CLAIM_FOR, taken_over=True) if taken.rowcount == 1 else None


def _write_whole(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _hand_back(db: sessionmaker[Session], claim: Claim, now: datetime) -> None:
    """The database went away mid-build: let the next tick take the slot over at once, if it can be told."""
    try:
        with db.begin() as session:
            session.execute(update(ReportRun).where(*claim.held()).values(next_attempt_at=now))
    except DBAPIError:
        pass  # still away: the claim runs out after CLAIM_FOR instead


def _fail(db: sessionmaker[Session], claim: Claim, error: str, now: datetime, build_s: float) -> RunState:
    with db.begin() as session:
        failed = session.execute(update(ReportRun).where(*claim.held()).values(
            status="failed", error=error[:2000], finished_at=now, build_s=build_s, next_attempt_at=None))
        run = session.get(ReportRun, claim.run_id)
        if failed.rowcount != 1:  # taken over: the taker's outcome stands
            return state_of(run)
        audit.record(session, SYSTEM if run.schedule_name else run.requested_by, "report.failed",
                     f"report_run:{claim.run_id}", now=now, detail={"schedule": run.schedule_name, "error": error[:200]})
        return state_of(run)


def existing_run(db: sessionmaker[Session], schedule_name: str, due_at: datetime) -> RunState:
    with db() as session:
        return state_of(session.scalars(select(ReportRun).where(
            ReportRun.schedule_name == schedule_name, ReportRun.due_at == due_at)).one())


def list_runs(db: sessionmaker[Session], limit: int = 100, schedule_name: str | None = None,
              status: str | None = None, on_demand: bool | None = None) -> list[RunState]:
    """Report runs newest first; optionally one schedule's, in one status, or only on-demand (True) or only
    scheduled (False) ones."""
    query = select(ReportRun)
    if schedule_name is not None:
        query = query.where(ReportRun.schedule_name == schedule_name)
    if status is not None:
        query = query.where(ReportRun.status == status)
    if on_demand is not None:
        query = query.where(ReportRun.schedule_name.is_(None) if on_demand else ReportRun.schedule_name.is_not(None))
    with db() as session:
        rows = session.scalars(query.order_by(ReportRun.created_at.desc(), ReportRun.id.desc()).limit(limit))
        return [state_of(row) for row in rows]


def run_file(db: sessionmaker[Session], home: Path, run_id: int) -> Path:
    """The stored PDF of run `run_id`; RunFileMissing when there is none."""
    with db() as session:
        run = session.get(ReportRun, run_id)
        name = run.file_name if run is not None else None
        pruned = run is not None and not name and bool(run.size_bytes)  # it was stored once
    if pruned:
        raise RunFileMissing(f"the file of report run {run_id} was pruned: report files are kept {REPORT_FILE_DAYS} days")
    if not name:
        raise RunFileMissing(f"report run {run_id} has no stored file")
    folder = reports_folder(home).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise RunFileMissing(f"the file of report run {run_id} ({name}) is missing")
    return path
