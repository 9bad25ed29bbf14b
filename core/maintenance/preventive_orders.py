"""Preventive maintenance from the machine's own data: where each plan stands (its reading since it was last
done), the job's use case that opens an order for every plan that fell due, and recording work done outside
Floorboard. The rule of when a plan falls due is core.maintenance.preventive_rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import SYSTEM, Actor
from core.maintenance.order_rules import MaintenanceError
from core.maintenance.preventive_rules import PlanDue, plan_due, running_seconds
from core.persistence.maintenance_tables import MaintenanceOrderRow, MaintenancePlanRow, MaintenanceTaskRow
from core.persistence.plant_tables import EquipmentRow
from core.persistence.timeline_tables import CountIncrement
from core.timeline import count_totals, state_changes


@dataclass(frozen=True)
class PlanStatus:
    id: int
    code: str
    equipment_id: int
    equipment_code: str
    title: str
    trigger: str
    interval: float
    since: datetime  # last done, or first loaded when never done
    reading: float  # days, run hours or cycles since then
    due: PlanDue | None  # None: not due yet
    open_order_id: int | None


def plan_statuses(db: sessionmaker[Session], now: datetime) -> list[PlanStatus]:
    """Every active plan with its reading and whether it fell due, in the plant file's order."""
    with db() as session:
        rows = session.execute(select(MaintenancePlanRow, EquipmentRow.code)
                               .join(EquipmentRow, EquipmentRow.id == MaintenancePlanRow.equipment_id)
                               .where(MaintenancePlanRow.active).order_by(MaintenancePlanRow.position)).all()
        open_orders = dict(session.execute(select(MaintenanceOrderRow.plan_id, MaintenanceOrderRow.id).where(
            MaintenanceOrderRow.plan_id.is_not(None), MaintenanceOrderRow.state != "done")).all())
    return [_status(db, plan, code, open_orders.get(plan.id), now) for plan, code in rows]


def _status(db: sessionmaker[Session], plan: MaintenancePlanRow, code: str, open_order: int | None,
            now: datetime) -> PlanStatus:
    since = plan.last_done_at or plan.counting_from
    changes, counts, reading = (), (), max(0.0, (now - since).total_seconds() / 86400)
    if plan.trigger == "run_hours":
        changes = [(c.at, c.state) for c in state_changes(db, [plan.equipment_id], since, now)[plan.equipment_id]]
        reading = running_seconds(changes, since, now) / 3600
    elif plan.trigger == "cycles":
        reading = float(sum(count_totals(db, [plan.equipment_id], since, now)[plan.equipment_id]))
        counts = _increments(db, plan.equipment_id, since, now) if reading >= plan.interval else ()
    due = plan_due(plan.trigger, plan.interval, plan.grace_days, since, now, changes, counts)
    return PlanStatus(plan.id, plan.code, plan.equipment_id, code, plan.title, plan.trigger, plan.interval, since,
                      reading, due, open_order)


def _increments(db: sessionmaker[Session], equipment_id: int, since: datetime, now: datetime) -> list:
    """(at, units) of every count increment in [since, now): read only once the total has reached a plan's
    interval, to find the one that reached it."""
    with db() as session:
        return [(at, good + reject) for at, good, reject in session.execute(
            select(CountIncrement.at, CountIncrement.good, CountIncrement.reject)
            .where(CountIncrement.equipment_id == equipment_id, CountIncrement.at >= since, CountIncrement.at < now)
            .order_by(CountIncrement.at, CountIncrement.id))]


def create_due_preventive_orders(db: sessionmaker[Session], now: datetime, actor: Actor = SYSTEM) -> list[int]:
    """Open an order for every plan that fell due and has none open (the database holds one open order per
    plan, so a rerun or a second jobs process adds nothing); the ids of the orders made."""
    made = []
    for status in plan_statuses(db, now):
        if status.due is None or status.open_order_id is not None:
            continue
        order_id = _open_preventive_order(db, status, actor, now)
        if order_id is not None:
            made.append(order_id)
    return made


def _open_preventive_order(db: sessionmaker[Session], status: PlanStatus, actor: Actor,
                           now: datetime) -> int | None:
    try:
        with db.begin() as session:
            plan = session.get(MaintenancePlanRow, status.id)
            order = MaintenanceOrderRow(
                kind="preventive", equipment_id=plan.equipment_id, title=plan.title[:200],
                description=_description(status), plan_id=plan.id, state="open", created_at=now,
                created_by=actor.username, due_at=status.due.due_at, open_for=f"plan:{plan.id}")
            session.add(order)
            session.flush()
            session.add_all(MaintenanceTaskRow(order_id=order.id, position=i, text=text[:200], done=False)
                            for i, text in enumerate(json.loads(plan.tasks)))
            audit.record(session, actor.username, "maintenance.created", f"maintenance_order:{order.id}",
                         detail={"kind": "preventive", "plan": plan.code, "equipment": status.equipment_code,
                                 "fell_due_at": status.due.fell_due_at, "due_at": status.due.due_at},
                         address=actor.address, now=now)
            return order.id
    except IntegrityError:  # another run opened it a moment ago
        return None


def _description(status: PlanStatus) -> str:
    unit = {"calendar": "days", "run_hours": "run hours", "cycles": "cycles"}[status.trigger]
    return (f"Preventive plan {status.code}: every {status.interval:g} {unit}; {status.reading:,.1f} {unit} since "
            f"{status.since:%Y-%m-%d %H:%M} UTC.")


def mark_plan_done(db: sessionmaker[Session], code: str, at: datetime, actor: Actor, now: datetime) -> None:
    """Record that a plan's work was done at `at` outside Floorboard (before it was installed): it counts from
    then. Refused for a moment in the future or before a completion already recorded."""
    if at > now:
        raise MaintenanceError("the work cannot have been done in the future")
    with db.begin() as session:
        plan = session.scalar(select(MaintenancePlanRow).where(MaintenancePlanRow.code == code,
                                                               MaintenancePlanRow.active))
        if plan is None:
            raise MaintenanceError(f"no active maintenance plan {code!r}")
        if plan.last_done_at is not None and at < plan.last_done_at:
            raise MaintenanceError(f"plan {code} was last done later, at {plan.last_done_at:%Y-%m-%d %H:%M} UTC")
        before, plan.last_done_at = plan.last_done_at, at
        audit.record(session, actor.username, "maintenance.plan_done", f"maintenance_plan:{code}",
                     detail={"before": before, "after": at}, address=actor.address, now=now)
