"""Andon calls: a request for help at a machine, raised from a tablet, by a PLC fault, a failed checklist item
or a device through the API; acknowledged, then resolved with a note. Every step is audited.

The lifecycle is a pure rule (`next_status`); the use cases around it read
and write the database in one transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.persistence.andon_tables import AndonCall
from core.persistence.plant_tables import EquipmentRow, LineRow

PLC_RAISER = "plc"
KINDS = ("maintenance", "quality", "material", "safety", "help")
PRIORITIES = ("low", "medium", "high", "critical")
STATUSES = ("open", "acknowledged", "resolved")
# The priority a call raised from the tablet gets from its type (one tap: nobody picks a priority on the floor)
KIND_PRIORITY = {"safety": "critical", "maintenance": "high", "quality": "medium", "material": "medium",
                 "help": "low"}
# action -> the statuses it may be taken from, and the status it leads to
TRANSITIONS = {"acknowledge": (("open",), "acknowledged"), "resolve": (("open", "acknowledged"), "resolved")}
MAX_NOTE = 2_000


class AndonError(ValueError):
    """A call that cannot be raised or moved as asked; the message says why, in the floor's words."""


class AndonNotFound(AndonError):
    pass


class AndonStateError(AndonError):
    """The call's status does not allow the move (resolving a resolved call)."""


def next_status(current: str, action: str) -> str:
    """The status after `action`, or AndonError for a move the lifecycle does not allow."""
    if action not in TRANSITIONS:
        raise AndonError(f"unknown action {action!r}; actions are {', '.join(TRANSITIONS)}")
    allowed_from, to = TRANSITIONS[action]
    if current not in allowed_from:
        raise AndonStateError(f"a call that is {current} cannot be {to}")
    return to


@dataclass(frozen=True)
class AndonView:
    id: int
    equipment_code: str
    equipment_name: str
    line_code: str
    kind: str
    priority: str
    status: str
    source: str
    raised_at: datetime
    raised_by: str
    note: str
    fault_code: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None

    def as_json(self) -> dict:
        def when(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {"id": self.id, "equipment": self.equipment_code, "line": self.line_code, "type": self.kind,
                "priority": self.priority, "status": self.status, "source": self.source,
                "raised_at": when(self.raised_at), "raised_by": self.raised_by, "note": self.note,
                "fault": self.fault_code, "acknowledged_at": when(self.acknowledged_at),
                "acknowledged_by": self.acknowledged_by, "resolved_at": when(self.resolved_at),
                "resolved_by": self.resolved_by, "resolution": self.resolution}


def raise_andon_call(session: Session, equipment_id: int, priority: str, at: datetime, source: str,
                     raised_by: str, kind: str = "maintenance", fault_code: str | None = None,
                     reason_code: str | None = None, note: str = "") -> AndonCall:
    """Open a call for help at a machine, in the caller's transaction, and audit it.

    A machine has at most one unresolved call per fault: raising the same fault
    again while its call is still open returns that call.
    """
    if fault_code is not None:
        open_call = session.scalars(select(AndonCall).where(
            AndonCall.equipment_id == equipment_id, AndonCall.fault_code == fault_code,
            AndonCall.status != "resolved")).first()
        if open_call is not None:
            return open_call
    call = AndonCall(equipment_id=equipment_id, raised_at=at, priority=priority, kind=kind, source=source,
                     raised_by=raised_by, fault_code=fault_code, reason_code=reason_code, note=note, status="open")
    session.add(call)
    session.flush()
    audit.record(session, raised_by, "andon.raised", f"andon:{call.id}",
                 detail={"equipment_id": equipment_id, "type": kind, "priority": priority, "source": source,
                         "fault": fault_code, "note": note})
    return call


def call_for_help(db: sessionmaker[Session], equipment_code: str, kind: str, priority: str, note: str,
                  actor: Actor, source: str, now: datetime) -> AndonView:
    """A person (tablet) or a device (API) raises a call; bad input is refused with what to send instead."""
    if kind not in KINDS:
        raise AndonError(f"type must be one of {', '.join(KINDS)}")
    if priority not in PRIORITIES:
        raise AndonError(f"priority must be one of {', '.join(PRIORITIES)}")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise AndonError(f"the note is longer than {MAX_NOTE} characters")
    with db.begin() as session:
        machine = session.scalars(select(EquipmentRow).where(EquipmentRow.code == equipment_code,
                                                             EquipmentRow.active)).first()
        if machine is None:
            raise AndonError(f"no active machine {equipment_code!r}")
        call = raise_andon_call(session, machine.id, priority, now, source, actor.username, kind=kind, note=note)
        call_id = call.id
    return find_call(db, call_id)


def acknowledge_call(db: sessionmaker[Session], call_id: int, actor: Actor, now: datetime) -> AndonView:
    with db.begin() as session:
        _move(session, call_id, "acknowledge", {"acknowledged_at": now, "acknowledged_by": actor.username})
        audit.record(session, actor.username, "andon.acknowledged", f"andon:{call_id}",
                     detail={"before": "open", "after": "acknowledged"}, address=actor.address)
    return find_call(db, call_id)


def resolve_call(db: sessionmaker[Session], call_id: int, resolution: str, actor: Actor, now: datetime) -> AndonView:
    resolution = (resolution or "").strip()
    if not resolution:
        raise AndonError("say how the call was resolved: a resolution note is required")
    if len(resolution) > MAX_NOTE:
        raise AndonError(f"the resolution note is longer than {MAX_NOTE} characters")
    with db.begin() as session:
        before = _move(session, call_id, "resolve",
                       {"resolved_at": now, "resolved_by": actor.username, "resolution": resolution})
        audit.record(session, actor.username, "andon.resolved", f"andon:{call_id}",
                     detail={"before": before, "after": "resolved", "resolution": resolution},
                     address=actor.address)
    return find_call(db, call_id)


def _move(session: Session, call_id: int, action: str, values: dict) -> str:
    """Apply `action` only if the call is still in a status that allows it (one conditional UPDATE, so two
    managers acting at once cannot both succeed, on any database); returns the status it moved from."""
    allowed_from, to = TRANSITIONS[action]
    current = session.scalar(select(AndonCall.status).where(AndonCall.id == call_id))
    if current is None:
        raise AndonNotFound(f"no andon call {call_id}")
    moved = session.execute(update(AndonCall).where(AndonCall.id == call_id, AndonCall.status == current,
                                                    AndonCall.status.in_(allowed_from))
                            .values(status=to, **values))
    if moved.rowcount != 1:
        latest = session.scalar(select(AndonCall.status).where(AndonCall.id == call_id))
        next_status(latest, action)  # raises: someone else moved it first
        raise AndonStateError(f"the call changed meanwhile (now {latest}); try again")
    return current


def find_call(db: sessionmaker[Session], call_id: int) -> AndonView:
    found = list_calls(db, ids=[call_id])
    if not found:
        raise AndonNotFound(f"no andon call {call_id}")
    return found[0]


def list_calls(db: sessionmaker[Session], status: str | None = None, ids: list[int] | None = None, limit: int | None = 500, unresolved: bool = False,
               line_code: str | None = None, since: datetime | None = None) -> list[AndonView]:
    """Calls, newest first: of one status, or every unresolved one (no limit applies to those), of one line,
    raised since a moment; each with its machine's code, name and line."""
    if status is not None and status not in STATUSES:
        raise AndonError(f"status must be one of {', '.join(STATUSES)}")
    query = (select(AndonCall, EquipmentRow, LineRow).join(EquipmentRow, EquipmentRow.id == AndonCall.equipment_id)
             .join(LineRow, LineRow.id == EquipmentRow.line_id).order_by(AndonCall.raised_at.desc()))
    if status is not None:
        query = query.where(AndonCall.status == status)
    if unresolved:
        query = query.where(AndonCall.status != "resolved")
    elif limit is not None:
        query = query.limit(limit)
    if ids is not None:
        query = query.where(AndonCall.id.in_(ids))
    if line_code is not None:
        query = query.where(LineRow.code == line_code)
    if since is not None:
        query = query.where(AndonCall.raised_at >= since)
    with db() as session:
        return [AndonView(c.id, e.code, e.name, line.code, c.kind, c.priority, c.status, c.source, c.raised_at,
                          c.raised_by, c.note, c.fault_code, c.acknowledged_at, c.acknowledged_by, c.resolved_at,
                          c.resolved_by, c.resolution) for c, e, line in session.execute(query)]
