"""Ingesting machine events from the REST API: validated whole, stored atomically, replays ignored.

`ingest_events` takes the decoded JSON body. One bad event refuses the whole
batch (InvalidBatch lists every problem, event by event); an event id seen
before is skipped, so a device may safely resend after an outage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.clock import utc_now
from core.persistence.timeline_tables import IngestedEvent
from core.timeline import STATES, CountAt, StateAt, add_counts, add_state_changes

MAX_EVENTS_PER_BATCH = 10_000
MAX_COUNT = 1_000_000_000
MAX_CLOCK_AHEAD = timedelta(minutes=5)  # a device clock further ahead than this is wrong, not early
MAX_AGE = timedelta(days=3 * 366)  # older than this is a wrong clock too, not a late event
_FIELDS = {"state": {"id", "type", "equipment", "at", "state", "reason"},
           "count": {"id", "type", "equipment", "at", "good", "reject"}}


class InvalidBatch(ValueError):
    """The batch was refused; `problems` holds one entry per bad event."""

    def __init__(self, problems: list[dict[str, Any]]):
        super().__init__(f"{len(problems)} bad event(s)")
        self.problems = problems


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0


@dataclass(frozen=True)
class Known:
    """What events may name: machine code -> id, reason codes."""

    equipment: dict[str, int]
    reasons: set[str]


def parse_batch(body: Any, known: Known, now: datetime) -> list[tuple[str | None, StateAt | CountAt]]:
    """Check every event; return (id, event) pairs or raise InvalidBatch listing all problems."""
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise InvalidBatch([{"index": None, "errors": {"events": "the body must be {\"events\": [...]}"}}])
    events = body["events"]
    if len(events) > MAX_EVENTS_PER_BATCH:
        raise InvalidBatch([{"index": None, "errors": {"events": f"at most {MAX_EVENTS_PER_BATCH} events a batch"}}])
    parsed, problems = [], []
    for index, event in enumerate(events):
        errors: dict[str, str] = {}
        result = _parse_event(event, known, now, errors)
        if errors:
            event_id = event.get("id") if isinstance(event, dict) and isinstance(event.get("id"), str) else None
            problems.append({"index": index, "id": event_id, "errors": errors})
        else:
            parsed.append(result)
    if problems:
        raise InvalidBatch(problems)
    return parsed


def _parse_event(event: Any, known: Known, now: datetime, errors: dict[str, str]):
    if not isinstance(event, dict):
        errors["event"] = "must be an object"
        return None
    kind = event.get("type")
    if not isinstance(kind, str) or kind not in _FIELDS:
        errors["type"] = "must be 'state' or 'count'"
        return None
    for name in sorted(set(event) - _FIELDS[kind]):
        errors[name] = "unknown field"
    event_id = event.get("id")
    if event_id is not None and not (isinstance(event_id, str) and 0 < len(event_id) <= 128
                                     and event_id == event_id.strip()):
        errors["id"] = "must be a string of 1 to 128 characters, without spaces around it"
    equipment_id = _equipment(event, known, errors)
    at = _timestamp(event, now, errors)
    if kind == "state":
        state, reason = event.get("state"), event.get("reason")
        if not isinstance(state, str) or state not in STATES:
            errors["state"] = "missing" if state is None else f"unknown state {state!r}; states are {', '.join(STATES)}"
        if reason is not None and (not isinstance(reason, str) or reason not in known.reasons):
            errors["reason"] = f"unknown reason code {reason!r}"
        return None if errors else (event_id, StateAt(equipment_id, at, state, reason, "api"))
    good, reject = _count(event, "good", errors), _count(event, "reject", errors)
    return None if errors else (event_id, CountAt(equipment_id, at, good, reject, "api"))


def _equipment(event: dict, known: Known, errors: dict[str, str]) -> int | None:
    code = event.get("equipment")
    if code is None:
        errors["equipment"] = "missing"
    elif not isinstance(code, str) or code not in known.equipment:
        errors["equipment"] = f"unknown machine {code!r}"
    else:
        return known.equipment[code]
    return None


def _timestamp(event: dict, now: datetime, errors: dict[str, str]) -> datetime | None:
    raw = event.get("at")
    if raw is None:
        errors["at"] = "missing"
        return None
    try:
        at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        at = None
    if at is None:
        errors["at"] = f"not an ISO 8601 timestamp: {raw!r}"
    elif at.tzinfo is None:
        errors["at"] = "timestamp without an offset (add Z or +hh:mm)"
    elif at - now > MAX_CLOCK_AHEAD:
        errors["at"] = "timestamp is in the future: check the device clock"
    elif now - at > MAX_AGE:
        errors["at"] = "timestamp is more than three years old: check the device clock"
    else:
        return at
    return None


def _count(event: dict, name: str, errors: dict[str, str]) -> int:
    value = event.get(name)
    if value is None:
        errors[name] = "missing"
    elif isinstance(value, bool) or not isinstance(value, int):
        errors[name] = "must be a whole number"
    elif not 0 <= value <= MAX_COUNT:
        errors[name] = "must be between 0 and 1000000000"
    else:
        return value
    return 0


STORE_ATTEMPTS = 5


def ingest_events(db: sessionmaker[Session], body: Any, known: Known, sender: str = "api",
                  now: datetime | None = None) -> IngestResult:
    """Validate and store a batch in one transaction; events whose id `sender` sent before are skipped.

    Ids are kept per sender (API key), so two devices numbering their events
    alike never hide each other's events.
    """
    now = now or utc_now()
    parsed = parse_batch(body, known, now)
    for attempt in range(STORE_ATTEMPTS):
        try:
            return _store(db, parsed, sender, now)
        except IntegrityError:
            # Another request stored some of the same ids meanwhile; they are seen and skipped next time.
            if attempt == STORE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _store(db: sessionmaker[Session], parsed, sender: str, now: datetime) -> IngestResult:
    result = IngestResult()
    parsed = [(f"{sender}:{event_id}" if event_id is not None else None, event) for event_id, event in parsed]
    with db.begin() as session:
        ids = [event_id for event_id, _ in parsed if event_id is not None]
        seen = _already_stored(session, ids)
        states, counts, new_ids = [], [], []
        for event_id, event in parsed:
            if event_id is not None:
                if event_id in seen:
                    result.duplicates += 1
                    continue
                seen.add(event_id)
                new_ids.append(event_id)
            (states if isinstance(event, StateAt) else counts).append(event)
        if new_ids:
            session.execute(insert(IngestedEvent),
                            [{"event_id": i, "received_at": now, "api_key": sender} for i in new_ids])
        add_state_changes(session, states)
        add_counts(session, counts)
        result.stored = len(states) + len(counts)
    return result


def _already_stored(session: Session, ids: list[str]) -> set[str]:
    seen: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        seen.update(session.scalars(select(IngestedEvent.event_id).where(IngestedEvent.event_id.in_(chunk))))
    return seen
