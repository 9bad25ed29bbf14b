"""Who may plan and run trials: roles holding trials.manage. Checked here, whatever page or client asks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.accounts import Actor
from core.job_workflow.access import role_of
from core.permissions import role_has
from core.trials.lifecycle import TrialError

MANAGE = "trials.manage"


class TrialPermissionError(TrialError):
    """The person asking may not change trials."""


def require_trial_manager(session: Session, actor: Actor, what: str) -> None:
    if not role_has(role_of(session, actor.username), MANAGE):
        raise TrialPermissionError(f"only a production manager, engineer or quality engineer may {what}")
