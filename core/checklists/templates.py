"""The checklist templates loaded from the plant file, and which ones cover a machine."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.checklists.rules import ChecklistItem
from core.persistence.checklist_tables import ChecklistTemplateRow


@dataclass(frozen=True)
class ChecklistTemplate:
    id: int
    code: str
    name: str
    line_code: str | None
    equipment: tuple[str, ...]
    required: str
    items: tuple[ChecklistItem, ...]

    def covers(self, equipment_code: str, line_code: str) -> bool:
        return equipment_code in self.equipment or (self.line_code is not None and self.line_code == line_code)

    @property
    def has_signature(self) -> bool:
        return any(item.kind == "signature" for item in self.items)

    def as_json(self) -> dict:
        """What the tablet needs to draw the checklist."""
        return {"code": self.code, "name": self.name, "required": self.required,
                "items": [{"code": i.code, "text": i.text, "kind": i.kind, "critical": i.critical,
                           "required": i.required, "min": i.min, "max": i.max, "choices": list(i.choices)}
                          for i in self.items]}


def _template(row: ChecklistTemplateRow) -> ChecklistTemplate:
    return ChecklistTemplate(row.id, row.code, row.name, row.line_code, tuple(json.loads(row.equipment)),
                             row.required, tuple(ChecklistItem.from_json(item) for item in json.loads(row.items)))


def active_templates(session: Session) -> list[ChecklistTemplate]:
    """Every active template, in plant-file order."""
    rows = session.scalars(select(ChecklistTemplateRow).where(ChecklistTemplateRow.active)
                           .order_by(ChecklistTemplateRow.position))
    return [_template(row) for row in rows]


def templates_for(session: Session, equipment_code: str, line_code: str) -> list[ChecklistTemplate]:
    """The active templates that cover a machine (named in `equipment`, or its whole line)."""
    return [t for t in active_templates(session) if t.covers(equipment_code, line_code)]
