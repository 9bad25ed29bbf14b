"""Preventive plans stored from the plant file and given back for `plant dump`.

A plan removed from the file is deactivated, never deleted (its orders keep their plan). A plan keeps when it
was first loaded (`counting_from`: where counting starts while it was never done) and when it was last done.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.persistence.maintenance_tables import MaintenancePlanRow
from core.persistence.plant_tables import EquipmentRow
from core.plant.config_maintenance import MaintenancePlan, plan_from_stored


def apply_maintenance_plans(session: Session, plans: Sequence[MaintenancePlan],
                            equipment: Mapping[str, EquipmentRow], now: datetime) -> tuple[int, int, int]:
    """Make the stored plans those of the file, in the caller's transaction; (created, updated, deactivated)."""
    rows = {row.code: row for row in session.scalars(select(MaintenancePlanRow))}
    created = updated = deactivated = 0
    for position, plan in enumerate(plans):
        values = {"equipment_id": equipment[plan.equipment].id, "title": plan.title, "tasks": json.dumps(plan.tasks),
                  "trigger": plan.trigger, "interval": plan.interval, "grace_days": plan.grace_days,
                  "position": position, "active": True}
        row = rows.get(plan.code)
        if row is None:
            session.add(MaintenancePlanRow(code=plan.code, counting_from=now, **values))
            created += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
    wanted = {plan.code for plan in plans}
    for code, row in rows.items():
        if code not in wanted and row.active:
            row.active = False
            deactivated += 1
    session.flush()
    return created, updated, deactivated


def stored_maintenance_plans(session: Session) -> list[dict[str, Any]]:
    """The active plans as the plant file writes them."""
    query = (select(MaintenancePlanRow, EquipmentRow.code).join(EquipmentRow)
             .where(MaintenancePlanRow.active).order_by(MaintenancePlanRow.position))
    return [plan_from_stored(row.code, code, row.title, row.trigger, row.interval, row.grace_days,
                             json.loads(row.tasks)).model_dump(mode="json")
            for row, code in session.execute(query)]
