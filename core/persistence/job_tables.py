"""Tables for work orders (what to make, how many, by when, where) and the operators' jobs that carry them out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime, code_column


class WorkOrderRow(Base):
    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(code_column(32), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("lines.id"), nullable=True)  # a line, or
    equipment_id: Mapped[int | None] = mapped_column(ForeignKey("equipment.id"), nullable=True)  # one machine
    due_date: Mapped[date] = mapped_column(Date)
    lot_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class JobRow(Base):
    """One operator's job on one machine for a work order; its status moves as core.job_lifecycle allows."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_operator_status", "operator", "status"),
                      Index("ix_jobs_status", "status"),
                      UniqueConstraint("in_progress_on", name="uq_jobs_in_progress_on"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    operator: Mapped[str] = mapped_column(String(64))  # user name
    status: Mapped[str] = mapped_column(String(16))  # assigned | accepted | in_progress | completed | cancelled
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_by: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # completed or cancelled
    finished_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    good: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scrap: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The machine while the job is in progress, else None: unique, so the database itself holds one job in
    # progress per machine, however many tablets start jobs at once.
    in_progress_on: Mapped[int | None] = mapped_column(ForeignKey("equipment.id"), nullable=True)
