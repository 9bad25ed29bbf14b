"""What start_job asks before a job starts (its `start_blockers`): the pre-start checklists still due at the
machine, counted from the machine's previous job start."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.checklists.completions import pending_checklists
from core.checklists.rules import JobStart
from core.job_workflow.views import JobView
from core.persistence.job_tables import JobRow


def last_job_start(session: Session, equipment_id: int, before: datetime) -> JobStart | None:
    """The machine's latest job start at or before `before`: when, and the operator of that job."""
    row = session.execute(select(JobRow.started_at, JobRow.operator)
                          .where(JobRow.equipment_id == equipment_id, JobRow.started_at.is_not(None),
                                 JobRow.started_at <= before)
                          .order_by(JobRow.started_at.desc(), JobRow.id.desc()).limit(1)).first()
    return JobStart(row.started_at, row.operator) if row else None


def checklists_before_start(session: Session, job: JobView, now: datetime) -> list[str]:
    """start_blockers for core.job_workflow.operator_jobs.start_job: one message per pre-start checklist of the
    job's machine still due for the job's operator; none lets the job start."""
    return pending_checklists(session, job.equipment_id, job.operator, now,
                              last_job_start=last_job_start(session, job.equipment_id, now))
