"""The report schedules as the admin page edits them: read with each one's last run, check with the plant file's
schema and cross-checks (every problem listed with its row), save in one transaction, audited with before and after.

What is saved here is what `floorboard plant dump` writes (`[[reports]]`) and what the jobs process makes at its
next tick. A removed schedule is deactivated, as a plant file without it would do; its runs stay listed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Mapping, Sequence

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.clock import utc_now
from core.permissions import ROLES
from core.persistence.account_tables import User
from core.persistence.plant_tables import LineRow, ReportScheduleRow
from core.plant.config_file import report_line_problems
from core.plant.config_schema import ReportSchedule

Schedule = dict[str, Any]  # as the plant file writes it: name, type, line, cron, recipients, sections, lines


class ReportSchedulesError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def report_schedules(db: sessionmaker[Session]) -> list[Schedule]:
    """The stored schedules in plant-file order, each with every key filled."""
    with db() as session:
        return _stored(session)


def check_report_schedules(schedules: Sequence[Mapping[str, Any]], line_codes: set[str],
                           usernames: set[str]) -> list[Schedule]:
    """The schedules as the plant file accepts them, or ReportSchedulesError naming each problem as
    "row N (name): key: message". Beyond the file's own rules, a schedule must be one the jobs process can make
    (a shift report names its line; its lines are the plant's) and each recipient a role, an active user or an
    address."""
    problems, checked, rows_by_name = [], [], {}
    for number, item in enumerate(schedules, start=1):
        name = str(item.get("name") or "").strip()
        where = f"row {number} ({name or 'no name'})"
        if name in rows_by_name:
            problems.append(f"{where}: name: {name!r} is already the name of row {rows_by_name[name]}")
        rows_by_name.setdefault(name, number)
        try:
            schedule = ReportSchedule.model_validate(dict(item))
        except ValidationError as exc:
            problems.extend(f"{where}: {_problem(error)}" for error in exc.errors())
            continue
        problems.extend(f"{where}: {problem}" for problem in _schedule_problems(schedule, line_codes, usernames))
        checked.append(schedule.model_dump())
    if problems:
        raise ReportSchedulesError(problems)
    return checked


def save_report_schedules(db: sessionmaker[Session], schedules: Sequence[Mapping[str, Any]], actor: Actor,
                          now: datetime | None = None) -> bool:
    """Replace the schedules with `schedules`, in that order (one left out is deactivated); False when that
    changes nothing. Raises ReportSchedulesError, storing nothing, when any schedule is refused."""
    with db.begin() as session:
        line_codes = set(session.scalars(select(LineRow.code).where(LineRow.active)))
        usernames = set(session.scalars(select(User.username).where(User.active)))
        after = check_report_schedules(schedules, line_codes, usernames)
        before = _stored(session)
        if before == after:
            return False
        rows = {row.name: row for row in session.scalars(select(ReportScheduleRow))}
        for position, schedule in enumerate(after):
            row = rows.get(schedule["name"]) or ReportScheduleRow(name=schedule["name"])
            row.type, row.line_code, row.cron = schedule["type"], schedule["line"], schedule["cron"]
            row.recipients, row.position, row.active = json.dumps(schedule["recipients"]), position, True
            row.sections, row.lines = json.dumps(schedule["sections"] or []), json.dumps(schedule["lines"] or [])
            session.add(row)
        kept = {schedule["name"] for schedule in after}
        for name, row in rows.items():
            if name not in kept:
                row.active = False
        audit.record(session, actor.username, "plant.reports_changed", "report schedules",
                     detail={"before": before, "after": after}, address=actor.address, now=now or utc_now())
    return True


def _schedule_problems(schedule: ReportSchedule, line_codes: set[str], usernames: set[str]) -> list[str]:
    problems = [f"{key}: {message}" for key, message in report_line_problems(schedule, line_codes)]
    # Read as the jobs process resolves them (core.reports.schedule_rules.resolve_recipients); a role nobody
    # holds yet or a user without an address is not refused here: the run says so when it is made.
    problems.extend(f"recipients: {name!r} is neither a role, a user nor an email address"
                    for name in schedule.recipients if "@" not in name and name not in ROLES and name not in usernames)
    return problems


def _stored(session: Session) -> list[Schedule]:
    rows = session.scalars(select(ReportScheduleRow).where(ReportScheduleRow.active)
                           .order_by(ReportScheduleRow.position))
    return [ReportSchedule(name=row.name, type=row.type, line=row.line_code, cron=row.cron,
                           recipients=json.loads(row.recipients), sections=json.loads(row.sections),
                           lines=json.loads(row.lines)).model_dump() for row in rows]


def _problem(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if key == "recipients" and error["type"] == "too_short":
        message = "give at least one role, user name or email address"
    elif error["type"] == "literal_error":
        message += f", got {error['input']!r}"
    elif error["type"] == "missing":
        message = "missing"
    return f"{key}: {message}" if key else message
