"""The rules of a maintenance work order, as pure functions: which move its state allows, and what completing
it needs (time spent, every task ticked, a sensible parts cost)."""

from __future__ import annotations

import math

KINDS = ("corrective", "preventive")
STATES = ("open", "in_progress", "done")
# action -> the states it may be taken from, and the state it leads to
TRANSITIONS = {"start": (("open",), "in_progress"), "complete": (("in_progress",), "done")}
ASSIGNABLE = ("open", "in_progress")  # an order can be handed to someone else until it is done
TICKABLE = ("open", "in_progress")
MAX_TITLE = 200
MAX_TEXT = 4_000
MAX_MINUTES = 14 * 24 * 60  # two weeks of work on one order: more is a typing mistake
MAX_COST = 10_000_000


class MaintenanceError(ValueError):
    """A work order that cannot be made or moved as asked; the message says why, in the workshop's words."""


class OrderNotFound(MaintenanceError):
    pass


class OrderStateError(MaintenanceError):
    """The order's state does not allow the move (completing an order nobody started)."""


def next_state(current: str, action: str) -> str:
    """The state after `action`, or OrderStateError for a move the lifecycle does not allow."""
    if action not in TRANSITIONS:
        raise MaintenanceError(f"unknown action {action!r}; actions are {', '.join(TRANSITIONS)}")
    allowed_from, to = TRANSITIONS[action]
    if current not in allowed_from:
        if action == "complete" and current == "open":
            raise OrderStateError("start the work order before completing it")
        raise OrderStateError(f"a work order that is {current.replace('_', ' ')} cannot be "
                              f"{'started' if action == 'start' else 'completed'}")
    return to


def check_assignable(current: str) -> None:
    if current not in ASSIGNABLE:
        raise OrderStateError("a work order that is done cannot be reassigned")


def check_tickable(current: str) -> None:
    if current not in TICKABLE:
        raise OrderStateError("the tasks of a work order that is done cannot be changed")


def completion(minutes_spent, parts_used: str | None, parts_cost, open_tasks: list[str]) -> tuple[int, str, float]:
    """(minutes, parts text, parts cost) to store when an order is completed, or MaintenanceError saying what is
    missing: the time spent (whole minutes, more than 0), every task ticked, a parts cost of 0 or more."""
    minutes = _whole_number(minutes_spent, "time spent")
    if minutes is None or minutes <= 0:
        raise MaintenanceError("say how long the work took: time spent in minutes, more than 0")
    if minutes > MAX_MINUTES:
        raise MaintenanceError(f"time spent of {minutes} minutes is more than two weeks; check the number")
    if open_tasks:
        listed = "; ".join(open_tasks[:3]) + ("; ..." if len(open_tasks) > 3 else "")
        raise MaintenanceError(f"{len(open_tasks)} task{'s' if len(open_tasks) > 1 else ''} not ticked yet: {listed}")
    parts = (parts_used or "").strip()
    if len(parts) > MAX_TEXT:
        raise MaintenanceError(f"parts used is longer than {MAX_TEXT} characters")
    cost = _amount(parts_cost)
    if cost > 0 and not parts:
        raise MaintenanceError("say which parts were used when they cost something")
    return minutes, parts, cost


def _whole_number(value, name: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise MaintenanceError(f"{name} must be a number") from None
    if not math.isfinite(number) or number != int(number):
        raise MaintenanceError(f"{name} must be a whole number of minutes")
    return int(number)


def _amount(value) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise MaintenanceError("parts cost must be a number") from None
    if not math.isfinite(amount) or amount < 0:
        raise MaintenanceError("parts cost must be 0 or more")
    if amount > MAX_COST:
        raise MaintenanceError(f"parts cost of {amount:,.2f} is not believable; check the number")
    return round(amount, 2)


def checked_text(value: str | None, name: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise MaintenanceError(f"the {name} is required")
    if len(text) > limit:
        raise MaintenanceError(f"the {name} is longer than {limit} characters")
    return text
