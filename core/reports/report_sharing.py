"""Emailing a report already built to people a manager names: users, or roles, who may read reports.

A report shows the money lost, so it goes only to users whose role holds `reports.view`; an address outside
the users is for the schedules an admin keeps. The send is a new run that points at the same stored PDF, so the
report's own run keeps its history; the jobs process mails it like a scheduled one (claimed, retried with
backoff, audited).
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.permissions import ROLES, role_has
from core.persistence.account_tables import User
from core.persistence.report_tables import ReportRun
from core.reports.report_runs import NOT_SENT_TO, RunState, state_of
from core.reports.schedule_rules import Person, resolve_recipients

READ_REPORTS = "reports.view"
SENDABLE = ("built", "sent", "failed")  # a run still building or being sent is left alone
MAX_NAMES = 50


class ReportShareError(ValueError):
    """A report that cannot be sent as asked; the message says why."""


def recipient_names(text: str | None) -> list[str]:
    """Names as a person types them: separated by commas, semicolons or spaces."""
    return [name for name in re.split(r"[,;\s]+", text or "") if name]


def email_report(db: sessionmaker[Session], run_id: int, names: list[str], actor: Actor, now: datetime) -> RunState:
    """Queue the stored PDF of run `run_id` for the users or roles named (only those who may read reports); the
    jobs process sends it within a minute."""
    if not names:
        raise ReportShareError("name who gets it: roles, user names or email addresses")
    if len(names) > MAX_NAMES:
        raise ReportShareError(f"at most {MAX_NAMES} recipients at once")
    with db.begin() as session:
        users = session.scalars(select(User).where(User.active)).all()
        readers = [Person(u.username, u.role, u.email) for u in users if role_has(u.role, READ_REPORTS)]
        refused = [_why_not(name, users) for name in names if not _reads_reports(name, readers)]
        addresses, problems = resolve_recipients([n for n in names if _reads_reports(n, readers)], readers)
        problems = refused + problems
        if not addresses:
            raise ReportShareError("nobody to send to: " + "; ".join(problems))
        original = session.get(ReportRun, run_id)
        if original is None or not original.file_name or original.status not in SENDABLE:
            raise ReportShareError("that report has no stored PDF to send (still building, or its file was pruned)")
        copy = ReportRun(schedule_name=None, kind=original.kind, line_code=original.line_code,
                         shift_name=original.shift_name, window_start=original.window_start,
                         window_end=original.window_end, due_at=None, requested_by=actor.username, status="built",
                         created_at=now, build_s=original.build_s, size_bytes=original.size_bytes,
                         file_name=original.file_name, recipients=json.dumps(addresses), attempts=0,
                         next_attempt_at=now, error=NOT_SENT_TO + "; ".join(problems) if problems else None)
        session.add(copy)
        session.flush()
        audit.record(session, actor.username, "report.email_requested", f"report_run:{copy.id}",
                     detail={"of": run_id, "to": addresses, "refused": problems}, address=actor.address, now=now)
        return state_of(copy)


def _reads_reports(name: str, readers: list[Person]) -> bool:
    return any(name.lower() in (p.username, p.role) for p in readers)


def _why_not(name: str, users) -> str:
    if "@" in name:
        return f"{name}: only users get reports from here (an admin can add an address to a schedule)"
    if name.lower() in ROLES:
        return f"{name}: this role may not read reports"
    if any(u.username == name.lower() for u in users):
        return f"{name}: this user's role may not read reports"
    return f"{name}: no such user or role"
