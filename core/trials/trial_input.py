"""What a person types about a trial, checked: a pure rule, refused with the reason in the planner's words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from core.trials.lifecycle import TrialError

MAX_TITLE = 120
MAX_TEXT = 4000
MAX_PARAMETERS = 50


@dataclass(frozen=True)
class TrialPlan:
    """A trial's plan, checked: times aware, parameters in the order given."""

    title: str
    line_code: str
    parameters: dict[str, str]
    expected_outcome: str
    planned_start: datetime
    planned_end: datetime

    def parameters_json(self) -> str:
        return json.dumps(self.parameters)


def trial_plan(title: str | None, line_code: str | None, parameters: str | None, expected_outcome: str | None,
               planned_start: datetime | None, planned_end: datetime | None) -> TrialPlan:
    """The plan, or TrialError naming the first thing that is wrong."""
    title, expected_outcome = (title or "").strip(), (expected_outcome or "").strip()
    if not title:
        raise TrialError("give the trial a title")
    if len(title) > MAX_TITLE:
        raise TrialError(f"the title is longer than {MAX_TITLE} characters")
    if not line_code:
        raise TrialError("choose the line the trial runs on")
    if not expected_outcome:
        raise TrialError("say what outcome you expect")
    if len(expected_outcome) > MAX_TEXT:
        raise TrialError(f"the expected outcome is longer than {MAX_TEXT} characters")
    if planned_start is None or planned_end is None:
        raise TrialError("give the planned start and end")
    if planned_start.tzinfo is None or planned_end.tzinfo is None:
        raise TrialError("the planned times need a timezone")
    if planned_end <= planned_start:
        raise TrialError("the planned end must be after the planned start")
    return TrialPlan(title, line_code, parse_parameters(parameters), expected_outcome, planned_start, planned_end)


def parse_parameters(text: str | None) -> dict[str, str]:
    """`name = value`, one a line (blank lines skipped) -> {name: value} in the order given."""
    found: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise TrialError(f"parameter line {number} {line.strip()[:40]!r}: write it as name = value")
        if name in found:
            raise TrialError(f"the parameter {name!r} is given twice")
        if len(name) > 80 or len(value) > 200:
            raise TrialError(f"the parameter {name[:40]!r} is too long (name 80, value 200 characters)")
        found[name] = value
    if len(found) > MAX_PARAMETERS:
        raise TrialError(f"at most {MAX_PARAMETERS} parameters")
    return found


def parameters_text(parameters: dict[str, str]) -> str:
    """The parameters as the form shows them: `name = value`, one a line."""
    return "\n".join(f"{name} = {value}" for name, value in parameters.items())


def checked_text(value: str | None, what: str) -> str | None:
    """Free text (results, learnings) trimmed, None when empty, refused when too long."""
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise TrialError(f"the {what} are longer than {MAX_TEXT} characters")
    return value or None


def local_moment(text: str | None, zone: ZoneInfo | None) -> datetime | None:
    """A local wall-clock time as a form gives it ("2026-03-02T06:00", ISO) -> aware UTC; None when empty.

    A text with its own offset keeps it; one without is read in the site's timezone (UTC without a site)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TrialError(f"{text[:40]!r} is not a date and time; give one like 2026-03-02 06:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or timezone.utc)
    return moment.astimezone(timezone.utc)
