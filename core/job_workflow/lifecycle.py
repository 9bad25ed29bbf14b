"""The job lifecycle as a pure rule: assigned -> accepted -> in_progress -> completed, or cancelled on the way.

`next_status(current, action)` gives the status an action leads to, or
refuses the move with what to do instead, in the floor's words. Completed
and cancelled are terminal: nothing moves a job out of them.
"""

from __future__ import annotations

STATUSES = ("assigned", "accepted", "in_progress", "completed", "cancelled")
OPEN_STATUSES = ("assigned", "accepted", "in_progress")
TERMINAL = ("completed", "cancelled")
# action -> the statuses it may be taken from, and the status it leads to
TRANSITIONS = {
    "accept": (("assigned",), "accepted"),
    "start": (("accepted",), "in_progress"),
    "complete": (("in_progress",), "completed"),
    "cancel": (OPEN_STATUSES, "cancelled"),
}
PAST = {"accept": "accepted", "start": "started", "complete": "completed", "cancel": "cancelled"}
# what has to happen first, for a move taken too early
STEPS_BEFORE = {"start": ("accept",), "complete": ("accept", "start")}
LABELS = {"assigned": "assigned", "accepted": "accepted", "in_progress": "in progress", "completed": "completed",
          "cancelled": "cancelled"}


class JobError(ValueError):
    """A job that cannot be created or moved as asked; the message says why, in the floor's words."""


class JobStateError(JobError):
    """The job's status does not allow the move (completing a job nobody started)."""


def next_status(current: str, action: str) -> str:
    """The status after `action`, or JobStateError saying why the lifecycle does not allow it."""
    if action not in TRANSITIONS:
        raise JobError(f"unknown action {action!r}; actions are {', '.join(TRANSITIONS)}")
    if current not in STATUSES:
        raise JobError(f"unknown status {current!r}")
    allowed_from, to = TRANSITIONS[action]
    if current in allowed_from:
        return to
    refusal = f"a job that is {LABELS[current]} cannot be {PAST[action]}"
    if current in TERMINAL:
        raise JobStateError(f"{refusal}; it is finished")
    missing = [step for step in STEPS_BEFORE.get(action, ())
               if STATUSES.index(TRANSITIONS[step][1]) > STATUSES.index(current)]
    if missing:
        raise JobStateError(f"{refusal}; {' and '.join(missing)} it first")
    raise JobStateError(f"{refusal} again; it is already {LABELS[current]}"
                        if STATUSES.index(current) >= STATUSES.index(to) else refusal)
