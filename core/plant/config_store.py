"""Storing the plant configuration: one transaction, idempotent, removed items deactivated.

`apply_plant_config` makes the database hold what the file says and reports
what it created, updated and deactivated; `read_plant_config` gives the
stored plant back as the same configuration object (for `plant dump`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import SYSTEM, Actor
from core.andon_notices import skip_passed_levels
from core.clock import utc_now
from core.persistence.checklist_tables import ChecklistTemplateRow
from core.persistence.product_tables import ProductCycleRow, ProductRow
from core.persistence.sync_tables import SyncSourceRow
from core.persistence.plant_tables import (
    EquipmentRow, EscalationRuleRow, FaultRow, LineRow, ReasonRow, ReportScheduleRow, ShiftRow, SiteRow,
)
from core.oee.rollups import discard_rollups
from core.plant.config_faults import apply_fault_rules, stored_fault_rules
from core.plant.config_ml import apply_ml_settings, stored_ml_settings
from core.maintenance.plan_store import apply_maintenance_plans, stored_maintenance_plans
from core.plant.config_quality import apply_quality_config, quality_plant_data
from core.plant.config_schema import PlantConfig


PLANT_ORIGIN = "plant"  # products.origin of the plant file's products


@dataclass
class Changes:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deactivated: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deactivated.values())

    def summary(self) -> str:
        if not self.any:
            return "no changes"
        parts = []
        for verb, counts in (("created", self.created), ("updated", self.updated), ("deactivated", self.deactivated)):
            items = [f"{n} {kind}" for kind, n in counts.items() if n]
            if items:
                parts.append(f"{verb} {', '.join(items)}")
        return "; ".join(parts)


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def apply_plant_config(db: sessionmaker[Session], config: PlantConfig, actor: Actor = SYSTEM,
                       now: datetime | None = None) -> Changes:
    """Make the database hold `config`; changed escalation rules skip the levels open calls already passed
    (core.andon_escalation), at `now` (the clock's when not given)."""
    changes = Changes()
    with db.begin() as session:
        _apply_site(session, config, changes)
        _sync(session, ShiftRow, "name", "shifts", changes, [
            {"name": s.name, "start": _hhmm(s.start), "end": _hhmm(s.end), "days": ",".join(s.days),
             "breaks": json.dumps([{"start": _hhmm(b.start), "minutes": b.minutes} for b in s.breaks])}
            for s in config.shifts])
        lines = _sync(session, LineRow, "code", "lines", changes,
                      [{"code": line.code, "name": line.name} for line in config.lines])
        equipment = _sync(session, EquipmentRow, "code", "equipment", changes, [
            {"code": e.code, "name": e.name, "line_id": lines[line.code].id,
             "ideal_cycle_time_s": e.ideal_cycle_time_s, "micro_stop_threshold_s": e.micro_stop_threshold_s,
             "cost_per_hour": e.cost_per_hour, "unit_cost": e.unit_cost,
             "plc_driver": e.plc.driver if e.plc else None, "plc_address": e.plc.address if e.plc else "",
             "plc_slot": e.plc.slot if e.plc else 0, "plc_rate_s": e.plc.rate_s if e.plc else 1.0,
             "plc_timeout_s": e.plc.timeout_s if e.plc else 2.0, "tags": json.dumps(e.tags, sort_keys=True),
             "trend_tags": json.dumps(e.trend_tags), "tag_types": json.dumps(e.tag_types, sort_keys=True),
             "deadbands": json.dumps(e.deadbands, sort_keys=True)}
            for line in config.lines for e in line.equipment])
        _sync(session, ReasonRow, "code", "reasons", changes, [
            {"code": r.code, "name": r.name, "category": r.category, "parent_code": r.parent}
            for r in config.reasons])
        _sync(session, FaultRow, "code", "faults", changes, [
            {"code": f.code, "bit": f.bit, "text": f.text, "reason_code": f.reason, "priority": f.priority,
             "equipment": json.dumps(f.equipment)} for f in config.faults])
        _sync(session, EscalationRuleRow, "priority", "escalation rules", changes, [
            {"priority": e.priority, "levels": json.dumps([level.model_dump() for level in e.levels])}
            for e in config.escalations], positioned=False)
        if any(counts["escalation rules"] for counts in (changes.created, changes.updated, changes.deactivated)):
            skip_passed_levels(session, now or utc_now())
        _sync(session, ReportScheduleRow, "name", "report schedules", changes, [
            {"name": r.name, "type": r.type, "line_code": r.line, "cron": r.cron,
             "recipients": json.dumps(r.recipients), "sections": json.dumps(r.sections or []),
             "lines": json.dumps(r.lines or [])} for r in config.reports])
        _sync(session, ChecklistTemplateRow, "code", "checklists", changes, [
            {"code": c.code, "name": c.name, "line_code": c.line, "equipment": json.dumps(c.equipment),
             "required": c.required,
             "items": json.dumps([item.model_dump(mode="json", exclude_none=True) for item in c.items])}
            for c in config.checklists])
        products = _sync(session, ProductRow, "code", "products", changes, [
            {"code": p.code, "name": p.name, "unit_cost": p.unit_cost, "origin": PLANT_ORIGIN}
            for p in config.products], keep=lambda row: row.origin != PLANT_ORIGIN)
        _sync_product_cycles(session, config, products, equipment, changes)
        _keep_renamed_sources(session, config)
        _sync(session, SyncSourceRow, "name", "sources", changes, [
            {"name": source.name, "kind": source.kind,
             "settings": json.dumps(source.model_dump(mode="json"), sort_keys=True)} for source in config.sources])
        changes.created["fault rules"], changes.updated["fault rules"] = apply_fault_rules(session, config.fault_rules)
        changes.created["ml settings"], changes.updated["ml settings"] = apply_ml_settings(session, config.ml)
        (changes.created["maintenance plans"], changes.updated["maintenance plans"],
         changes.deactivated["maintenance plans"]) = apply_maintenance_plans(
            session, config.maintenance_plans, equipment, now or utc_now())
        apply_quality_config(session, config, _sync, changes)
        if changes.any:
            discard_rollups(session)  # cycle times, thresholds or shifts may have changed: recompute them
            audit.record(session, actor.username, "plant.load", config.site.name, {"changes": changes.summary()},
                         actor.address)
    return changes


def _apply_site(session: Session, config: PlantConfig, changes: Changes) -> None:
    wanted = {"name": config.site.name, "timezone": config.site.timezone, "currency": config.site.currency,
              "target_oee": config.site.target_oee, "oee_policy": config.site.oee_policy,
              "startup_window_minutes": config.site.startup_window_minutes}
    site = session.get(SiteRow, 1)
    if site is None:
        session.add(SiteRow(id=1, **wanted))
        changes.created["site"] = 1
    elif any(getattr(site, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(site, k, v)
        changes.updated["site"] = 1


def _sync(session: Session, model, key: str, kind: str, changes: Changes, items: list[dict[str, Any]],
          positioned: bool = True, keep=lambda row: False) -> dict[str, Any]:
    """Make `model`'s rows match `items` by `key`; rows not in `items` are deactivated, never deleted, unless
    `keep(row)` (rows the file does not own, such as products first seen in synced machine data)."""
    rows = {getattr(row, key): row for row in session.scalars(select(model))}
    created = updated = deactivated = 0
    for position, item in enumerate(items):
        values = {**item, "active": True, **({"position": position} if positioned else {})}
        row = rows.get(item[key])
        if row is None:
            row = model(**values)
            session.add(row)
            rows[item[key]] = row
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            updated += 1
    wanted = {item[key] for item in items}
    for code, row in rows.items():
        if code not in wanted and row.active and not keep(row):
            row.active = False
            deactivated += 1
    session.flush()
    changes.created[kind], changes.updated[kind], changes.deactivated[kind] = created, updated, deactivated
    return rows


def _keep_renamed_sources(session: Session, config: PlantConfig) -> None:
    """A source renamed in the file (same url_env and table) keeps its row, so its watermark and the rows it
    synced stay its own; a new row would sync every row of the table again, and count it twice."""
    wanted = {(source.url_env, source.table): source.name for source in config.sources}
    rows = list(session.scalars(select(SyncSourceRow)))
    names = {row.name for row in rows}
    for row in rows:
        settings = json.loads(row.settings)
        new_name = wanted.get((settings.get("url_env"), settings.get("table")))
        if new_name and new_name != row.name and new_name not in names:
            names.discard(row.name)
            row.name = new_name
            names.add(new_name)
    session.flush()


def _sync_product_cycles(session: Session, config: PlantConfig, products: dict[str, ProductRow],
                         equipment: dict[str, EquipmentRow], changes: Changes) -> None:
    """Make the stored ideal cycles per product and machine those of the file (a cycle left out is deleted:
    it is configuration, while the product timeline keeps the codes of what ran)."""
    wanted = {(products[p.code].id, equipment[code].id): seconds
              for p in config.products for code, seconds in p.ideal_cycles.items()}
    stored = {(row.product_id, row.equipment_id): row for row in session.scalars(select(ProductCycleRow))}
    created = updated = deleted = 0
    for key, seconds in wanted.items():
        row = stored.get(key)
        if row is None:
            session.add(ProductCycleRow(product_id=key[0], equipment_id=key[1], ideal_cycle_time_s=seconds))
            created += 1
        elif row.ideal_cycle_time_s != seconds:
            row.ideal_cycle_time_s = seconds
            updated += 1
    for key, row in stored.items():
        if key not in wanted:
            session.delete(row)
            deleted += 1
    session.flush()
    changes.created["product cycles"], changes.updated["product cycles"] = created, updated
    changes.deactivated["product cycles"] = deleted


def _products(session: Session, products: list[ProductRow]) -> list[dict[str, Any]]:
    codes = dict(session.execute(select(EquipmentRow.id, EquipmentRow.code)).all())
    cycles: dict[int, dict[str, float]] = {}
    for row in session.scalars(select(ProductCycleRow).order_by(ProductCycleRow.id)):
        cycles.setdefault(row.product_id, {})[codes[row.equipment_id]] = row.ideal_cycle_time_s
    return [{"code": p.code, "name": p.name, "unit_cost": p.unit_cost, "ideal_cycles": cycles.get(p.id, {})}
            for p in products]


def read_plant_config(db: sessionmaker[Session]) -> PlantConfig | None:
    """The stored plant (active items only), or None when no plant was loaded yet."""
    with db() as session:
        site = session.get(SiteRow, 1)
        if site is None:
            return None

        def active(model):
            order = model.position if hasattr(model, "position") else model.id
            return list(session.scalars(select(model).where(model.active).order_by(order)))

        equipment_by_line: dict[int, list[EquipmentRow]] = {}
        for e in active(EquipmentRow):
            equipment_by_line.setdefault(e.line_id, []).append(e)
        data = {
            "site": {"name": site.name, "timezone": site.timezone, "currency": site.currency,
                     "target_oee": site.target_oee, "oee_policy": site.oee_policy,
                     "startup_window_minutes": site.startup_window_minutes},
            "shifts": [{"name": s.name, "start": s.start, "end": s.end, "days": s.days.split(",") if s.days else [],
                        "breaks": json.loads(s.breaks)} for s in active(ShiftRow)],
            "lines": [{"code": line.code, "name": line.name,
                       "equipment": [_equipment(e) for e in equipment_by_line.get(line.id, [])]}
                      for line in active(LineRow)],
            "reasons": [{"code": r.code, "name": r.name, "category": r.category, "parent": r.parent_code}
                        for r in active(ReasonRow)],
            "faults": [{"code": f.code, "bit": f.bit, "text": f.text, "reason": f.reason_code, "priority": f.priority,
                        "equipment": json.loads(f.equipment)} for f in active(FaultRow)],
            "escalations": [{"priority": e.priority, "levels": json.loads(e.levels)} for e in active(EscalationRuleRow)],
            "reports": [{"name": r.name, "type": r.type, "line": r.line_code, "cron": r.cron,
                         "recipients": json.loads(r.recipients), "sections": json.loads(r.sections) or None,
                         "lines": json.loads(r.lines) or None} for r in active(ReportScheduleRow)],
            "checklists": [{"code": c.code, "name": c.name, "line": c.line_code, "equipment": json.loads(c.equipment),
                            "required": c.required, "items": json.loads(c.items)}
                           for c in active(ChecklistTemplateRow)],
            "products": _products(session, [p for p in active(ProductRow) if p.origin == PLANT_ORIGIN]),
            "sources": [json.loads(source.settings) for source in active(SyncSourceRow)],
            **quality_plant_data(session),
            "maintenance_plans": stored_maintenance_plans(session),
            "fault_rules": stored_fault_rules(session).model_dump(),
            "ml": stored_ml_settings(session).model_dump(),
        }
    return PlantConfig.model_validate(data)


def _equipment(e: EquipmentRow) -> dict[str, Any]:
    item = {"code": e.code, "name": e.name, "ideal_cycle_time_s": e.ideal_cycle_time_s,
            "micro_stop_threshold_s": e.micro_stop_threshold_s, "cost_per_hour": e.cost_per_hour,
            "unit_cost": e.unit_cost, "tags": json.loads(e.tags)}
    for key in ("trend_tags", "tag_types", "deadbands"):
        if value := json.loads(getattr(e, key)):
            item[key] = value
    if e.plc_driver:
        item["plc"] = {"driver": e.plc_driver, "address": e.plc_address, "slot": e.plc_slot,
                       "rate_s": e.plc_rate_s, "timeout_s": e.plc_timeout_s}
    return item
