"""Plan a trial on a line, and change its plan while it is not finished. Every change is audited."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.persistence.plant_tables import LineRow
from core.persistence.trial_tables import TrialRow
from core.trials.access import require_trial_manager
from core.trials.lifecycle import LABELS, TERMINAL, TrialError, TrialStateError
from core.trials.trial_input import TrialPlan
from core.trials.views import TrialView, trial_in


def create_trial(db: sessionmaker[Session], plan: TrialPlan, actor: Actor, now: datetime) -> TrialView:
    """A new planned trial; refused (nothing stored) when the line is unknown or the person may not plan."""
    with db.begin() as session:
        require_trial_manager(session, actor, "plan trials")
        row = TrialRow(title=plan.title, line_id=_line_id(session, plan.line_code),
                       parameters=plan.parameters_json(), expected_outcome=plan.expected_outcome, state="planned",
                       planned_start=plan.planned_start, planned_end=plan.planned_end, created_at=now,
                       created_by=actor.username, updated_at=now, updated_by=actor.username)
        session.add(row)
        session.flush()
        audit.record(session, actor.username, "trial.created", f"trial:{row.id}",
                     detail={"title": plan.title, "line": plan.line_code, "parameters": plan.parameters,
                             "expected": plan.expected_outcome, "planned_start": plan.planned_start,
                             "planned_end": plan.planned_end}, address=actor.address, now=now)
        return trial_in(session, row.id)


def edit_trial(db: sessionmaker[Session], trial_id: int, plan: TrialPlan, actor: Actor, now: datetime) -> TrialView:
    """Change a planned or running trial's plan (a running one keeps its line); finished trials stay as they are."""
    with db.begin() as session:
        require_trial_manager(session, actor, "change trials")
        row = locked_trial(session, trial_id)
        if row.state in TERMINAL:
            raise TrialStateError(f"a trial that is {LABELS[row.state]} cannot be changed; it is finished")
        line_id = _line_id(session, plan.line_code)
        if row.state == "in_progress" and line_id != row.line_id:
            raise TrialStateError("a trial in progress stays on its line; cancel it and plan a new one")
        before = _plan_of(row)
        row.title, row.line_id, row.parameters = plan.title, line_id, plan.parameters_json()
        row.expected_outcome, row.planned_start, row.planned_end = (plan.expected_outcome, plan.planned_start,
                                                                    plan.planned_end)
        after = _plan_of(row)
        changed = {key: {"from": value, "to": after[key]} for key, value in before.items() if after[key] != value}
        if not changed:
            return trial_in(session, trial_id)
        row.updated_at, row.updated_by = now, actor.username
        audit.record(session, actor.username, "trial.edited", f"trial:{trial_id}", detail=changed,
                     address=actor.address, now=now)
        return trial_in(session, trial_id)


def locked_trial(session: Session, trial_id: int) -> TrialRow:
    row = session.scalars(select(TrialRow).where(TrialRow.id == trial_id).with_for_update()).first()
    if row is None:
        raise TrialError(f"there is no trial {trial_id}")
    return row


def _line_id(session: Session, line_code: str) -> int:
    line_id = session.scalar(select(LineRow.id).where(LineRow.code == line_code, LineRow.active))
    if line_id is None:
        raise TrialError(f"no active line {line_code!r}")
    return line_id


def _plan_of(row: TrialRow) -> dict:
    return {"title": row.title, "line_id": row.line_id, "parameters": json.loads(row.parameters),
            "expected": row.expected_outcome, "planned_start": row.planned_start, "planned_end": row.planned_end}
