"""Run a trial: start it, complete it with its results, or cancel it. Each move is audited in its transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.trials import lifecycle
from core.trials.access import require_trial_manager
from core.trials.planning import locked_trial
from core.trials.trial_input import checked_text
from core.trials.views import TrialView, trial_in


def start_trial(db: sessionmaker[Session], trial_id: int, actor: Actor, now: datetime,
                at: datetime | None = None) -> TrialView:
    """Start a planned trial now, or at `at` when it began a while ago."""
    with db.begin() as session:
        require_trial_manager(session, actor, "start trials")
        row = locked_trial(session, trial_id)
        move = lifecycle.start(row.state, now, at)
        _apply(session, row, move, actor, now, "trial.started", {"at": move.actual_start})
        return trial_in(session, trial_id)


def complete_trial(db: sessionmaker[Session], trial_id: int, results: str | None, learnings: str | None,
                   success: bool | None, actor: Actor, now: datetime, at: datetime | None = None) -> TrialView:
    """Complete a trial in progress with its results (required), learnings and whether it succeeded (required)."""
    results, learnings = checked_text(results, "results"), checked_text(learnings, "learnings")
    with db.begin() as session:
        require_trial_manager(session, actor, "complete trials")
        row = locked_trial(session, trial_id)
        move = lifecycle.complete(row.state, row.actual_start, results, success, now, at)
        row.results, row.learnings, row.success = results, learnings, success
        _apply(session, row, move, actor, now, "trial.completed",
               {"at": move.actual_end, "success": success, "results": results, "learnings": learnings})
        return trial_in(session, trial_id)


def cancel_trial(db: sessionmaker[Session], trial_id: int, reason: str | None, actor: Actor,
                 now: datetime) -> TrialView:
    """Cancel a planned or running trial; the reason, when given, is kept as its learnings."""
    reason = checked_text(reason, "reasons")
    with db.begin() as session:
        require_trial_manager(session, actor, "cancel trials")
        row = locked_trial(session, trial_id)
        move = lifecycle.cancel(row.state, row.actual_start, now)
        if reason:
            row.learnings = reason
        _apply(session, row, move, actor, now, "trial.cancelled", {"reason": reason, "was": row.state})
        return trial_in(session, trial_id)


def _apply(session: Session, row, move: lifecycle.Move, actor: Actor, now: datetime, action: str,
           detail: dict) -> None:
    row.state, row.actual_start, row.actual_end = move.state, move.actual_start, move.actual_end
    row.updated_at, row.updated_by = now, actor.username
    audit.record(session, actor.username, action, f"trial:{row.id}", detail=detail, address=actor.address, now=now)

