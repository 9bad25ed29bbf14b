"""Corrective work orders in one tap: from a stop or from an andon call.

What the order would be made for is shown first (`stop_source`, `call_source`, no side effect); the tap
(`create_from_stop`, `create_from_call`) makes it. A second tap on the same stop or call gives back the order
still open for it instead of a duplicate, and the database refuses a second open order for one stop or call
however many tablets tap at once (maintenance_orders.open_for is unique; a call raised during a stop is keyed by
that stop, so taps on the stop and on the call race for the same key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.persistence.andon_tables import AndonCall
from core.persistence.maintenance_tables import MaintenanceOrderRow
from core.persistence.plant_tables import EquipmentRow, FaultRow, LineRow, ReasonRow
from core.persistence.timeline_tables import StateChange
from core.maintenance.order_rules import MaintenanceError
from core.stop_queue import STOP_STATES, Stop, stop_at


@dataclass(frozen=True)
class OrderSource:
    """A stop or an andon call, as the page shows it before a corrective order is made from it."""

    kind: str  # stop | andon
    ref_id: int  # the stop's first state change id, or the call id
    equipment_id: int
    equipment_code: str
    equipment_name: str
    line_code: str
    start: datetime  # the stop's start, or when the call was raised
    end: datetime | None  # the stop's end, or when the call was resolved (None: still going)
    state: str | None  # the stop's state, or the call's status
    reason: str | None  # reason name (or code)
    fault: str | None  # "F12 Motor overload"
    note: str  # the call's note
    stop_id: int | None  # the stop the order will be linked to (a call: the stop in force when it was raised)
    stop_start: datetime | None
    call_id: int | None
    open_order_id: int | None  # an order already open for it: a tap shows that one instead

    @property
    def title(self) -> str:
        what = self.fault or self.reason or ("andon call" if self.kind == "andon" else self.state or "stop")
        return f"Repair {self.equipment_code}: {what}"[:200]


@dataclass(frozen=True)
class CreatedOrder:
    order_id: int
    created: bool  # False: an order was already open for it, and this is that one


def stop_source(db: sessionmaker[Session], stop_id: int) -> OrderSource:
    with db() as session:
        stop = _stop(session, stop_id)
        line_code = _line_code(session, stop.equipment_id)
        return OrderSource("stop", stop.id, stop.equipment_id, stop.equipment_code, stop.equipment_name, line_code,
                           stop.start, stop.end, stop.state, _reason(session, stop.reason_code),
                           _fault(session, stop.fault_code), "", stop.id, stop.start, None,
                           _open_order(session, stop_id=stop.id))


def call_source(db: sessionmaker[Session], call_id: int) -> OrderSource:
    with db() as session:
        call = session.get(AndonCall, call_id)
        if call is None:
            raise MaintenanceError(f"No andon call {call_id}")
        machine = session.get(EquipmentRow, call.equipment_id)
        stop = _stop_in_force(session, call.equipment_id, call.raised_at)
        open_order = _open_order(session, call_id=call.id) or (_open_order(session, stop_id=stop.id) if stop else None)
        return OrderSource("andon", call.id, machine.id, machine.code, machine.name,
                           _line_code(session, machine.id), call.raised_at, call.resolved_at, call.status,
                           _reason(session, call.reason_code or (stop.reason_code if stop else None)),
                           _fault(session, call.fault_code or (stop.fault_code if stop else None)), call.note,
                           stop.id if stop else None, stop.start if stop else None, call.id, open_order)


def create_from_stop(db: sessionmaker[Session], stop_id: int, actor: Actor, now: datetime) -> CreatedOrder:
    """Open a corrective order for the stop, or give back the one still open for it."""
    source = stop_source(db, stop_id)  # a later row of the stop names the same stop: its first row's id
    return _create(db, source, f"stop:{source.ref_id}", actor, now)


def create_from_call(db: sessionmaker[Session], call_id: int, actor: Actor, now: datetime) -> CreatedOrder:
    """Open a corrective order for the andon call (linked to the stop in force when it was raised, if any), or
    give back the one still open for the call or that stop. A call raised during a stop is keyed by the stop, so
    a tap on the call and one on the stop at the same moment still open one order for that breakdown."""
    source = call_source(db, call_id)
    return _create(db, source, f"stop:{source.stop_id}" if source.stop_id is not None else f"andon:{call_id}",
                   actor, now)


def _create(db: sessionmaker[Session], source: OrderSource, open_for: str, actor: Actor,
            now: datetime) -> CreatedOrder:
    if source.open_order_id is not None:
        return CreatedOrder(source.open_order_id, False)
    try:
        with db.begin() as session:
            order = MaintenanceOrderRow(
                kind="corrective", equipment_id=source.equipment_id, title=source.title,
                description=_description(source), stop_id=source.stop_id, stop_start=source.stop_start,
                andon_call_id=source.call_id, state="open", created_at=now, created_by=actor.username,
                open_for=open_for)
            session.add(order)
            session.flush()
            audit.record(session, actor.username, "maintenance.created", f"maintenance_order:{order.id}",
                         detail={"kind": "corrective", "equipment": source.equipment_code, "from": open_for,
                                 "stop": source.stop_id, "andon_call": source.call_id, "title": order.title},
                         address=actor.address, now=now)
            return CreatedOrder(order.id, True)
    except IntegrityError:  # another tap made it a moment ago
        with db() as session:
            existing = session.scalar(select(MaintenanceOrderRow.id).where(MaintenanceOrderRow.open_for == open_for))
        if existing is None:
            raise
        return CreatedOrder(existing, False)


def _description(source: OrderSource) -> str:
    parts = [f"Made from {'stop' if source.kind == 'stop' else 'andon call'} {source.ref_id}."]
    if source.fault:
        parts.append(f"Fault: {source.fault}.")
    if source.reason:
        parts.append(f"Reason: {source.reason}.")
    if source.note:
        parts.append(f"Note: {source.note}")
    return " ".join(parts)


def _stop(session: Session, stop_id: int) -> Stop:
    stop = stop_at(session, stop_id)
    if stop is None:
        raise MaintenanceError(f"No stop {stop_id}: the machine was not stopped there, or the stop was edited")
    return stop


def _stop_in_force(session: Session, equipment_id: int, at: datetime) -> Stop | None:
    row = session.scalar(select(StateChange).where(StateChange.equipment_id == equipment_id, StateChange.at <= at)
                         .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(1))
    return stop_at(session, row.id) if row is not None and row.state in STOP_STATES else None


def _open_order(session: Session, stop_id: int | None = None, call_id: int | None = None) -> int | None:
    query = select(MaintenanceOrderRow.id).where(MaintenanceOrderRow.state != "done")
    query = query.where(MaintenanceOrderRow.stop_id == stop_id) if stop_id is not None else \
        query.where(MaintenanceOrderRow.andon_call_id == call_id)
    return session.scalar(query.order_by(MaintenanceOrderRow.id).limit(1))


def _line_code(session: Session, equipment_id: int) -> str:
    return session.scalar(select(LineRow.code).join(EquipmentRow, EquipmentRow.line_id == LineRow.id)
                          .where(EquipmentRow.id == equipment_id)) or ""


def _reason(session: Session, code: str | None) -> str | None:
    if code is None:
        return None
    return session.scalar(select(ReasonRow.name).where(ReasonRow.code == code)) or code


def _fault(session: Session, code: str | None) -> str | None:
    if code is None:
        return None
    text = session.scalar(select(FaultRow.text).where(FaultRow.code == code))
    return f"{code} {text}" if text else code
