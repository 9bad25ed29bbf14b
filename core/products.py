"""Products: what the plant file says each product is (its ideal cycle per machine), and what each machine is
making (its product timeline: the product in force at a moment is the latest change at or before it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow
from core.persistence.product_tables import ProductChange, ProductCycleRow, ProductRow

PRODUCT_SOURCES = ("job", "plc", "api", "manual", "sync")


@dataclass(frozen=True)
class ProductView:
    code: str
    name: str
    unit_cost: float | None
    ideal_cycles: dict[str, float]  # equipment code -> seconds per unit


def list_products(db: sessionmaker[Session]) -> list[ProductView]:
    """Active products in the plant file's order, each with its ideal cycles per machine."""
    with db() as session:
        codes = dict(session.execute(select(EquipmentRow.id, EquipmentRow.code)).all())
        cycles: dict[int, dict[str, float]] = {}
        for row in session.scalars(select(ProductCycleRow)):
            cycles.setdefault(row.product_id, {})[codes[row.equipment_id]] = row.ideal_cycle_time_s
        return [ProductView(p.code, p.name, p.unit_cost, cycles.get(p.id, {})) for p in session.scalars(
            select(ProductRow).where(ProductRow.active).order_by(ProductRow.position))]


def product_in_force(session: Session, equipment_id: int, at: datetime) -> str | None:
    """The product the machine makes at `at` (None: no product was ever set)."""
    return session.scalar(select(ProductChange.product_code)
                          .where(ProductChange.equipment_id == equipment_id, ProductChange.at <= at)
                          .order_by(ProductChange.at.desc(), ProductChange.id.desc()).limit(1))


def record_product_change(session: Session, equipment_id: int, at: datetime, product_code: str,
                          source: str) -> None:
    """From `at` on, the machine makes `product_code`, in the caller's transaction; the product's ideal cycle on
    the machine in force now is stored with the change, so OEE of that run keeps it whatever the plant file
    says later."""
    if source not in PRODUCT_SOURCES:
        raise ValueError(f"source must be one of {', '.join(PRODUCT_SOURCES)}")
    session.execute(insert(ProductChange).values(equipment_id=equipment_id, at=at, product_code=product_code,
                                                 source=source,
                                                 ideal_cycle_time_s=product_cycle(session, product_code, equipment_id)))


def product_cycle(session: Session, product_code: str, equipment_id: int) -> float | None:
    """The plant file's ideal cycle of the product on the machine now (None: the product runs at the machine's)."""
    return session.scalar(select(ProductCycleRow.ideal_cycle_time_s)
                          .join(ProductRow, ProductRow.id == ProductCycleRow.product_id)
                          .where(ProductRow.code == product_code, ProductCycleRow.equipment_id == equipment_id))


def current_cycles(db: sessionmaker[Session], equipment_ids: list[int], at: datetime,
                   own_cycle: dict[int, float]) -> dict[int, float]:
    """Each machine's ideal cycle at `at`: that stored with its product change in force, else its own."""
    with db() as session:
        cycles = {}
        for equipment_id in equipment_ids:
            seconds = session.scalar(select(ProductChange.ideal_cycle_time_s)
                                     .where(ProductChange.equipment_id == equipment_id, ProductChange.at <= at)
                                     .order_by(ProductChange.at.desc(), ProductChange.id.desc()).limit(1))
            cycles[equipment_id] = seconds or own_cycle[equipment_id]
        return cycles
