"""The plant file's quality blocks: the defect-code tree (`[[defect_codes]]`) and the quality check templates
(`[[quality_checks]]` with their measured characteristics); their cross-checks, storing and reading back.

    [[defect_codes]]
    code = "SEAL"
    name = "Seal defect"
    parent = "PACK"                       # optional: the tree's parent code

    [[quality_checks]]
    code = "BAG-WEIGHT"
    name = "Bag weight and seal"
    equipment = ["BAG1"]                  # where it applies: machines, or line = "L1", or product = "FLOUR-1KG"
    characteristics = [
        { code = "WEIGHT", name = "Bag weight", unit = "g", nominal = 1000, lower = 995, upper = 1010, samples = 5 },
    ]

A characteristic needs a lower or an upper limit (or both); a value on a limit is in limits. `samples` is how
many values one check takes of it: 1 draws an individuals (I-MR) chart, 2-10 an X-bar/R chart.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import tomli_w

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.persistence.quality_tables import DefectCodeRow, QualityCharacteristicRow, QualityCheckTemplateRow

# As core.plant.config_schema's (which imports this module for PlantConfig, so it cannot be imported from)
CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
MAX_DEFECT_DEPTH = 3
MAX_SUBGROUP = 10  # the control-chart constants are tabulated up to 10 (core.quality.control_charts)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class DefectCode(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    parent: str | None = None


class Characteristic(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    unit: str = Field("", max_length=16)
    nominal: float | None = None
    lower: float | None = None
    upper: float | None = None
    samples: int = Field(1, ge=1, le=MAX_SUBGROUP)

    @model_validator(mode="after")
    def limits_make_sense(self) -> "Characteristic":
        if self.lower is None and self.upper is None:
            raise ValueError("give a lower or an upper limit (or both)")
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower ({self.lower:g}) is above upper ({self.upper:g})")
        if self.nominal is not None and ((self.lower is not None and self.nominal < self.lower)
                                         or (self.upper is not None and self.nominal > self.upper)):
            raise ValueError(f"nominal ({self.nominal:g}) is outside the limits")
        return self


class QualityCheckTemplate(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    equipment: list[str] = Field(default_factory=list)
    line: str | None = None
    product: str | None = None
    characteristics: list[Characteristic] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def one_scope_and_unique_characteristics(self) -> "QualityCheckTemplate":
        scopes = [bool(self.equipment), self.line is not None, self.product is not None]
        if sum(scopes) != 1:
            raise ValueError('say where the check applies with one of equipment = [...], line = "..." or '
                             'product = "..."')
        codes = [c.code for c in self.characteristics]
        if twice := sorted({code for code in codes if codes.count(code) > 1}):
            raise ValueError(f"characteristic code {twice[0]!r} is used twice")
        return self


def quality_problems(config) -> list[tuple[str, str]]:
    """(key, problem) for the quality blocks of a PlantConfig: duplicate codes, a parent, machine, line or
    product that does not exist, a defect tree with a loop or deeper than MAX_DEFECT_DEPTH."""
    problems: list[tuple[str, str]] = []
    for kind, key, items in (("defect code", "defect_codes", config.defect_codes),
                             ("quality check code", "quality_checks", config.quality_checks)):
        counts = Counter(item.code for item in items)
        problems += [(f"{key}[{i}].code", f"duplicate {kind} {item.code!r}")
                     for i, item in enumerate(items) if counts[item.code] > 1]
    parents = {d.code: d.parent for d in config.defect_codes}
    for i, defect in enumerate(config.defect_codes):
        if defect.parent is not None and defect.parent not in parents:
            problems.append((f"defect_codes[{i}].parent", f"no defect code {defect.parent!r}"))
        elif (depth := _depth(defect.code, parents)) is None:
            problems.append((f"defect_codes[{i}].parent", f"defect code {defect.code!r} is its own ancestor"))
        elif depth > MAX_DEFECT_DEPTH:
            problems.append((f"defect_codes[{i}].parent", f"defect code {defect.code!r} is {depth} levels deep; "
                             f"the tree may have {MAX_DEFECT_DEPTH}"))
    equipment = {e.code for line in config.lines for e in line.equipment}
    line_codes = {line.code for line in config.lines}
    products = {p.code for p in config.products}
    for i, template in enumerate(config.quality_checks):
        problems += [(f"quality_checks[{i}].equipment", f"no equipment with code {code!r}")
                     for code in template.equipment if code not in equipment]
        if template.line is not None and template.line not in line_codes:
            problems.append((f"quality_checks[{i}].line", f"no line with code {template.line!r}"))
        if template.product is not None and template.product not in products:
            problems.append((f"quality_checks[{i}].product", f"no product with code {template.product!r}"))
    return problems


def _depth(code: str, parents: dict[str, str | None]) -> int | None:
    """Levels from the root down to `code`; None when the parents loop."""
    seen, parent = {code}, parents.get(code)
    while parent is not None:
        if parent in seen:
            return None
        seen.add(parent)
        parent = parents.get(parent)
    return len(seen)


def apply_quality_config(session: Session, config, sync, changes) -> None:
    """Store the quality blocks in the plant load's transaction; `sync` is config_store's row sync (removed
    codes and templates are deactivated, never deleted)."""
    sync(session, DefectCodeRow, "code", "defect codes", changes,
         [{"code": d.code, "name": d.name, "parent_code": d.parent} for d in config.defect_codes])
    templates = sync(session, QualityCheckTemplateRow, "code", "quality checks", changes, [
        {"code": t.code, "name": t.name, "equipment": json.dumps(t.equipment), "line_code": t.line,
         "product_code": t.product} for t in config.quality_checks])
    created = updated = deactivated = 0
    stored: dict[tuple[int, str], QualityCharacteristicRow] = {
        (row.template_id, row.code): row for row in session.scalars(select(QualityCharacteristicRow))}
    wanted = set()
    for template in config.quality_checks:
        template_id = templates[template.code].id
        for position, c in enumerate(template.characteristics):
            wanted.add((template_id, c.code))
            values = {"name": c.name, "unit": c.unit, "nominal": c.nominal, "lower_limit": c.lower,
                      "upper_limit": c.upper, "samples": c.samples, "position": position, "active": True}
            row = stored.get((template_id, c.code))
            if row is None:
                session.add(QualityCharacteristicRow(template_id=template_id, code=c.code, **values))
                created += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                updated += 1
    for key, row in stored.items():
        if key not in wanted and row.active:
            row.active = False
            deactivated += 1
    session.flush()
    changes.created["characteristics"], changes.updated["characteristics"] = created, updated
    changes.deactivated["characteristics"] = deactivated


def quality_plant_data(session: Session) -> dict[str, Any]:
    """The stored quality blocks (active items only) as the plant file writes them."""
    defects = session.scalars(select(DefectCodeRow).where(DefectCodeRow.active).order_by(DefectCodeRow.position))
    templates = list(session.scalars(select(QualityCheckTemplateRow).where(QualityCheckTemplateRow.active)
                                     .order_by(QualityCheckTemplateRow.position)))
    characteristics: dict[int, list[dict]] = {}
    for c in session.scalars(select(QualityCharacteristicRow).where(QualityCharacteristicRow.active)
                             .order_by(QualityCharacteristicRow.position)):
        characteristics.setdefault(c.template_id, []).append(
            {"code": c.code, "name": c.name, "unit": c.unit, "nominal": c.nominal, "lower": c.lower_limit,
             "upper": c.upper_limit, "samples": c.samples})
    return {
        "defect_codes": [{"code": d.code, "name": d.name, "parent": d.parent_code} for d in defects],
        "quality_checks": [{"code": t.code, "name": t.name, "equipment": json.loads(t.equipment),
                            "line": t.line_code, "product": t.product_code,
                            "characteristics": characteristics.get(t.id, [])} for t in templates],
    }


def defect_codes_toml(data: dict[str, Any]) -> str:
    """Takes `defect_codes` out of a dumped plant and gives it back as `[[defect_codes]]` sections, written as
    the plant file has them: its items are so short that tomli_w would write them as one inline array above
    [site]."""
    codes = data.pop("defect_codes", None) or []
    return "".join(f"\n[[defect_codes]]\n{tomli_w.dumps(code)}" for code in codes)
