"""Giving a stop its reason (operator, on the tablet), changing it or splitting a stop in two (shift manager).

Each is one transaction: the stop's state changes are updated under a
condition (an operator cannot overwrite a reason somebody gave a moment
before), a `StopEdit` row tells the OEE roll-ups to recompute from the stop's
start, and the audit log keeps who, when, before and after. A reason's
category sets the stop's state, so a stop explained as "Break" counts as a
planned stop.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.oee.rollups import MAX_RECOMPUTE
from core.persistence.stop_tables import StopEdit
from core.persistence.timeline_tables import StateChange
from core.persistence.plant_tables import EquipmentRow, ReasonRow
from core.stop_queue import CATEGORY_STATE, QUEUED_STATES, STOP_STATES, Stop, stop_at

MANUAL_SOURCE = "manual"


class StopReasonError(ValueError):
    """A reason that cannot be given as asked; the message says why, in the floor's words."""


def give_reason(db: sessionmaker[Session], stop_id: int, reason_code: str, actor: Actor, now: datetime) -> Stop:
    """The operator's answer to a queued stop; refused when the stop already has a reason."""
    with db.begin() as session:
        stop = _editable_stop(session, stop_id, now)
        if stop.reason_code is not None:
            raise StopReasonError(f"this stop already has the reason {stop.reason_code}; a shift manager can "
                                  f"change it")
        threshold = session.get(EquipmentRow, stop.equipment_id).micro_stop_threshold_s
        if stop.state not in QUEUED_STATES or not stop.outlasts(threshold, now):
            raise StopReasonError("this stop does not wait for a reason on the tablet (a changeover, a planned "
                                  "stop or a small stop); a shift manager can still give it one")
        state = _state_for(session, reason_code)
        _set_reason(session, stop.row_ids, None, reason_code, state)
        _record(session, stop, "reason", actor, now, {"state": stop.state, "reason": None},
                {"state": state, "reason": reason_code})
    return _reload(db, stop_id)


def change_reason(db: sessionmaker[Session], stop_id: int, reason_code: str, actor: Actor, now: datetime) -> Stop:
    """A manager replaces a stop's reason (and so its state), whatever it was."""
    with db.begin() as session:
        stop = _editable_stop(session, stop_id, now)
        state = _state_for(session, reason_code)
        _set_reason(session, stop.row_ids, stop.reason_code, reason_code, state)
        _record(session, stop, "change", actor, now, {"state": stop.state, "reason": stop.reason_code},
                {"state": state, "reason": reason_code})
    return _reload(db, stop_id)


def split_stop(db: sessionmaker[Session], stop_id: int, at: datetime, first_reason: str, second_reason: str,
               actor: Actor, now: datetime) -> tuple[Stop, Stop]:
    """Split a stop at `at` into two stops with their own reasons (a breakdown that ran into the break)."""
    with db.begin() as session:
        stop = _editable_stop(session, stop_id, now)
        end = stop.end or now
        if not stop.start < at < end:
            raise StopReasonError(f"the split must fall inside the stop, between {stop.start:%H:%M:%S} and "
                                  f"{end:%H:%M:%S} UTC")
        first_state, second_state = _state_for(session, first_reason), _state_for(session, second_reason)
        rows = session.scalars(select(StateChange).where(StateChange.id.in_(stop.row_ids))).all()
        before = [r.id for r in rows if r.at < at]
        after = [r.id for r in rows if r.at >= at]
        _set_reason(session, tuple(before), stop.reason_code, first_reason, first_state)
        if after:
            _set_reason(session, tuple(after), stop.reason_code, second_reason, second_state)
        second = StateChange(equipment_id=stop.equipment_id, at=at, at_epoch=at.timestamp(), state=second_state,
                             reason_code=second_reason, fault_code=None, source=MANUAL_SOURCE)
        session.add(second)
        session.flush()
        _record(session, stop, "split", actor, now, {"state": stop.state, "reason": stop.reason_code},
                {"at": at.isoformat(), "first": {"state": first_state, "reason": first_reason},
                 "second": {"state": second_state, "reason": second_reason}})
        second_id = second.id
    return _reload(db, stop_id), _reload(db, second_id)


def _editable_stop(session: Session, stop_id: int, now: datetime) -> Stop:
    stop = stop_at(session, stop_id)
    if stop is None or stop.state not in STOP_STATES:
        raise StopReasonError("no such stop: it may have been split or changed meanwhile; reload the list")
    if now - stop.start > MAX_RECOMPUTE:
        raise StopReasonError(f"stops older than {MAX_RECOMPUTE.days} days are closed for changes")
    return stop


def _state_for(session: Session, reason_code: str) -> str:
    reason = session.scalars(select(ReasonRow).where(ReasonRow.code == reason_code,
                                                     ReasonRow.active.is_(True))).first()
    if reason is None:
        raise StopReasonError(f"no reason with code {reason_code!r}")
    return CATEGORY_STATE[reason.category]


def _set_reason(session: Session, row_ids: tuple[int, ...], expected: str | None, reason_code: str,
                state: str) -> None:
    """Update the rows only if their reason is still `expected`: two people answering at once, one wins."""
    same = StateChange.reason_code.is_(None) if expected is None else StateChange.reason_code == expected
    done = session.execute(update(StateChange).where(StateChange.id.in_(row_ids), same)
                           .values(reason_code=reason_code, state=state)
                           .execution_options(synchronize_session=False)).rowcount
    if done != len(row_ids):
        raise StopReasonError("somebody changed this stop a moment ago; reload the list and look again")


def _record(session: Session, stop: Stop, action: str, actor: Actor, now: datetime, before: dict,
            after: dict) -> None:
    detail = {"before": before, "after": after}
    session.add(StopEdit(equipment_id=stop.equipment_id, at=stop.start, action=action, edited_by=actor.username,
                         edited_at=now, detail=json.dumps(detail, sort_keys=True)))
    audit.record(session, actor.username, f"stop.{action}", f"stop:{stop.id} {stop.equipment_code} "
                 f"{stop.start:%Y-%m-%d %H:%M:%S} UTC", detail=detail, address=actor.address, now=now)


def _reload(db: sessionmaker[Session], stop_id: int) -> Stop:
    with db() as session:
        stop = stop_at(session, stop_id)
    if stop is None:
        raise StopReasonError("the stop changed meanwhile; reload the list")
    return stop
