"""Working a maintenance order: assign it (while open or in progress), start it, tick its tasks, complete it
with the time spent and the parts used. Each move is one transaction, audited, and guarded by a conditional
UPDATE so that two people acting at once cannot both move the same order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor, normalise_username
from core.maintenance.order_rules import (
    MaintenanceError, OrderNotFound, OrderStateError, check_assignable, check_tickable, completion, next_state,
)
from core.maintenance.order_views import OrderView, find_order, maintenance_people
from core.persistence.maintenance_tables import MaintenanceOrderRow, MaintenancePlanRow, MaintenanceTaskRow


def assign_order(db: sessionmaker[Session], order_id: int, assignee: str, actor: Actor, now: datetime) -> OrderView:
    """Give the order to a user whose role works on work orders (also to someone else while it is under way)."""
    name = normalise_username(assignee or "")
    if not name:
        raise MaintenanceError("choose who does the work")
    if name not in {username for username, _ in maintenance_people(db)}:
        raise MaintenanceError(f"{assignee!r} is not an active user of a maintenance, engineer or admin role")
    with db.begin() as session:
        current, before = _state_and_assignee(session, order_id)
        check_assignable(current)
        _update(session, order_id, current, {"assignee": name})
        audit.record(session, actor.username, "maintenance.assigned", f"maintenance_order:{order_id}",
                     detail={"before": before, "after": name}, address=actor.address, now=now)
    return find_order(db, order_id)


def start_order(db: sessionmaker[Session], order_id: int, actor: Actor, now: datetime) -> OrderView:
    """open -> in_progress; an order nobody was given goes to whoever starts it."""
    with db.begin() as session:
        current, assignee = _state_and_assignee(session, order_id)
        next_state(current, "start")
        values = {"state": "in_progress", "started_at": now, "started_by": actor.username,
                  "assignee": assignee or actor.username}
        _update(session, order_id, current, values)
        audit.record(session, actor.username, "maintenance.started", f"maintenance_order:{order_id}",
                     detail={"before": current, "after": "in_progress", "assignee": values["assignee"]},
                     address=actor.address, now=now)
    return find_order(db, order_id)


def complete_order(db: sessionmaker[Session], order_id: int, minutes_spent, parts_used: str | None, parts_cost,
                   actor: Actor, now: datetime) -> OrderView:
    """in_progress -> done with the time spent, parts used and their cost; a preventive order's plan counts
    again from now. Refused (nothing stored) without time spent or with a task not ticked."""
    with db.begin() as session:
        current, _ = _state_and_assignee(session, order_id)
        next_state(current, "complete")
        open_tasks = list(session.scalars(select(MaintenanceTaskRow.text).where(
            MaintenanceTaskRow.order_id == order_id, MaintenanceTaskRow.done.is_(False))
            .order_by(MaintenanceTaskRow.position)))
        minutes, parts, cost = completion(minutes_spent, parts_used, parts_cost, open_tasks)
        _update(session, order_id, current, {"state": "done", "done_at": now, "done_by": actor.username,
                                             "minutes_spent": minutes, "parts_used": parts, "parts_cost": cost,
                                             "open_for": None})
        plan_id = session.scalar(select(MaintenanceOrderRow.plan_id).where(MaintenanceOrderRow.id == order_id))
        if plan_id is not None:
            session.execute(update(MaintenancePlanRow).where(MaintenancePlanRow.id == plan_id)
                            .values(last_done_at=now))
        audit.record(session, actor.username, "maintenance.completed", f"maintenance_order:{order_id}",
                     detail={"before": current, "after": "done", "minutes_spent": minutes, "parts_used": parts,
                             "parts_cost": cost}, address=actor.address, now=now)
    return find_order(db, order_id)


def set_task_done(db: sessionmaker[Session], order_id: int, task_id: int, done: bool, actor: Actor,
                  now: datetime) -> OrderView:
    """Tick (or untick) one task of an order that is not done."""
    with db.begin() as session:
        current, _ = _state_and_assignee(session, order_id)
        check_tickable(current)
        task = session.get(MaintenanceTaskRow, task_id)
        if task is None or task.order_id != order_id:
            raise MaintenanceError(f"work order {order_id} has no task {task_id}")
        if task.done != bool(done):
            task.done, task.done_by, task.done_at = bool(done), actor.username if done else None, now if done else None
            audit.record(session, actor.username, "maintenance.task_" + ("done" if done else "undone"),
                         f"maintenance_order:{order_id}", detail={"task": task.text}, address=actor.address, now=now)
    return find_order(db, order_id)


def _state_and_assignee(session: Session, order_id: int) -> tuple[str, str | None]:
    row = session.execute(select(MaintenanceOrderRow.state, MaintenanceOrderRow.assignee)
                          .where(MaintenanceOrderRow.id == order_id)).first()
    if row is None:
        raise OrderNotFound(f"no maintenance work order {order_id}")
    return row.state, row.assignee


def _update(session: Session, order_id: int, current: str, values: dict) -> None:
    """Apply `values` only if the order is still in `current` (someone else may have moved it meanwhile)."""
    moved = session.execute(update(MaintenanceOrderRow).where(MaintenanceOrderRow.id == order_id,
                                                              MaintenanceOrderRow.state == current).values(**values))
    if moved.rowcount != 1:
        latest = session.scalar(select(MaintenanceOrderRow.state).where(MaintenanceOrderRow.id == order_id))
        raise OrderStateError(f"the work order changed meanwhile (now {latest.replace('_', ' ')}); look again")
