"""Work orders: what to make (a product), how many, by when, where (a line or one machine), under which lot.
Managers create them; jobs carry them out. Every creation is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.job_workflow.access import require_manager
from core.job_workflow.lifecycle import JobError
from core.persistence.job_tables import WorkOrderRow
from core.persistence.plant_tables import EquipmentRow, LineRow
from core.persistence.product_tables import ProductRow
from core.plant.config_schema import CODE

MAX_QUANTITY = 100_000_000


@dataclass(frozen=True)
class WorkOrderView:
    number: str
    product_code: str
    product_name: str
    quantity: int
    line_code: str | None
    equipment_code: str | None
    due_date: date
    lot_number: str | None
    created_at: datetime
    created_by: str

    @property
    def where(self) -> str:
        return self.equipment_code or self.line_code or ""


def create_work_order(db: sessionmaker[Session], number: str, product_code: str, quantity: int | float,
                      due_date: date | str | None, actor: Actor, now: datetime, line_code: str | None = None,
                      equipment_code: str | None = None, lot_number: str | None = None) -> WorkOrderView:
    """A new work order for a line or for one machine (not both); refused with the reason on bad input.

    `quantity` may come as a number input gives it (3.0 is 3; 2.5 is refused, never cut), `due_date` as a date or
    an ISO date text as a date picker gives it ("2026-03-31", "2026-03-31T00:00:00")."""
    number, lot_number = (number or "").strip(), (lot_number or "").strip() or None
    if not re.match(CODE, number):
        raise JobError("the work order number must be 1-32 letters, digits, '.', '_' or '-'")
    quantity = whole_quantity(quantity)
    due_date = due_date_of(due_date)
    if bool(line_code) == bool(equipment_code):
        raise JobError("say where it is made: a line or one machine")
    if lot_number is not None and len(lot_number) > 64:
        raise JobError("the lot number is longer than 64 characters")
    with db.begin() as session:
        require_manager(session, actor, "create work orders")
        if session.scalar(select(WorkOrderRow.id).where(WorkOrderRow.number == number)) is not None:
            raise JobError(f"work order {number} already exists")
        product = session.scalars(select(ProductRow).where(ProductRow.code == product_code, ProductRow.active)).first()
        if product is None:
            raise JobError(f"no product {product_code!r} in the plant file")
        line_id = equipment_id = None
        if line_code:
            line_id = session.scalar(select(LineRow.id).where(LineRow.code == line_code, LineRow.active))
            if line_id is None:
                raise JobError(f"no active line {line_code!r}")
        else:
            equipment_id = session.scalar(select(EquipmentRow.id).where(EquipmentRow.code == equipment_code,
                                                                        EquipmentRow.active))
            if equipment_id is None:
                raise JobError(f"no active machine {equipment_code!r}")
        session.add(WorkOrderRow(number=number, product_id=product.id, quantity=quantity, line_id=line_id,
                                 equipment_id=equipment_id, due_date=due_date, lot_number=lot_number,
                                 created_at=now, created_by=actor.username))
        audit.record(session, actor.username, "workorder.created", f"workorder:{number}",
                     detail={"product": product_code, "quantity": quantity, "line": line_code,
                             "equipment": equipment_code, "due": due_date.isoformat(), "lot": lot_number},
                     address=actor.address, now=now)
    return list_work_orders(db, numbers=[number])[0]


def whole_quantity(value: int | float) -> int:
    """The quantity as a whole number from 1 to MAX_QUANTITY, or JobError: a fraction is refused, never cut."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_QUANTITY:
        raise JobError(f"the quantity must be a whole number from 1 to {MAX_QUANTITY}")
    return value


def due_date_of(value: date | str | None) -> date:
    """The due date from a date or an ISO date (with or without a time of day), or JobError saying what is wrong."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise JobError("give a due date")
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise JobError(f"the due date {value.strip()[:40]!r} is not a date; pick one like 2026-03-31") from None


def list_work_orders(db: sessionmaker[Session], numbers: list[str] | None = None,
                     limit: int = 500) -> list[WorkOrderView]:
    """Work orders, soonest due first (then newest)."""
    query = (select(WorkOrderRow, ProductRow, LineRow.code, EquipmentRow.code)
             .join(ProductRow, ProductRow.id == WorkOrderRow.product_id)
             .outerjoin(LineRow, LineRow.id == WorkOrderRow.line_id)
             .outerjoin(EquipmentRow, EquipmentRow.id == WorkOrderRow.equipment_id)
             .order_by(WorkOrderRow.due_date, WorkOrderRow.id.desc()).limit(limit))
    if numbers is not None:
        query = query.where(WorkOrderRow.number.in_(numbers))
    with db() as session:
        return [WorkOrderView(w.number, p.code, p.name, w.quantity, line, machine, w.due_date, w.lot_number,
                              w.created_at, w.created_by) for w, p, line, machine in session.execute(query)]
