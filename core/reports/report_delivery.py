"""Emailing built scheduled reports, the PDF attached: claim, send, count the attempt, as andon notices are.

A run waiting to be sent (`built` or `retrying`, next_attempt_at due) is claimed by a conditional UPDATE to
`sending` (so no two processes send it), then mailed to all its recipients in one message and marked `sent`,
or `retrying` with the andon backoff (1, 2, 4 ... 30 minutes), or `failed` after MAX_ATTEMPTS (at once when no
SMTP server is configured or the file is gone). Outcomes that end a run are audited as actor "system".
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.andon_delivery import CLAIM_FOR, MAX_ATTEMPTS, retry_after
from core.mail import Mailer
from core.persistence.report_tables import ReportRun
from core.plant.equipment import site_calendar
from core.reports.report_runs import NOT_SENT_TO, SYSTEM, reports_folder

log = logging.getLogger(__name__)

WAITING = ("built", "retrying", "sending")  # sending: claimed by a process that died mid-send, once CLAIM_FOR ran out


class NotSendable(Exception):
    """A run that no retry can send (no mail server, no file): it fails at once."""


@dataclass
class DeliverySummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def deliver_due_runs(db: sessionmaker[Session], home: Path, mailer: Mailer | None, now: datetime,
                     keep_going: Callable[[], bool] = lambda: True) -> DeliverySummary:
    """Send every scheduled run whose (next) attempt is due; `keep_going` is asked before each (the jobs lease)."""
    summary = DeliverySummary()
    calendar = site_calendar(db)
    for run_id in _due_ids(db, now):
        if not keep_going():
            break
        run = _claim(db, run_id, now)
        if run is not None:
            _attempt(db, home, mailer, run, now, calendar.zone if calendar else None, summary)
    return summary


def _due_ids(db: sessionmaker[Session], now: datetime) -> list[int]:
    with db() as session:
        return list(session.scalars(select(ReportRun.id).where(
            ReportRun.status.in_(WAITING), ReportRun.next_attempt_at <= now).order_by(ReportRun.id)))


def _claim(db: sessionmaker[Session], run_id: int, now: datetime) -> ReportRun | None:
    with db.begin() as session:
        claimed = session.execute(update(ReportRun).where(
            ReportRun.id == run_id, ReportRun.status.in_(WAITING), ReportRun.next_attempt_at <= now)
            .values(status="sending", next_attempt_at=now + CLAIM_FOR))
        if claimed.rowcount != 1:
            return None  # another process has it
        run = session.get(ReportRun, run_id)
        session.expunge(run)
        return run


def _attempt(db: sessionmaker[Session], home: Path, mailer: Mailer | None, run: ReportRun, now: datetime,
             zone, summary: DeliverySummary) -> None:
    attempts = run.attempts + 1
    recipients = json.loads(run.recipients)
    note = _recipients_note(run.error)
    try:
        if mailer is None:
            raise NotSendable("no SMTP server is configured (FLOORBOARD_SMTP_HOST)")
        path = reports_folder(home) / (run.file_name or "")
        if not run.file_name or not path.is_file():
            raise NotSendable(f"the report's file {run.file_name} is missing")
        subject, body = report_email_text(run, zone)
        mailer.send(recipients, subject, body, [(run.file_name, path.read_bytes(), "application/pdf")])
    except Exception as exc:  # noqa: BLE001 - any failure is a failed attempt, shown on the run
        gave_up = attempts >= MAX_ATTEMPTS or isinstance(exc, NotSendable)
        error = "\n".join(filter(None, [f"attempt {attempts}: {exc}"[:1800], note]))
        _finish(db, run, now, "report.failed" if gave_up else None, status="failed" if gave_up else "retrying",
                attempts=attempts, error=error, finished_at=now if gave_up else None,
                next_attempt_at=None if gave_up else now + retry_after(attempts))
        summary.failed += gave_up
        summary.retried += not gave_up
        log.warning("report run %d not sent (attempt %d): %s", run.id, attempts, exc)
        return
    _finish(db, run, now, "report.sent", status="sent", attempts=attempts, error=note, finished_at=now,
            next_attempt_at=None)
    summary.sent += 1


def _recipients_note(error: str | None) -> str | None:
    """The line of a run's error that names recipients left out at build time: kept across attempts."""
    lines = [line for line in (error or "").splitlines() if line.startswith(NOT_SENT_TO)]
    return lines[0] if lines else None


def _finish(db: sessionmaker[Session], run: ReportRun, now: datetime, action: str | None, **values) -> None:
    """Record the attempt, only while the claim is still this process's (`sending` until the expiry it set): a
    send that outlasted its claim must not put back a run another process has since sent."""
    with db.begin() as session:
        finished = session.execute(update(ReportRun).where(
            ReportRun.id == run.id, ReportRun.status == "sending", ReportRun.next_attempt_at == run.next_attempt_at)
            .values(**values))
        if finished.rowcount != 1:
            log.warning("report run %d was taken over while being sent: its outcome is the other process's", run.id)
            return
        if action is not None:
            audit.record(session, SYSTEM, action, f"report_run:{run.id}", now=now,
                         detail={"schedule": run.schedule_name, "to": json.loads(run.recipients),
                                 "attempts": values["attempts"], "file": run.file_name})


def report_email_text(run: ReportRun, zone) -> tuple[str, str]:
    """The email's subject and body for a stored run."""
    start, end = (moment.astimezone(zone) if zone else moment for moment in (run.window_start, run.window_end))
    scope = (f"lines {run.line_code.replace(',', ', ')}" if "," in (run.line_code or "") else
             f"line {run.line_code}" if run.line_code else "plant")
    if run.kind == "shift":
        what = f"{run.shift_name} shift of {start:%a %d %b %Y}"
    elif (end - start).days > 1:
        what = f"{start:%a %d %b} to {end.date().fromordinal(end.toordinal() - 1):%a %d %b %Y}"
    else:
        what = f"{start:%a %d %b %Y}"
    # A custom report is what its schedule calls it: "Downtime by line (custom report)".
    named = run.kind == "custom" and run.schedule_name
    title = f"{run.schedule_name} (custom report)" if named else f"{run.kind.capitalize()} report"
    subject = f"[Floorboard] {title}, {scope}: {what}"
    report = f"custom report \"{run.schedule_name}\"" if named else f"{run.kind} report"
    body = (f"The {report} for the {scope}, {what} ({start:%H:%M %Z} to {end:%H:%M %Z}), "
            f"is attached as {run.file_name}.\n"
            + (f"Sent by the schedule \"{run.schedule_name}\".\n" if run.schedule_name else ""))
    return subject, body
