"""The few reads the reports need that no other use case offers: how fresh the data is and the jobs that ran in
a window. (Unit costs are core.money.rates'.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from core.clock import as_utc
from core.persistence.job_tables import JobRow, WorkOrderRow
from core.persistence.product_tables import ProductRow
from core.persistence.timeline_tables import CountIncrement, StateChange


def newest_reading(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime,
                   end: datetime) -> datetime | None:
    """The newest state change or count of these machines inside [start, end); None when there is none."""
    if not equipment_ids:
        return None
    ids = list(equipment_ids)
    with db() as session:
        found = [session.scalar(select(func.max(table.at)).where(table.equipment_id.in_(ids), table.at >= start,
                                                                 table.at < end))
                 for table in (StateChange, CountIncrement)]
    found = [as_utc(moment) for moment in found if moment is not None]
    return max(found) if found else None



@dataclass(frozen=True)
class JobInWindow:
    work_order: str
    product: str
    quantity: int  # the work order's quantity: the plan
    equipment_id: int
    operator: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    good: int | None
    scrap: int | None


def jobs_in_window(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime,
                   end: datetime) -> list[JobInWindow]:
    """Jobs of these machines that were in progress at some moment of [start, end) (cancelled ones left out),
    in start order."""
    if not equipment_ids:
        return []
    query = (select(JobRow, WorkOrderRow.number, WorkOrderRow.quantity, ProductRow.code)
             .join(WorkOrderRow, WorkOrderRow.id == JobRow.work_order_id)
             .join(ProductRow, ProductRow.id == WorkOrderRow.product_id)
             .where(JobRow.equipment_id.in_(list(equipment_ids)), JobRow.status != "cancelled",
                    JobRow.started_at.is_not(None), JobRow.started_at < end,
                    or_(JobRow.finished_at.is_(None), JobRow.finished_at >= start))
             .order_by(JobRow.started_at, JobRow.id))
    with db() as session:
        return [JobInWindow(number, product, quantity, job.equipment_id, job.operator, job.status,
                            as_utc(job.started_at), as_utc(job.finished_at) if job.finished_at else None, job.good,
                            job.scrap)
                for job, number, quantity, product in session.execute(query)]
