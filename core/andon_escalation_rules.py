"""The andon escalation rules as the admin page edits them: per priority, its levels; read, check with the
plant file's schema (every problem listed), save in one transaction, audited with before and after (webhook
URLs as host and hash only: the audit log has more readers than the admins who set them).

What is saved here is what `floorboard plant dump` writes and what the jobs process escalates by at its
next check. A priority left without levels has no rule (nobody is told about its calls).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Mapping, Sequence

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.andon_notices import skip_passed_levels
from core.andon_webhook import is_webhook_target, webhook_label
from core.clock import utc_now
from core.persistence.plant_tables import EscalationRuleRow
from core.plant.config_schema import PRIORITIES, Escalation, EscalationLevel

Ladders = dict[str, list[dict[str, Any]]]  # priority -> levels, each as the plant file writes it


class EscalationRulesError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def escalation_ladders(db: sessionmaker[Session]) -> Ladders:
    """The stored rules, priorities in PRIORITIES order, each level with every key filled."""
    with db() as session:
        return _stored(session)


def check_escalation_rules(ladders: Mapping[str, Sequence[Mapping[str, Any]]]) -> Ladders:
    """The rules as the plant file's schema accepts them (levels sorted by phase and minutes, defaults filled),
    or EscalationRulesError naming each problem as "priority, level N: key: message"."""
    problems, checked = [], {}
    for priority, levels in ladders.items():
        if priority not in PRIORITIES:
            problems.append(f"{priority!r} is not a priority (use {', '.join(PRIORITIES)})")
            continue
        good = []
        for number, level in enumerate(levels, start=1):
            try:
                good.append(EscalationLevel.model_validate(dict(level)))
            except ValidationError as exc:
                problems.extend(f"{priority}, level {number}: {_problem(error)}" for error in exc.errors())
        if good and len(good) == len(levels):
            good.sort(key=lambda level: (level.after != "raised", level.after_minutes))
            try:
                rule = Escalation(priority=priority, levels=good)
            except ValidationError as exc:
                problems.extend(f"{priority}: {_problem(error)}" for error in exc.errors())
                continue
            checked[priority] = [level.model_dump() for level in rule.levels]
    if problems:
        raise EscalationRulesError(problems)
    return {priority: checked[priority] for priority in PRIORITIES if priority in checked}


def save_escalation_rules(db: sessionmaker[Session], ladders: Mapping[str, Sequence[Mapping[str, Any]]],
                          actor: Actor, now: datetime | None = None) -> bool:
    """Replace every priority's levels with `ladders` (a priority not given loses its rule); False when that
    changes nothing. Levels of the new rules that open calls already passed are marked skipped, never sent
    late (core.andon_escalation). Raises EscalationRulesError, storing nothing, when any level is refused."""
    after = check_escalation_rules(ladders)
    now = now or utc_now()
    with db.begin() as session:
        before = _stored(session)
        if before == after:
            return False
        rows = {row.priority: row for row in session.scalars(select(EscalationRuleRow))}
        for priority, levels in after.items():
            row = rows.get(priority) or EscalationRuleRow(priority=priority)
            row.levels, row.active = json.dumps(levels), True
            session.add(row)
        for priority, row in rows.items():
            if priority not in after:
                row.active = False
        session.flush()
        skipped = skip_passed_levels(session, now)
        audit.record(session, actor.username, "plant.escalation_changed", "escalation rules",
                     detail={"before": _masked(before), "after": _masked(after), "levels_skipped": skipped},
                     address=actor.address, now=now)
    return True


def _masked(ladders: Ladders) -> Ladders:
    # More people read the audit log (audit.view) than may see a webhook URL, whose path often holds a secret.
    return {priority: [{**level, "notify": [webhook_label(name) if is_webhook_target(name) else name
                                            for name in level["notify"]]} for level in levels]
            for priority, levels in ladders.items()}


def _stored(session: Session) -> Ladders:
    rows = {row.priority: row for row in session.scalars(select(EscalationRuleRow).where(EscalationRuleRow.active))}
    return {priority: [EscalationLevel.model_validate(level).model_dump()
                       for level in json.loads(rows[priority].levels)]
            for priority in PRIORITIES if priority in rows}


def _problem(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("literal_error", "float_parsing", "float_type"):
        message += f", got {error['input']!r}"
    return f"{key}: {message}" if key else message
