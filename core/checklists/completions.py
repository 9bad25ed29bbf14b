"""Use cases of pre-start checklists: fill one in at a machine, and ask what still blocks a job start.

`complete_checklist` stores the answers, the signature and the grade in one transaction, audited; a failed
critical item raises one andon call (source "checklist"). `pending_checklists` is what the jobs workflow
asks before a job may start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.andon_calls import KIND_PRIORITY, raise_andon_call
from core.checklists.answers import AnswerError, checked_answers
from core.checklists.rules import Grade, JobStart, LastCompletion, ShiftKey, checklist_required, grade
from core.checklists.signature import check_signature
from core.checklists.templates import ChecklistTemplate, templates_for
from core.job_workflow.job_starts import last_job_start
from core.persistence.andon_tables import AndonCall
from core.persistence.checklist_tables import ChecklistCompletion
from core.persistence.plant_tables import EquipmentRow, LineRow
from core.plant.equipment import site_calendar_in
from core.shift_calendar import current_shift

ANDON_SOURCE = "checklist"


class ChecklistError(ValueError):
    """A checklist that cannot be filled in as sent; the message says what to do, in the floor's words."""


@dataclass(frozen=True)
class CompletionResult:
    id: int
    checklist: str  # the checklist's name
    equipment_code: str
    passed: bool
    failed: tuple[str, ...]  # "Oil level: 12 is below the minimum 20", critical ones first
    andon_call_id: int | None


@dataclass(frozen=True)
class ChecklistDue:
    template: ChecklistTemplate
    required_now: bool
    last_passed: bool | None  # None: never completed at this machine


def shift_key_at(session: Session, now: datetime) -> ShiftKey:
    """The shift running at `now` (its local start day and name), or the local day outside every shift."""
    return _shift_at(session, now)[0]


def _shift_at(session: Session, now: datetime) -> tuple[ShiftKey, datetime | None]:
    """The shift key at `now` and when that shift began (None outside every shift)."""
    calendar = site_calendar_in(session)
    if calendar is None:
        return ShiftKey(now.date(), None), None
    running = current_shift(list(calendar.shifts), calendar.zone, now)
    if running is None:
        return ShiftKey(now.astimezone(calendar.zone).date(), None), None
    return ShiftKey(running.day, running.name), running.start


def _machine(session: Session, equipment_id: int | None = None, code: str | None = None) -> tuple[EquipmentRow, str]:
    query = select(EquipmentRow, LineRow.code).join(LineRow, LineRow.id == EquipmentRow.line_id)
    query = query.where(EquipmentRow.id == equipment_id) if code is None else query.where(EquipmentRow.code == code)
    found = session.execute(query.where(EquipmentRow.active)).first()
    if found is None:
        raise ChecklistError(f"no active machine {code or equipment_id!r}")
    return found[0], found[1]


def _last_completion(session: Session, equipment_id: int, template_id: int) -> LastCompletion | None:
    row = session.scalars(select(ChecklistCompletion).where(
        ChecklistCompletion.equipment_id == equipment_id, ChecklistCompletion.template_id == template_id)
        .order_by(ChecklistCompletion.completed_at.desc(), ChecklistCompletion.id.desc()).limit(1)).first()
    if row is None:
        return None
    return LastCompletion(row.completed_at, row.completed_by, ShiftKey(row.shift_day, row.shift_name), row.passed)


def checklists_due(session: Session, equipment_id: int, operator_username: str, now: datetime,
                   last_job_start: JobStart | None = None) -> list[ChecklistDue]:
    """Every checklist covering the machine, each with whether it must be completed before the next job."""
    machine, line_code = _machine(session, equipment_id)
    shift, shift_start = _shift_at(session, now)
    due = []
    for template in templates_for(session, machine.code, line_code):
        last = _last_completion(session, machine.id, template.id)
        due.append(ChecklistDue(template, checklist_required(template.required, operator_username, shift, last,
                                                             last_job_start, shift_start),
                                None if last is None else last.passed))
    return due


def checklists_at(db: sessionmaker[Session], equipment_code: str, operator_username: str,
                  now: datetime) -> list[ChecklistDue]:
    """For the tablet: the checklists covering a machine and whether each is due for this operator now, counted
    from the machine's latest job start as a job start is (so the tablet never says "done" to a refused start)."""
    with db() as session:
        machine, _line = _machine(session, code=equipment_code)
        return checklists_due(session, machine.id, operator_username, now,
                              last_job_start=last_job_start(session, machine.id, now))


def checklist_at(db: sessionmaker[Session], equipment_code: str, checklist_code: str) -> ChecklistTemplate | None:
    """The checklist `checklist_code` if it covers the machine, for the tablet to draw its items."""
    with db() as session:
        machine, line_code = _machine(session, code=equipment_code)
        return next((t for t in templates_for(session, machine.code, line_code) if t.code == checklist_code), None)


def pending_checklists(session: Session, equipment_id: int, operator_username: str, now: datetime,
                       last_job_start: JobStart | None = None) -> list[str]:
    """What must be done before `operator_username` may start a job on the machine: one plain message per
    checklist still due; an empty list lets the job start.

    Reads in the caller's transaction and changes nothing. `last_job_start` is the machine's latest job
    start (time and operator), which the jobs workflow knows: `every_job` and `operator_change` checklists
    count from it; without it the machine is taken to have started no job yet. A checklist whose latest
    completion failed (a critical item) stays pending until a completion passes. Wire it into the jobs
    workflow as a start blocker:

        start_blockers=lambda session, job, now: pending_checklists(
            session, job.equipment_id, job.operator, now, last_job_start=<the machine's previous start>)
    """
    messages = []
    for due in checklists_due(session, equipment_id, operator_username, now, last_job_start):
        if not due.required_now:
            continue
        name = due.template.name
        if due.last_passed is False:
            messages.append(f"Pre-start checklist '{name}' failed: it must be completed again and pass first")
        else:
            messages.append(f"Pre-start checklist '{name}' must be completed first")
    return messages


def complete_checklist(db: sessionmaker[Session], equipment_code: str, checklist_code: str,
                       answers: Mapping[str, Any], signature: str | None, actor: Actor,
                       now: datetime) -> CompletionResult:
    """Grade and store one filled-in checklist, audited; a failed critical item raises an andon call.

    Refused (ChecklistError, nothing stored) when the machine or checklist is unknown, a required answer is
    missing or of the wrong kind, or the signature is missing, damaged or larger than 200 kB.
    """
    try:
        stored_signature = check_signature(signature)
    except ValueError as exc:
        raise ChecklistError(str(exc)) from None
    with db.begin() as session:
        machine, line_code = _machine(session, code=equipment_code)
        template = next((t for t in templates_for(session, machine.code, line_code) if t.code == checklist_code),
                        None)
        if template is None:
            raise ChecklistError(f"checklist {checklist_code!r} does not apply to {equipment_code}")
        try:
            given = checked_answers(template.items, answers, signed=stored_signature is not None)
        except AnswerError as exc:
            raise ChecklistError(str(exc)) from None
        graded = grade(template.items, given)
        shift = shift_key_at(session, now)
        row = ChecklistCompletion(
            template_id=template.id, equipment_id=machine.id, completed_at=now, completed_by=actor.username,
            shift_day=shift.day, shift_name=shift.name, answers=json.dumps(given, sort_keys=True),
            failed=json.dumps([f.as_json() for f in graded.failed]), signature=stored_signature,
            passed=graded.passed)
        session.add(row)
        session.flush()
        audit.record(session, actor.username, "checklist.completed", f"checklist:{row.id}",
                     detail={"checklist": template.code, "equipment": machine.code, "passed": graded.passed,
                             "failed": [f.code for f in graded.failed], "signed": stored_signature is not None},
                     address=actor.address, now=now)
        row.andon_call_id = _call_for_failure(session, machine.id, template, graded, actor.username, now)
        return CompletionResult(row.id, template.name, machine.code, graded.passed, _failure_lines(graded),
                                row.andon_call_id)


def _failure_lines(graded: Grade) -> tuple[str, ...]:
    ordered = sorted(graded.failed, key=lambda f: not f.critical)
    return tuple(f"{f.text}: {f.reason}" + (" (critical)" if f.critical else "") for f in ordered)


def _call_for_failure(session: Session, equipment_id: int, template: ChecklistTemplate, graded: Grade,
                      operator: str, now: datetime) -> int | None:
    """One andon call for a failed checklist, of the type the first failed critical item names; none when
    a call of that type raised by a checklist is still unresolved at the machine (a retry is no news)."""
    critical = graded.critical_failures
    if not critical:
        return None
    kind = critical[0].andon
    open_call = session.scalar(select(AndonCall.id).where(
        AndonCall.equipment_id == equipment_id, AndonCall.source == ANDON_SOURCE, AndonCall.kind == kind,
        AndonCall.status != "resolved").limit(1))
    if open_call is not None:
        return open_call
    note = f"Pre-start checklist '{template.name}' failed: " + "; ".join(
        f"{f.text}: {f.reason}" for f in critical)
    call = raise_andon_call(session, equipment_id, KIND_PRIORITY[kind], now, ANDON_SOURCE, operator, kind=kind,
                            note=note[:2000])
    return call.id
