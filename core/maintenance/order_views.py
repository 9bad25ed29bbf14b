"""Reading maintenance work orders: one with its tasks, a filtered list, the overdue preventive ones, and the
people an order can be assigned to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.maintenance.order_rules import STATES, MaintenanceError, OrderNotFound
from core.maintenance.preventive_rules import is_overdue
from core.permissions import roles_with
from core.persistence.account_tables import User
from core.persistence.maintenance_tables import MaintenanceOrderRow, MaintenancePlanRow, MaintenanceTaskRow
from core.persistence.plant_tables import EquipmentRow, LineRow

NOT_DONE = "not_done"  # a filter state: open or in progress
PERMISSION = "workorders.manage"  # who may be given an order: the roles that work on them
LIST_LIMIT = 500


@dataclass(frozen=True)
class TaskView:
    id: int
    text: str
    done: bool
    done_by: str | None
    done_at: datetime | None


@dataclass(frozen=True)
class OrderView:
    id: int
    kind: str
    state: str
    equipment_code: str
    equipment_name: str
    line_code: str
    title: str
    description: str
    stop_id: int | None
    stop_start: datetime | None
    andon_call_id: int | None
    plan_code: str | None
    assignee: str | None
    created_at: datetime
    created_by: str
    started_at: datetime | None
    started_by: str | None
    done_at: datetime | None
    done_by: str | None
    minutes_spent: int | None
    parts_used: str | None
    parts_cost: float | None
    due_at: datetime | None
    tasks_done: int
    tasks_total: int
    tasks: tuple[TaskView, ...] = ()

    def overdue(self, now: datetime) -> bool:
        return is_overdue(self.due_at, self.state, now)


@dataclass(frozen=True)
class OrderFilter:
    state: str | None = None  # one of STATES, or NOT_DONE
    equipment_code: str | None = None
    assignee: str | None = None  # a user name, or "" for orders nobody has


def find_order(db: sessionmaker[Session], order_id: int) -> OrderView:
    """The order with its tasks in order; OrderNotFound when there is none."""
    with db() as session:
        found = _views(session, [MaintenanceOrderRow.id == order_id], limit=1)
        if not found:
            raise OrderNotFound(f"no maintenance work order {order_id}")
        tasks = tuple(TaskView(t.id, t.text, t.done, t.done_by, t.done_at) for t in session.scalars(
            select(MaintenanceTaskRow).where(MaintenanceTaskRow.order_id == order_id)
            .order_by(MaintenanceTaskRow.position, MaintenanceTaskRow.id)))
    view = found[0]
    return OrderView(**{**view.__dict__, "tasks": tasks})


def list_orders(db: sessionmaker[Session], wanted: OrderFilter = OrderFilter(),
                limit: int = LIST_LIMIT) -> list[OrderView]:
    """Orders matching `wanted`: the ones not done first (oldest first), then the done ones (newest first)."""
    if wanted.state is not None and wanted.state not in (*STATES, NOT_DONE):
        raise MaintenanceError(f"state must be one of {', '.join(STATES)} or {NOT_DONE}")
    conditions = []
    if wanted.state == NOT_DONE:
        conditions.append(MaintenanceOrderRow.state != "done")
    elif wanted.state is not None:
        conditions.append(MaintenanceOrderRow.state == wanted.state)
    if wanted.equipment_code:
        conditions.append(EquipmentRow.code == wanted.equipment_code)
    if wanted.assignee is not None:
        conditions.append(MaintenanceOrderRow.assignee.is_(None) if wanted.assignee == ""
                          else MaintenanceOrderRow.assignee == wanted.assignee)
    with db() as session:
        return _views(session, conditions, limit)


def overdue_orders(db: sessionmaker[Session], now: datetime) -> list[OrderView]:
    """Preventive work whose due time has passed and that is not done, the most overdue first."""
    with db() as session:
        views = _views(session, [MaintenanceOrderRow.state != "done", MaintenanceOrderRow.due_at < now], None)
    return sorted((v for v in views if v.overdue(now)), key=lambda v: v.due_at)


def maintenance_people(db: sessionmaker[Session]) -> list[tuple[str, str]]:
    """(user name, display name) of the active users whose role works on work orders."""
    with db() as session:
        return [(u.username, u.display_name or u.username) for u in session.scalars(
            select(User).where(User.active, User.role.in_(roles_with(PERMISSION))).order_by(User.username))]


def _views(session: Session, conditions: list, limit: int | None) -> list[OrderView]:
    counts = (select(MaintenanceTaskRow.order_id, func.count().label("total"),
                     func.sum(case((MaintenanceTaskRow.done, 1), else_=0)).label("done"))
              .group_by(MaintenanceTaskRow.order_id).subquery())
    not_done_first = case((MaintenanceOrderRow.state == "done", 1), else_=0)
    query = (select(MaintenanceOrderRow, EquipmentRow.code, EquipmentRow.name, LineRow.code, MaintenancePlanRow.code,
                    counts.c.total, counts.c.done)
             .join(EquipmentRow, EquipmentRow.id == MaintenanceOrderRow.equipment_id)
             .join(LineRow, LineRow.id == EquipmentRow.line_id)
             .outerjoin(MaintenancePlanRow, MaintenancePlanRow.id == MaintenanceOrderRow.plan_id)
             .outerjoin(counts, counts.c.order_id == MaintenanceOrderRow.id)
             .where(*conditions)
             .order_by(not_done_first, case((MaintenanceOrderRow.state == "done", -MaintenanceOrderRow.id),
                                            else_=MaintenanceOrderRow.id)))
    if limit is not None:
        query = query.limit(limit)
    return [OrderView(o.id, o.kind, o.state, code, name, line, o.title, o.description, o.stop_id, o.stop_start,
                      o.andon_call_id, plan, o.assignee, o.created_at, o.created_by, o.started_at, o.started_by,
                      o.done_at, o.done_by, o.minutes_spent, o.parts_used, o.parts_cost, o.due_at, int(done or 0),
                      int(total or 0))
            for o, code, name, line, plan, total, done in session.execute(query)]
