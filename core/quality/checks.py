"""Recording a quality check: the values of a template's characteristics at a machine, judged against their
limits, stored with who, when and the job running; a value out of limits raises a quality andon call that
says which characteristic, what value and which limits. One transaction, audited; bad input stores nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.andon_calls import KIND_PRIORITY, MAX_NOTE, raise_andon_call
from core.persistence.plant_tables import EquipmentRow
from core.persistence.quality_tables import QualityCheckRow, QualityCheckTemplateRow, QualityMeasurementRow
from core.quality.catalog import CharacteristicView, TemplateView, templates_for_machine
from core.quality.limits import in_limits, verdict
from core.quality.machine_context import QualityError, active_machine, job_at

ANDON_SOURCE = "quality"
ANDON_KIND = "quality"


@dataclass(frozen=True)
class CheckResult:
    id: int
    template: str  # its name
    equipment_code: str
    passed: bool
    out_of_limits: tuple[str, ...]  # "Bag weight 993.5 g: below the lower limit 995 g by 1.5 g (995 – 1010 g)"
    andon_call_id: int | None


def number(value: Any) -> float | None:
    """A typed value as a number ("12,5" reads as 12.5); None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def checked_values(template: TemplateView, values: Mapping[str, Sequence[Any]]) -> dict[int, list[float]]:
    """characteristic id -> its values as numbers, exactly `samples` of each; QualityError naming the first
    characteristic whose values are missing or not numbers."""
    unknown = sorted(set(values) - {c.code for c in template.characteristics})
    if unknown:
        raise QualityError(f"{template.name} has no characteristic {unknown[0]!r}")
    found: dict[int, list[float]] = {}
    for c in template.characteristics:
        typed = list(values.get(c.code) or [])
        given = [number(v) for v in typed]
        if len(given) != c.samples or all(v is None and t in (None, "") for v, t in zip(given, typed)):
            wanted = "a number" if c.samples == 1 else f"{c.samples} numbers (one per sample)"
            raise QualityError(f"{c.name}: enter {wanted}")
        if (bad := next((i for i, v in enumerate(given) if v is None), None)) is not None:
            which = f"sample {bad + 1}" if c.samples > 1 else "the value"
            shown = "empty" if typed[bad] in (None, "") else f"{typed[bad]!r}, not a number"
            raise QualityError(f"{c.name}: {which} is {shown}")
        found[c.id] = given
    return found


def _finding(c: CharacteristicView, value: float) -> str:
    unit = f" {c.unit}" if c.unit else ""
    return f"{c.name} {value:g}{unit}: {verdict(value, c.limits)} (limits {c.limits.text()})"


def record_check(db: sessionmaker[Session], equipment_code: str, template_code: str,
                 values: Mapping[str, Sequence[Any]], actor: Actor, now: datetime, note: str = "") -> CheckResult:
    """Store a filled check; any value out of limits fails it and raises one quality andon call at the machine."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise QualityError(f"the note is longer than {MAX_NOTE} characters")
    with db.begin() as session:
        machine = active_machine(session, equipment_code)
        template = next((t for t in templates_for_machine(session, machine, now) if t.code == template_code), None)
        if template is None:
            raise QualityError(f"the check {template_code!r} does not apply at {machine.code}")
        numbers = checked_values(template, values)
        findings = [_finding(c, v) for c in template.characteristics for v in numbers[c.id]
                    if not in_limits(v, c.limits)]
        call_id = _raise_call(session, machine, template, findings, actor, now) if findings else None
        row = QualityCheckRow(template_id=template.id, equipment_id=machine.id, job_id=job_at(session, machine.id, now),
                              checked_at=now, checked_by=actor.username, passed=not findings, note=note,
                              andon_call_id=call_id)
        session.add(row)
        session.flush()
        session.add_all([QualityMeasurementRow(check_id=row.id, characteristic_id=c.id, sample=i + 1, value=v,
                                               lower_limit=c.limits.lower, upper_limit=c.limits.upper,
                                               in_limits=in_limits(v, c.limits))
                         for c in template.characteristics for i, v in enumerate(numbers[c.id])])
        audit.record(session, actor.username, "quality.check_recorded", f"quality_check:{row.id}",
                     detail={"template": template.code, "equipment": machine.code, "passed": not findings,
                             "values": {c.code: numbers[c.id] for c in template.characteristics},
                             "andon_call": call_id}, address=actor.address, now=now)
        return CheckResult(row.id, template.name, machine.code, not findings, tuple(findings), call_id)


def _raise_call(session: Session, machine: EquipmentRow, template: TemplateView, findings: list[str],
                actor: Actor, now: datetime) -> int:
    text = f"Quality check '{template.name}' out of limits: " + "; ".join(findings)
    if len(text) > MAX_NOTE:
        text = text[:MAX_NOTE - 1] + "…"
    return raise_andon_call(session, machine.id, KIND_PRIORITY[ANDON_KIND], now, ANDON_SOURCE, actor.username,
                            kind=ANDON_KIND, note=text).id


@dataclass(frozen=True)
class CheckView:
    id: int
    checked_at: datetime
    equipment_code: str
    template: str
    checked_by: str
    passed: bool
    andon_call_id: int | None
    note: str


def recent_checks(db: sessionmaker[Session], since: datetime, until: datetime | None = None,
                  limit: int = 500) -> list[CheckView]:
    """Checks recorded at or after `since` (and before `until`), newest first."""
    query = (select(QualityCheckRow, EquipmentRow.code, QualityCheckTemplateRow.name)
             .join(EquipmentRow, EquipmentRow.id == QualityCheckRow.equipment_id)
             .join(QualityCheckTemplateRow, QualityCheckTemplateRow.id == QualityCheckRow.template_id)
             .where(QualityCheckRow.checked_at >= since)
             .order_by(QualityCheckRow.checked_at.desc(), QualityCheckRow.id.desc()).limit(limit))
    if until is not None:
        query = query.where(QualityCheckRow.checked_at < until)
    with db() as session:
        return [CheckView(row.id, row.checked_at, code, name, row.checked_by, row.passed, row.andon_call_id, row.note)
                for row, code, name in session.execute(query)]
