"""What quality people choose from: the defect-code tree and the check templates that apply to a machine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow, LineRow
from core.persistence.quality_tables import DefectCodeRow, QualityCharacteristicRow, QualityCheckTemplateRow
from core.products import product_in_force
from core.quality.limits import Limits


@dataclass(frozen=True)
class DefectChoice:
    code: str
    name: str
    path: str  # "Packaging › Seal defect": the names from the root down


@dataclass(frozen=True)
class CharacteristicView:
    id: int
    code: str
    name: str
    unit: str
    nominal: float | None
    limits: Limits
    samples: int


@dataclass(frozen=True)
class TemplateView:
    id: int
    code: str
    name: str
    scope: str  # "BAG1, CHK1", "line L1", "product FLOUR-1KG"
    characteristics: tuple[CharacteristicView, ...]


def defect_choices(db: sessionmaker[Session]) -> list[DefectChoice]:
    """Active defect codes in tree order (each parent before its children), labelled with their path."""
    with db() as session:
        rows = list(session.scalars(select(DefectCodeRow).where(DefectCodeRow.active)
                                    .order_by(DefectCodeRow.position)))
    known = {row.code for row in rows}
    children: dict[str | None, list[DefectCodeRow]] = {}
    for row in rows:
        children.setdefault(row.parent_code if row.parent_code in known else None, []).append(row)
    choices: list[DefectChoice] = []

    def walk(parent: str | None, above: str, depth: int) -> None:
        for row in children.get(parent, []):
            path = f"{above} › {row.name}" if above else row.name
            choices.append(DefectChoice(row.code, row.name, path))
            if depth < 8:  # the plant file allows 3 levels; a guard against a loop stored by hand
                walk(row.code, path, depth + 1)

    walk(None, "", 1)
    return choices


def _characteristics(session: Session, template_ids: list[int]) -> dict[int, list[CharacteristicView]]:
    found: dict[int, list[CharacteristicView]] = {}
    for c in session.scalars(select(QualityCharacteristicRow).where(
            QualityCharacteristicRow.template_id.in_(template_ids), QualityCharacteristicRow.active)
            .order_by(QualityCharacteristicRow.position)):
        found.setdefault(c.template_id, []).append(CharacteristicView(
            c.id, c.code, c.name, c.unit, c.nominal, Limits(c.lower_limit, c.upper_limit, c.unit), c.samples))
    return found


def _scope(row: QualityCheckTemplateRow) -> str:
    if row.line_code:
        return f"line {row.line_code}"
    if row.product_code:
        return f"product {row.product_code}"
    return ", ".join(json.loads(row.equipment))


def all_templates(db: sessionmaker[Session]) -> list[TemplateView]:
    """Every active template with its active characteristics, in the plant file's order."""
    with db() as session:
        rows = list(session.scalars(select(QualityCheckTemplateRow).where(QualityCheckTemplateRow.active)
                                    .order_by(QualityCheckTemplateRow.position)))
        characteristics = _characteristics(session, [row.id for row in rows])
    return [TemplateView(row.id, row.code, row.name, _scope(row), tuple(characteristics.get(row.id, [])))
            for row in rows]


def templates_for_machine(session: Session, machine: EquipmentRow, now: datetime) -> list[TemplateView]:
    """The templates that apply at the machine now: naming it, covering its line, or about the product it
    makes now."""
    line_code = session.scalar(select(LineRow.code).where(LineRow.id == machine.line_id))
    product = product_in_force(session, machine.id, now)
    rows = [row for row in session.scalars(select(QualityCheckTemplateRow).where(QualityCheckTemplateRow.active)
                                           .order_by(QualityCheckTemplateRow.position))
            if machine.code in json.loads(row.equipment) or (row.line_code and row.line_code == line_code)
            or (row.product_code and row.product_code == product)]
    characteristics = _characteristics(session, [row.id for row in rows])
    return [TemplateView(row.id, row.code, row.name, _scope(row), tuple(characteristics.get(row.id, [])))
            for row in rows]


def machine_templates(db: sessionmaker[Session], equipment_code: str, now: datetime) -> list[TemplateView]:
    """For the check form: the templates that apply at the machine now (none for an unknown machine)."""
    with db() as session:
        machine = session.scalars(select(EquipmentRow).where(EquipmentRow.code == equipment_code,
                                                             EquipmentRow.active)).first()
        return [] if machine is None else templates_for_machine(session, machine, now)


def machines_with_checks(db: sessionmaker[Session], now: datetime) -> list[str]:
    """Codes of the active machines where at least one check applies now, in board order."""
    with db() as session:
        plant = session.scalars(select(EquipmentRow).join(LineRow, LineRow.id == EquipmentRow.line_id)
                                .where(EquipmentRow.active).order_by(LineRow.position, EquipmentRow.position))
        return [machine.code for machine in plant if templates_for_machine(session, machine, now)]
