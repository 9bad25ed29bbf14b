"""The machine's latest job start, as the pre-start checklist rules count from it (`every_job`,
`operator_change`). Apart from start_checks so the checklists can ask it without an import cycle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.checklists.rules import JobStart
from core.persistence.job_tables import JobRow


def last_job_start(session: Session, equipment_id: int, before: datetime) -> JobStart | None:
    """The machine's latest job start at or before `before`: when, and the operator of that job."""
    row = session.execute(select(JobRow.started_at, JobRow.operator)
                          .where(JobRow.equipment_id == equipment_id, JobRow.started_at.is_not(None),
                                 JobRow.started_at <= before)
                          .order_by(JobRow.started_at.desc(), JobRow.id.desc()).limit(1)).first()
    return JobStart(row.started_at, row.operator) if row else None
