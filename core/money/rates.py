"""The configured rates money is priced with: each machine's default unit cost and each product's unit cost.
A machine's `cost_per_hour` travels with core.plant.equipment.Machine."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow
from core.persistence.product_tables import ProductRow


def machine_unit_costs(db: sessionmaker[Session], equipment_ids: Sequence[int]) -> dict[int, float]:
    """Each machine's default cost of one rejected unit (0 where none is configured)."""
    with db() as session:
        rows = session.execute(select(EquipmentRow.id, EquipmentRow.unit_cost)
                               .where(EquipmentRow.id.in_(list(equipment_ids))))
        return {equipment_id: float(cost or 0.0) for equipment_id, cost in rows}


def product_unit_costs(db: sessionmaker[Session]) -> dict[str, float | None]:
    """Each product's unit cost (None: the product has none, the machine's default applies)."""
    with db() as session:
        return {code: (None if cost is None else float(cost))
                for code, cost in session.execute(select(ProductRow.code, ProductRow.unit_cost))}
