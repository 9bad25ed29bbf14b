"""The trial lifecycle as a pure rule: planned -> in_progress -> completed, or cancelled from planned or in progress.

Starting stamps the actual start (now, or an earlier moment given by the person); completing needs the results
and whether the trial succeeded, and stamps the actual end; cancelling an in-progress trial stamps the actual end
too, so its window is closed. Completed and cancelled are terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATES = ("planned", "in_progress", "completed", "cancelled")
OPEN_STATES = ("planned", "in_progress")
TERMINAL = ("completed", "cancelled")
# action -> the states it may be taken from, and the state it leads to
TRANSITIONS = {
    "start": (("planned",), "in_progress"),
    "complete": (("in_progress",), "completed"),
    "cancel": (OPEN_STATES, "cancelled"),
}
PAST = {"start": "started", "complete": "completed", "cancel": "cancelled"}
LABELS = {"planned": "planned", "in_progress": "in progress", "completed": "completed", "cancelled": "cancelled"}


class TrialError(ValueError):
    """A trial that cannot be created, changed or moved as asked; the message says why."""


class TrialStateError(TrialError):
    """The trial's state does not allow the move (completing a trial nobody started)."""


@dataclass(frozen=True)
class Move:
    """What a move changes: the new state and the actual start and end after it."""

    state: str
    actual_start: datetime | None
    actual_end: datetime | None


def next_state(current: str, action: str) -> str:
    """The state after `action`, or TrialStateError saying why the lifecycle does not allow it."""
    if action not in TRANSITIONS:
        raise TrialError(f"unknown action {action!r}; actions are {', '.join(TRANSITIONS)}")
    if current not in STATES:
        raise TrialError(f"unknown state {current!r}")
    allowed_from, to = TRANSITIONS[action]
    if current in allowed_from:
        return to
    refusal = f"a trial that is {LABELS[current]} cannot be {PAST[action]}"
    if current in TERMINAL:
        raise TrialStateError(f"{refusal}; it is finished")
    if action == "complete":  # only planned is left here
        raise TrialStateError(f"{refusal}; start it first")
    raise TrialStateError(f"{refusal} again; it is already {LABELS[current]}")


def start(current: str, now: datetime, at: datetime | None = None) -> Move:
    """Start a planned trial at `at` (a moment already past, or now when not given)."""
    state = next_state(current, "start")
    moment = _checked_moment(at, now, "start")
    return Move(state, moment, None)


def complete(current: str, actual_start: datetime | None, results: str | None, success: bool | None,
             now: datetime, at: datetime | None = None) -> Move:
    """Complete an in-progress trial at `at` (or now): the results and the success flag are required."""
    state = next_state(current, "complete")
    if not (results or "").strip():
        raise TrialError("write the results before completing the trial")
    if not isinstance(success, bool):
        raise TrialError("say whether the trial succeeded before completing it")
    moment = _checked_moment(at, now, "end")
    if actual_start is not None and moment <= actual_start:
        raise TrialError("the trial cannot end before it started")
    return Move(state, actual_start, moment)


def cancel(current: str, actual_start: datetime | None, now: datetime) -> Move:
    """Cancel a planned or in-progress trial; a started one ends now (its window stops here)."""
    state = next_state(current, "cancel")
    return Move(state, actual_start, now if actual_start is not None else None)


def _checked_moment(at: datetime | None, now: datetime, what: str) -> datetime:
    if at is None:
        return now
    if at.tzinfo is None:
        raise TrialError(f"the {what} time needs a timezone")
    if at > now:
        raise TrialError(f"the {what} time is in the future; give a moment already past, or none for now")
    return at
