"""What the pages show of jobs: each job with its work order, product, machine and, while it runs, the
machine's state (so the operator sees whether a changeover is still open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.job_workflow.access import OPERATE
from core.job_workflow.changeover import machine_state
from core.job_workflow.lifecycle import OPEN_STATUSES, STATUSES, JobError
from core.permissions import roles_with
from core.persistence.account_tables import User
from core.persistence.job_tables import JobRow, WorkOrderRow
from core.persistence.plant_tables import EquipmentRow, LineRow
from core.persistence.product_tables import ProductRow


class JobNotFound(JobError):
    pass


@dataclass(frozen=True)
class JobView:
    id: int
    work_order: str
    product_code: str
    product_name: str
    quantity: int
    due_date: date
    lot_number: str | None
    equipment_id: int
    equipment_code: str
    equipment_name: str
    line_code: str
    operator: str
    status: str
    assigned_at: datetime
    assigned_by: str
    accepted_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    finished_by: str | None = None
    good: int | None = None
    scrap: int | None = None
    cancel_reason: str | None = None
    machine_state: str | None = None  # for a job in progress: the machine's state now

    @property
    def in_changeover(self) -> bool:
        return self.status == "in_progress" and self.machine_state == "changeover"


def _query():
    return (select(JobRow, WorkOrderRow, ProductRow, EquipmentRow, LineRow.code)
            .join(WorkOrderRow, WorkOrderRow.id == JobRow.work_order_id)
            .join(ProductRow, ProductRow.id == WorkOrderRow.product_id)
            .join(EquipmentRow, EquipmentRow.id == JobRow.equipment_id)
            .join(LineRow, LineRow.id == EquipmentRow.line_id))


def _view(session: Session, row, now: datetime | None) -> JobView:
    job, order, product, machine, line = row
    state = machine_state(session, machine.id, now)[0] if now is not None and job.status == "in_progress" else None
    return JobView(job.id, order.number, product.code, product.name, order.quantity, order.due_date,
                   order.lot_number, machine.id, machine.code, machine.name, line, job.operator, job.status,
                   job.assigned_at, job.assigned_by, job.accepted_at, job.started_at, job.finished_at,
                   job.finished_by, job.good, job.scrap, job.cancel_reason, state)


def job_view(session: Session, job_id: int, now: datetime | None = None) -> JobView:
    """One job as its pages (and start blockers) see it, read in the caller's session."""
    row = session.execute(_query().where(JobRow.id == job_id)).first()
    if row is None:
        raise JobNotFound(f"no job {job_id}")
    return _view(session, row, now)


def find_job(db: sessionmaker[Session], job_id: int, now: datetime | None = None) -> JobView:
    with db() as session:
        return job_view(session, job_id, now)


def list_jobs(db: sessionmaker[Session], operator: str | None = None, open_only: bool = False,
              status: str | None = None, now: datetime | None = None, limit: int = 500) -> list[JobView]:
    """Jobs, open ones first by due date, then the newest; of one operator, or of one status.
    With `now`, jobs in progress carry their machine's state at that moment."""
    if status is not None and status not in STATUSES:
        raise JobError(f"status must be one of {', '.join(STATUSES)}")
    query = _query().order_by((JobRow.status.in_(OPEN_STATUSES)).desc(), WorkOrderRow.due_date,
                              JobRow.id.desc()).limit(limit)
    if operator is not None:
        query = query.where(JobRow.operator == operator)
    if open_only:
        query = query.where(JobRow.status.in_(OPEN_STATUSES))
    if status is not None:
        query = query.where(JobRow.status == status)
    with db() as session:
        return [_view(session, row, now) for row in session.execute(query)]


def operators(db: sessionmaker[Session]) -> list[tuple[str, str]]:
    """(user name, display name) of the active users who may operate jobs, for picking whom to assign."""
    with db() as session:
        return [(u.username, u.display_name or u.username) for u in session.scalars(
            select(User).where(User.active, User.role.in_(sorted(roles_with(OPERATE)))).order_by(User.username))]
