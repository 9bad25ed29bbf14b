"""What the job assignment board offers to pick from: products, places (a line or a machine), work orders,
operators and machines."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from core.job_workflow.views import operators
from core.job_workflow.work_orders import list_work_orders
from core.plant.equipment import lines, machines
from core.products import list_products


@dataclass(frozen=True)
class AssignmentChoices:
    products: list[tuple[str, str]]  # (value, label) pairs, for dropdowns
    places: list[tuple[str, str]]  # "line:CODE" or "machine:CODE"
    work_orders: list[tuple[str, str]]
    operators: list[tuple[str, str]]
    machines: list[tuple[str, str]]


def assignment_choices(db: sessionmaker[Session]) -> AssignmentChoices:
    plant = machines(db)
    return AssignmentChoices(
        products=[(p.code, f"{p.code} · {p.name}") for p in list_products(db)],
        places=[(f"line:{line.code}", f"Line {line.code} · {line.name}") for line in lines(db)]
        + [(f"machine:{m.code}", f"Machine {m.code} · {m.name}") for m in plant],
        work_orders=[(w.number, f"{w.number} · {w.quantity} × {w.product_code} · {w.where} · due {w.due_date:%d %b}")
                     for w in list_work_orders(db)],
        operators=[(name, f"{shown} ({name})" if shown != name else name) for name, shown in operators(db)],
        machines=[(m.code, f"{m.code} · {m.name}") for m in plant],
    )
