"""Operators' jobs: a manager assigns a work order's job to an operator on a machine; the operator accepts,
starts and completes it; a manager may cancel it with a reason. Each use case is one transaction, audited
(who, when, the status before and after), and moves the job with one conditional UPDATE, so two people acting
at once cannot both move it. A job in progress holds its machine (jobs.in_progress_on, unique), so two jobs
started at once on one machine cannot both run.

Starting a job sets its machine's product; a different product than the one in force starts a changeover
(core.job_workflow.changeover says how it ends).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor, normalise_username
from core.job_workflow.access import OPERATE, require_manager, require_operator_or_manager, role_of
from core.job_workflow.changeover import machine_state, plc_silent, write_job_state
from core.job_workflow.lifecycle import TRANSITIONS, JobError, JobStateError, next_status
from core.job_workflow.views import JobNotFound, JobView, find_job, job_view
from core.permissions import role_has
from core.persistence.deadlocks import retried_on_deadlock
from core.persistence.job_tables import JobRow, WorkOrderRow
from core.persistence.plant_tables import EquipmentRow
from core.products import product_in_force, record_product_change

MAX_UNITS = 1_000_000_000
MAX_REASON = 2_000

# What may stop a job from starting (a pre-start checklist not passed, ...): given the session, the job and the
# moment, the reasons in words; none means it may start. It runs inside start_job's transaction, before anything
# is written, and anything it writes is rolled back when the start is refused.
StartBlockers = Callable[[Session, JobView, datetime], list[str]]


class JobBlocked(JobError):
    """The job may not start yet; `blockers` says why, one reason each."""

    def __init__(self, blockers: list[str]):
        self.blockers = list(blockers)
        super().__init__("the job cannot start yet: " + "; ".join(self.blockers))


def assign_job(db: sessionmaker[Session], work_order: str, operator: str, equipment_code: str, actor: Actor,
               now: datetime) -> JobView:
    """A manager gives a work order's job to an operator on a machine of the work order's line (or its machine)."""
    operator = normalise_username(operator or "")
    with db.begin() as session:
        require_manager(session, actor, "assign jobs")
        order = session.scalars(select(WorkOrderRow).where(WorkOrderRow.number == (work_order or "").strip())).first()
        if order is None:
            raise JobError(f"no work order {work_order!r}")
        machine = session.scalars(select(EquipmentRow).where(EquipmentRow.code == equipment_code,
                                                             EquipmentRow.active)).first()
        if machine is None:
            raise JobError(f"no active machine {equipment_code!r}")
        if order.equipment_id is not None and machine.id != order.equipment_id:
            raise JobError(f"work order {order.number} is for another machine, not {machine.code}")
        if order.line_id is not None and machine.line_id != order.line_id:
            raise JobError(f"{machine.code} is not on the line of work order {order.number}")
        if not role_has(role_of(session, operator), OPERATE):
            raise JobError(f"{operator or 'nobody'} is not an active user who may operate jobs")
        job = JobRow(work_order_id=order.id, equipment_id=machine.id, operator=operator, status="assigned",
                     assigned_at=now, assigned_by=actor.username)
        session.add(job)
        session.flush()
        audit.record(session, actor.username, "job.assigned", f"job:{job.id}",
                     detail={"before": None, "after": "assigned", "work_order": order.number,
                             "operator": operator, "equipment": machine.code}, address=actor.address, now=now)
        job_id = job.id
    return find_job(db, job_id, now)


@retried_on_deadlock
def accept_job(db: sessionmaker[Session], job_id: int, actor: Actor, now: datetime) -> JobView:
    with db.begin() as session:
        _check(session, job_id, "accept", actor)
        before = _move(session, job_id, "accept", {"accepted_at": now})
        _audit(session, actor, now, job_id, "accept", before)
    return find_job(db, job_id, now)


@retried_on_deadlock
def start_job(db: sessionmaker[Session], job_id: int, actor: Actor, now: datetime,
              start_blockers: StartBlockers | None = None) -> JobView:
    """Start an accepted job: refused, listing the reasons, when `start_blockers` returns any, or when another job
    is in progress on its machine (even one started at the same instant); the machine's product becomes the work
    order's, and a different product than the one in force starts a changeover."""
    try:
        with db.begin() as session:
            _start(session, job_id, actor, now, start_blockers)
    except IntegrityError:
        # jobs.in_progress_on is unique: another job took the machine between our check and our UPDATE
        with db() as session:
            busy = _busy_with(session, session.get(JobRow, job_id).equipment_id, job_id)
        if busy is None:
            raise
        raise JobStateError(f"job {busy} is in progress on this machine; complete it first") from None
    return find_job(db, job_id, now)


def _busy_with(session: Session, equipment_id: int, job_id: int) -> int | None:
    return session.scalar(select(JobRow.id).where(JobRow.equipment_id == equipment_id,
                                                  JobRow.status == "in_progress", JobRow.id != job_id))


def _start(session: Session, job_id: int, actor: Actor, now: datetime, start_blockers: StartBlockers | None) -> None:
    job = _check(session, job_id, "start", actor)
    busy = _busy_with(session, job.equipment_id, job_id)
    if busy is not None:
        raise JobStateError(f"job {busy} is in progress on this machine; complete it first")
    view = job_view(session, job_id, now)
    blockers = list(start_blockers(session, view, now)) if start_blockers else []
    if blockers:
        raise JobBlocked(blockers)
    before = _move(session, job_id, "start", {"started_at": now, "in_progress_on": job.equipment_id})
    in_force = product_in_force(session, view.equipment_id, now)
    record_product_change(session, view.equipment_id, now, view.product_code, "job")
    changeover = in_force != view.product_code
    if changeover:
        write_job_state(session, view.equipment_id, "changeover", now)
    _audit(session, actor, now, job_id, "start", before,
           {"product": view.product_code, "product_before": in_force, "changeover": changeover})


@retried_on_deadlock
def end_changeover(db: sessionmaker[Session], job_id: int, actor: Actor, now: datetime) -> JobView:
    """"Changeover done": the machine of a job in progress, still in changeover, is running from now; refused
    while the machine's PLC is silent (no_data never counts as running)."""
    with db.begin() as session:
        job = _check(session, job_id, None, actor, what="end the changeover of")
        if job.status != "in_progress":
            raise JobStateError(f"a job that is {job.status.replace('_', ' ')} has no changeover to end")
        if plc_silent(session, job.equipment_id):
            raise JobStateError("the machine's PLC is not answering, so nobody can tell it runs: the changeover "
                                "ends when the PLC answers running (or tap Changeover done once it answers)")
        state, since = machine_state(session, job.equipment_id, now)
        if state != "changeover":
            raise JobStateError(f"the machine is not in changeover (it has been {state or 'silent'} since "
                                f"{since:%H:%M} UTC)" if since else "the machine is not in changeover")
        write_job_state(session, job.equipment_id, "running", now)
        audit.record(session, actor.username, "job.changeover_done", f"job:{job_id}",
                     detail={"before": "changeover", "after": "running"}, address=actor.address, now=now)
    return find_job(db, job_id, now)


@retried_on_deadlock
def complete_job(db: sessionmaker[Session], job_id: int, good: int, scrap: int, actor: Actor,
                 now: datetime) -> JobView:
    """Complete a job in progress with the good and scrap quantities made (whole numbers, 0 or more)."""
    for name, value in (("good", good), ("scrap", scrap)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_UNITS:
            raise JobError(f"the {name} quantity must be a whole number of 0 or more")
    with db.begin() as session:
        _check(session, job_id, "complete", actor)
        before = _move(session, job_id, "complete",
                       {"finished_at": now, "finished_by": actor.username, "good": good, "scrap": scrap,
                        "in_progress_on": None})
        _audit(session, actor, now, job_id, "complete", before, {"good": good, "scrap": scrap})
    return find_job(db, job_id, now)


@retried_on_deadlock
def cancel_job(db: sessionmaker[Session], job_id: int, reason: str, actor: Actor, now: datetime) -> JobView:
    """A manager cancels a job that is not finished; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise JobError("say why the job is cancelled: a reason is required")
    if len(reason) > MAX_REASON:
        raise JobError(f"the reason is longer than {MAX_REASON} characters")
    with db.begin() as session:
        _check(session, job_id, "cancel", actor)
        before = _move(session, job_id, "cancel",
                       {"finished_at": now, "finished_by": actor.username, "cancel_reason": reason,
                        "in_progress_on": None})
        _audit(session, actor, now, job_id, "cancel", before, {"reason": reason})
    return find_job(db, job_id, now)


def _check(session: Session, job_id: int, action: str | None, actor: Actor, what: str | None = None) -> JobRow:
    """The job, if `actor` may take `action` on it and its status allows it (refused in words otherwise)."""
    job = session.get(JobRow, job_id)
    if job is None:
        raise JobNotFound(f"no job {job_id}")
    if action == "cancel":
        require_manager(session, actor, "cancel jobs")
    else:
        require_operator_or_manager(session, actor, job.operator, what or action)
    if action is not None:
        next_status(job.status, action)
    return job


def _move(session: Session, job_id: int, action: str, values: dict) -> str:
    """Apply `action` only if the job is still in the status it was read in (one conditional UPDATE: of two
    people acting at once, one wins and the other is told); returns the status it moved from."""
    allowed_from, to = TRANSITIONS[action]
    current = session.scalar(select(JobRow.status).where(JobRow.id == job_id))
    moved = session.execute(update(JobRow).where(JobRow.id == job_id, JobRow.status == current,
                                                 JobRow.status.in_(allowed_from)).values(status=to, **values))
    if moved.rowcount != 1:
        # FOR UPDATE: the status as committed by whoever won, not this transaction's snapshot (InnoDB)
        latest = session.scalar(select(JobRow.status).where(JobRow.id == job_id).with_for_update())
        next_status(latest, action)  # raises: someone else moved it first
        raise JobStateError(f"the job changed meanwhile (now {latest.replace('_', ' ')}); try again")
    return current


def _audit(session: Session, actor: Actor, now: datetime, job_id: int, action: str, before: str,
           detail: dict | None = None) -> None:
    audit.record(session, actor.username, f"job.{TRANSITIONS[action][1]}", f"job:{job_id}",
                 detail={"before": before, "after": TRANSITIONS[action][1], **(detail or {})},
                 address=actor.address, now=now)
