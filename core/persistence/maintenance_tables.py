"""Tables for maintenance: work orders (corrective and preventive), their checklist of tasks, and the preventive
plans that make orders when a machine's calendar, run hours or cycles say so.

Not to be confused with `work_orders` (core.persistence.job_tables): those are production orders.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, Number, UTCDateTime, code_column


class MaintenancePlanRow(Base):
    """A preventive plan from the plant file: what to do on a machine, and how often (one trigger)."""

    __tablename__ = "maintenance_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    title: Mapped[str] = mapped_column(String(200))
    tasks: Mapped[str] = mapped_column(Text)  # JSON list of task texts, in order
    trigger: Mapped[str] = mapped_column(String(16))  # calendar | run_hours | cycles
    interval: Mapped[float] = mapped_column(Number)  # days, run hours or units
    grace_days: Mapped[float] = mapped_column(Number)  # an order is overdue this long after the plan fell due
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
    counting_from: Mapped[datetime] = mapped_column(UTCDateTime)  # first loaded: where counting starts if never done
    last_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MaintenanceOrderRow(Base):
    """One maintenance work order; its state moves as core.maintenance.order_rules allows."""

    __tablename__ = "maintenance_orders"
    __table_args__ = (Index("ix_maintenance_orders_state", "state"),
                      Index("ix_maintenance_orders_equipment_done", "equipment_id", "done_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # corrective | preventive
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # The stop it repairs: the id of the stop's first state change and when the stop began. No foreign key: a
    # stop edit or a sync may replace timeline rows, and the order must keep its link and its start.
    stop_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    stop_start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    andon_call_id: Mapped[int | None] = mapped_column(ForeignKey("andon_calls.id"), nullable=True, index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("maintenance_plans.id"), nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(16))  # open | in_progress | done
    assignee: Mapped[str | None] = mapped_column(String(64), nullable=True)  # user name
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    minutes_spent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    parts_used: Mapped[str | None] = mapped_column(Text, nullable=True)
    parts_cost: Mapped[float | None] = mapped_column(Number, nullable=True)  # in the site's currency
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # preventive: overdue after this
    # What it was made for ("stop:ID", "andon:ID", "plan:ID") while it is not done, else None: unique, so two
    # taps at once (or two job runs) cannot open two orders for one stop, call or plan, on any database.
    open_for: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)


class MaintenanceTaskRow(Base):
    """One item of an order's checklist."""

    __tablename__ = "maintenance_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("maintenance_orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(Boolean)
    done_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
