"""The rules of a pre-start checklist, as pure functions of data and `now`:

- whether one answer passes its item (`answer_passes`, `failure_reason`),
- what a whole set of answers gives (`grade`: passed unless a critical item failed),
- whether a checklist is due before the next job on a machine (`checklist_required`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Mapping

ITEM_KINDS = ("checkbox", "number", "text", "choice", "signature")
REQUIRED_WHEN = ("every_job", "first_job_of_shift", "operator_change")
MAX_TEXT = 500
# A first_job_of_shift checklist passed at most this long before a shift starts counts for that shift: the
# crew checks the machine while the shift before hands over (or before the first shift of the day).
BEFORE_SHIFT = timedelta(minutes=30)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str
    kind: str = "checkbox"
    critical: bool = False
    required: bool = True
    min: float | None = None  # number items: the lowest value that passes
    max: float | None = None
    choices: tuple[str, ...] = ()
    pass_values: tuple[str, ...] = ()  # choice items: the choices that pass; none listed: every choice passes
    andon: str = "help"  # the andon call's type when this item fails and is critical

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ChecklistItem":
        """An item as the plant file (and the stored template) writes it."""
        return cls(code=data["code"], text=data["text"], kind=data.get("kind", "checkbox"),
                   critical=bool(data.get("critical", False)), required=bool(data.get("required", True)),
                   min=data.get("min"), max=data.get("max"), choices=tuple(data.get("choices", ())),
                   pass_values=tuple(data.get("pass", ())), andon=data.get("andon", "help"))


@dataclass(frozen=True)
class FailedItem:
    code: str
    text: str
    critical: bool
    andon: str
    reason: str  # what was wrong, in the floor's words

    def as_json(self) -> dict:
        return {"code": self.code, "text": self.text, "critical": self.critical, "andon": self.andon,
                "reason": self.reason}


@dataclass(frozen=True)
class Grade:
    passed: bool
    failed: tuple[FailedItem, ...] = field(default_factory=tuple)

    @property
    def critical_failures(self) -> tuple[FailedItem, ...]:
        return tuple(item for item in self.failed if item.critical)


def is_answered(item: ChecklistItem, answer: Any) -> bool:
    """A checkbox is answered ticked (True) or not OK (False); other kinds need a value."""
    if item.kind == "checkbox":
        return isinstance(answer, bool)
    if item.kind == "text":
        return isinstance(answer, str) and bool(answer.strip())
    return answer is not None and answer is not False and answer != ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def failure_reason(item: ChecklistItem, answer: Any) -> str | None:
    """Why `answer` does not pass `item`, or None when it passes."""
    if item.kind == "checkbox":
        return None if answer is True or (answer is None and not item.required) else "not ticked"
    if item.kind == "number":
        if not _is_number(answer):
            return "no value" if answer is None else f"{answer!r} is not a number"
        if item.min is not None and answer < item.min:
            return f"{answer:g} is below the minimum {item.min:g}"
        if item.max is not None and answer > item.max:
            return f"{answer:g} is above the maximum {item.max:g}"
        return None
    if item.kind == "choice":
        if answer not in item.choices:
            return "no choice made" if answer in (None, "") else f"{answer!r} is not one of the choices"
        if item.pass_values and answer not in item.pass_values:
            return f"answered {answer!r}"
        return None
    if item.kind == "text":
        return "left empty" if item.required and not is_answered(item, answer) else None
    if item.kind == "signature":
        return "not signed" if item.required and answer is not True else None
    return f"unknown kind {item.kind!r}"


def answer_passes(item: ChecklistItem, answer: Any) -> bool:
    """Checkbox ticked; number within min..max; choice in the pass list; text non-empty when required;
    signature given when required."""
    return failure_reason(item, answer) is None


def grade(items: tuple[ChecklistItem, ...] | list[ChecklistItem], answers: Mapping[str, Any]) -> Grade:
    """Every failed item with its reason; the checklist passes unless a critical item failed."""
    failed = tuple(FailedItem(item.code, item.text, item.critical, item.andon, reason)
                   for item in items if (reason := failure_reason(item, answers.get(item.code))) is not None)
    return Grade(passed=not any(f.critical for f in failed), failed=failed)


@dataclass(frozen=True)
class ShiftKey:
    """The shift a moment belongs to: the local day it started and its name (None outside every shift,
    where the local calendar day stands in for the shift)."""

    day: date
    name: str | None


@dataclass(frozen=True)
class LastCompletion:
    at: datetime
    operator: str
    shift: ShiftKey
    passed: bool


@dataclass(frozen=True)
class JobStart:
    """The latest job start on a machine: when, and by whom (given by the jobs workflow)."""

    at: datetime
    operator: str


def checklist_required(required: str, operator: str, shift: ShiftKey, last_completion: LastCompletion | None,
                       last_job_start: JobStart | None, shift_start: datetime | None = None) -> bool:
    """Whether the checklist must be completed (again) before `operator` starts the next job on the machine.

    `shift_start` is when the current shift began (None outside every shift). The latest completion always
    counts: a failed one leaves the checklist due until one passes.
    - every_job: due unless the latest completion passed after the last job start;
    - first_job_of_shift: due unless the latest completion passed in the current shift or at most
      BEFORE_SHIFT before it began;
    - operator_change: due unless the latest completion passed, was made by this operator, and no other
      operator started a job after it.
    """
    if required not in REQUIRED_WHEN:
        raise ValueError(f"unknown required setting {required!r}; use one of {', '.join(REQUIRED_WHEN)}")
    if last_completion is None or not last_completion.passed:
        return True
    if required == "every_job":
        return last_job_start is not None and last_job_start.at >= last_completion.at
    if required == "first_job_of_shift":
        just_before = shift_start is not None and last_completion.at >= shift_start - BEFORE_SHIFT
        return last_completion.shift != shift and not just_before
    if last_completion.operator != operator:
        return True
    return (last_job_start is not None and last_job_start.at >= last_completion.at
            and last_job_start.operator != operator)
