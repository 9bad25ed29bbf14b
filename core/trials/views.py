"""Trials as the pages read them: one trial, or the list, newest plan first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import LineRow
from core.persistence.trial_tables import TrialRow
from core.trials.lifecycle import TrialError


@dataclass(frozen=True)
class TrialView:
    id: int
    title: str
    line_code: str
    parameters: dict[str, str]
    expected_outcome: str
    state: str
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    results: str | None
    learnings: str | None
    success: bool | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


def list_trials(db: sessionmaker[Session], line_code: str | None = None, limit: int = 500) -> list[TrialView]:
    """Trials, latest planned start first (optionally of one line)."""
    query = (select(TrialRow, LineRow.code).join(LineRow, LineRow.id == TrialRow.line_id)
             .order_by(TrialRow.planned_start.desc(), TrialRow.id.desc()).limit(limit))
    if line_code is not None:
        query = query.where(LineRow.code == line_code)
    with db() as session:
        return [view_of(row, code) for row, code in session.execute(query)]


def get_trial(db: sessionmaker[Session], trial_id: int) -> TrialView:
    """One trial, or TrialError when there is none with that id."""
    with db() as session:
        return trial_in(session, trial_id)


def trial_in(session: Session, trial_id: int) -> TrialView:
    found = session.execute(select(TrialRow, LineRow.code).join(LineRow, LineRow.id == TrialRow.line_id)
                            .where(TrialRow.id == trial_id)).first()
    if found is None:
        raise TrialError(f"there is no trial {trial_id}")
    return view_of(*found)


def view_of(row: TrialRow, line_code: str) -> TrialView:
    return TrialView(row.id, row.title, line_code, json.loads(row.parameters), row.expected_outcome, row.state,
                     row.planned_start, row.planned_end, row.actual_start, row.actual_end, row.results,
                     row.learnings, row.success, row.created_at, row.created_by, row.updated_at, row.updated_by)
