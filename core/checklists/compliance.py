"""Checklist compliance for managers: per line and shift, how many machine checklists were required,
completed and passed.

A checklist is expected at least once per shift on every machine it covers (a site without shifts: once
per day). `every_job` and `operator_change` checklists may be due more often; those extra completions
show in `completions`, not in `required`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.checklists.rules import ShiftKey
from core.checklists.templates import active_templates
from core.persistence.checklist_tables import ChecklistCompletion
from core.plant.equipment import machines, site_calendar
from core.shift_calendar import shift_instances

MAX_DAYS = 92

Pair = tuple[int, int]  # (equipment id, template id)


@dataclass(frozen=True)
class ComplianceRow:
    line_code: str
    line_name: str
    day: date
    shift: str | None  # None: outside every shift (or the site has none)
    required: int  # machine checklists expected in the shift
    completed: int  # of those, filled in at least once
    passed: int  # of those, passed at least once
    completions: int  # every completion, retries included
    failed: int  # completions that failed

    @property
    def compliance(self) -> float | None:
        return self.passed / self.required if self.required else None


@dataclass(frozen=True)
class Tally:
    completions: int = 0
    passed: int = 0


def compliance_rows(lines: dict[str, str], expected: dict[str, set[Pair]], shifts: Iterable[ShiftKey],
                    done: dict[tuple[Pair, ShiftKey], Tally]) -> list[ComplianceRow]:
    """Pure: one row per line and shift, by day in shift order. A line without checklists has no rows;
    completions outside the scheduled shifts get a row of their own with nothing required."""
    scheduled = list(shifts)
    extra = sorted({key for (_, key) in done} - set(scheduled), key=lambda k: (k.day, k.name or ""))
    rows = []
    for key in sorted(scheduled + extra, key=lambda k: k.day):  # stable: shifts keep their order in a day
        for code, name in lines.items():
            pairs = expected.get(code, set())
            here = [tally for (pair, shift), tally in done.items() if shift == key and pair in pairs]
            required = len(pairs) if key in scheduled else 0
            if not required and not here:
                continue
            rows.append(ComplianceRow(code, name, key.day, key.name, required,
                                      completed=sum(1 for t in here if t.completions),
                                      passed=sum(1 for t in here if t.passed),
                                      completions=sum(t.completions for t in here),
                                      failed=sum(t.completions - t.passed for t in here)))
    return rows


def checklist_compliance(db: sessionmaker[Session], first_day: date, last_day: date, now: datetime,
                         line_code: str | None = None) -> list[ComplianceRow]:
    """Compliance by line and shift for the shifts that started on local days first_day..last_day, up to
    `now` (a shift not yet begun is not counted)."""
    if last_day < first_day:
        raise ValueError("the last day is before the first day")
    if (last_day - first_day).days >= MAX_DAYS:
        raise ValueError(f"choose at most {MAX_DAYS} days")
    calendar = site_calendar(db)
    if calendar is None:
        return []
    plant = [m for m in machines(db) if line_code is None or m.line_code == line_code]
    lines = {m.line_code: m.line_name for m in plant}
    with db() as session:
        templates = active_templates(session)
        done = _tallies(session, first_day, last_day)
    expected: dict[str, set[Pair]] = {}
    for machine in plant:
        for template in templates:
            if template.covers(machine.code, machine.line_code):
                expected.setdefault(machine.line_code, set()).add((machine.id, template.id))
    return compliance_rows(lines, expected, _shift_keys(calendar, first_day, last_day, now), done)


def _shift_keys(calendar, first_day: date, last_day: date, now: datetime) -> list[ShiftKey]:
    if not calendar.shifts:
        days = (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
        return [ShiftKey(day, None) for day in days
                if datetime.combine(day, time(), tzinfo=calendar.zone) <= now]
    start = datetime.combine(first_day, time(), tzinfo=calendar.zone)
    end = datetime.combine(last_day + timedelta(days=2), time(), tzinfo=calendar.zone)
    return [ShiftKey(i.day, i.name) for i in shift_instances(list(calendar.shifts), calendar.zone, start, end)
            if first_day <= i.day <= last_day and i.start <= now]


def _tallies(session: Session, first_day: date, last_day: date) -> dict[tuple[Pair, ShiftKey], Tally]:
    C = ChecklistCompletion
    query = (select(C.equipment_id, C.template_id, C.shift_day, C.shift_name, func.count(),
                    func.sum(case((C.passed, 1), else_=0)))
             .where(C.shift_day >= first_day, C.shift_day <= last_day)
             .group_by(C.equipment_id, C.template_id, C.shift_day, C.shift_name))
    return {((equipment_id, template_id), ShiftKey(day, name)): Tally(int(count), int(passed or 0))
            for equipment_id, template_id, day, name, count, passed in session.execute(query)}
