"""The answers a tablet sends, checked before they are graded: a missing or malformed answer is refused
with what to do (a forgotten field must not count as a failed item and raise an andon call)."""

from __future__ import annotations

import math
from typing import Any, Mapping

from core.checklists.rules import MAX_TEXT, ChecklistItem, is_answered


class AnswerError(ValueError):
    """Answers that cannot be graded; the message names the items, in the floor's words."""


def _number(item: ChecklistItem, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise AnswerError(f"'{item.text}' needs a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AnswerError(f"'{item.text}' needs a number, not {value!r}") from None
    if not math.isfinite(number):
        raise AnswerError(f"'{item.text}' needs a number")
    return number


def _one(item: ChecklistItem, value: Any, signed: bool) -> Any:
    if item.kind == "checkbox":
        if value is not None and not isinstance(value, bool):
            raise AnswerError(f"'{item.text}' needs OK or not OK")
        return value
    if item.kind == "number":
        return _number(item, value)
    if item.kind == "signature":
        return signed
    if value is None:
        return None
    if not isinstance(value, str):
        raise AnswerError(f"'{item.text}' needs {'a choice' if item.kind == 'choice' else 'text'}")
    value = value.strip()
    if item.kind == "choice" and value and value not in item.choices:
        raise AnswerError(f"'{item.text}': {value!r} is not one of {', '.join(item.choices)}")
    if len(value) > MAX_TEXT:
        raise AnswerError(f"'{item.text}' is longer than {MAX_TEXT} characters")
    return value or None


def checked_answers(items: tuple[ChecklistItem, ...], answers: Mapping[str, Any], signed: bool) -> dict[str, Any]:
    """The answers by item code, as stored: checkbox true (ticked) or false (not OK), number, text or choice (None when left
    empty), signature true when signed; AnswerError when a required item is left empty."""
    if not isinstance(answers, Mapping):
        raise AnswerError("answers must be given per item")
    checked = {item.code: _one(item, answers.get(item.code), signed) for item in items}
    missing = [item.text for item in items if item.required and not is_answered(item, checked[item.code])]
    if missing:
        raise AnswerError(f"Answer every item first: {', '.join(missing)}")
    return checked
