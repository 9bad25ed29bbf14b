"""The demo's maintenance history: the preventive plans count from the start of the simulated history (so the
jobs process opens the ones already due, and one is overdue), and a few breakdowns of that history have
corrective orders, two completed (MTTR from work orders) and one still open."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.accounts import Actor
from core.maintenance.corrective_orders import create_from_stop
from core.maintenance.order_moves import complete_order, start_order
from core.maintenance.order_rules import MaintenanceError
from core.maintenance.preventive_orders import mark_plan_done
from core.persistence.maintenance_tables import MaintenanceOrderRow, MaintenancePlanRow
from core.plant.equipment import lines
from core.stop_queue import line_stops

DEMO_MECHANIC = Actor("maintenance")  # the demo user of the maintenance role (core.demo_users)
PARTS = (("Drive belt XPZ 1250", 38.5), ("Proximity sensor M12", 64.0))


def seed_demo_maintenance(db: sessionmaker[Session], history_start: datetime, now: datetime) -> None:
    """Once per demo database: plans last done when the history begins, and corrective orders for breakdowns."""
    with db() as session:
        if session.scalar(select(func.count()).select_from(MaintenanceOrderRow)):
            return  # a restarted demo keeps what it has
        plans = list(session.scalars(select(MaintenancePlanRow.code).where(MaintenancePlanRow.active)))
    for code in plans:
        try:
            mark_plan_done(db, code, history_start, DEMO_MECHANIC, now)
        except MaintenanceError:
            pass  # done later already
    breakdowns = sorted((s for line in lines(db) for s in line_stops(db, line.code, history_start, now, now)
                         if s.state == "down" and s.end is not None), key=lambda s: s.seconds(now), reverse=True)
    for index, stop in enumerate(breakdowns[:3]):
        order = create_from_stop(db, stop.id, DEMO_MECHANIC, stop.start + timedelta(minutes=2))
        if index == 2:
            continue  # left open
        start_order(db, order.order_id, DEMO_MECHANIC, stop.start + timedelta(minutes=6))
        part, cost = PARTS[index]
        done_at = min(stop.end + timedelta(minutes=12), now)
        complete_order(db, order.order_id, int((stop.end - stop.start).total_seconds() // 60) + 8, part, cost,
                       DEMO_MECHANIC, done_at)
