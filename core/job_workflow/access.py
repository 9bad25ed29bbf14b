"""Who may move a job: the operator it is assigned to (permission jobs.operate), or a shift or production
manager (jobs.assign). Checked here, on the server, whatever page or client asks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts import Actor, normalise_username
from core.job_workflow.lifecycle import JobError
from core.permissions import role_has
from core.persistence.account_tables import User

OPERATE, ASSIGN = "jobs.operate", "jobs.assign"


class JobPermissionError(JobError):
    """The person asking may not do this to this job."""


def role_of(session: Session, username: str) -> str | None:
    return session.scalar(select(User.role).where(User.username == normalise_username(username), User.active))


def is_manager(session: Session, actor: Actor) -> bool:
    return role_has(role_of(session, actor.username), ASSIGN)


def require_manager(session: Session, actor: Actor, what: str) -> None:
    if not is_manager(session, actor):
        raise JobPermissionError(f"only a shift or production manager may {what}")


def require_operator_or_manager(session: Session, actor: Actor, operator: str, what: str) -> None:
    """The job's own operator (holding jobs.operate) or a manager; anyone else is refused."""
    role = role_of(session, actor.username)
    if role_has(role, ASSIGN):
        return
    if role_has(role, OPERATE) and normalise_username(actor.username) == operator:
        return
    raise JobPermissionError(f"only {operator}, who the job is assigned to, or a shift or production manager "
                             f"may {what} this job")
