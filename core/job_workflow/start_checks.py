"""What start_job asks before a job starts (its `start_blockers`): the pre-start checklists still due at the
machine, counted from the machine's previous job start."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.checklists.completions import pending_checklists
from core.job_workflow.job_starts import last_job_start
from core.job_workflow.views import JobView


def checklists_before_start(session: Session, job: JobView, now: datetime) -> list[str]:
    """start_blockers for core.job_workflow.operator_jobs.start_job: one message per pre-start checklist of the
    job's machine still due for the job's operator; none lets the job start."""
    return pending_checklists(session, job.equipment_id, job.operator, now,
                              last_job_start=last_job_start(session, job.equipment_id, now))
