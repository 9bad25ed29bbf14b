"""Scrap entries: units of a machine thrown away, with their defect code, and how they reach the reject count.

An entry is booked where its machine counted the parts and, in that period, first classifies the rejects the
machine counted itself, then moves the rest from good to reject (the rule: core.quality.reject_counting). The
move is one count increment of good = -q, reject = +q, source "scrap"; taking the entry back deletes it, frees the
entry's classification and asks the roll-ups to recompute from the entry's time (a rollup_requests row); a new
increment is found by its id. The check and the insert run with the machine's row locked: two entries recorded
at once are booked one after the other, so neither can drive a period's good below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.andon_calls import MAX_NOTE
from core.persistence.deadlocks import retried_on_deadlock
from core.persistence.plant_tables import EquipmentRow, LineRow
from core.persistence.quality_tables import DefectCodeRow, ScrapEntryRow
from core.persistence.rollup_tables import RollupRequest
from core.persistence.timeline_tables import CountIncrement
from core.plant.equipment import site_calendar_in
from core.quality.machine_context import QualityError, job_at, locked_machine
from core.quality.reject_counting import (
    SCRAP_SOURCE, Booking, Period, booking_moment, booking_period, period_units, split_scrap,
)
from core.quality.scrap_moments import moment_text, period_text

OLDEST_ENTRY = timedelta(days=31)  # the roll-ups recompute at most 62 days back
MAX_QUANTITY = 1_000_000
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class ScrapResult:
    id: int
    equipment_code: str
    quantity: int
    defect_code: str
    at: datetime  # where it was booked: when the machine counted the parts
    classified: int  # rejects the machine had counted itself
    moved: int  # units moved from good to reject
    explanation: str  # "12 classified (already counted by BAG1), 38 moved from good to reject; booked ..."


def _quantity(quantity) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or quantity != int(quantity):
        raise QualityError("the quantity must be a whole number of units")
    if not 0 < quantity <= MAX_QUANTITY:
        raise QualityError("the quantity must be at least 1 unit")
    return int(quantity)


def _check_moment(made_by: datetime, now: datetime) -> None:
    if made_by.tzinfo is None:
        raise QualityError("the scrap time needs a time zone")
    if made_by > now:
        raise QualityError("scrap cannot be recorded for parts made in the future")
    if made_by < now - OLDEST_ENTRY:
        raise QualityError(f"scrap can be recorded for the last {OLDEST_ENTRY.days} days only")


def _defect(session: Session, defect_code: str | None) -> DefectCodeRow:
    defect = session.scalars(select(DefectCodeRow).where(DefectCodeRow.code == (defect_code or ""),
                                                         DefectCodeRow.active)).first()
    if defect is None:
        raise QualityError(f"no defect code {defect_code!r}: choose one from the list")
    return defect


@retried_on_deadlock
def record_scrap(db: sessionmaker[Session], equipment_code: str, defect_code: str, quantity, actor: Actor,
                 now: datetime, made_by: datetime | None = None, note: str = "") -> ScrapResult:
    """Store a scrap entry of parts made by `made_by` (now when not given), booked where the machine counted
    them; audited; bad input, or more units than the period holds, stores nothing."""
    made_by = made_by or now
    quantity, note = _quantity(quantity), (note or "").strip()
    _check_moment(made_by, now)
    if len(note) > MAX_NOTE:
        raise QualityError(f"the note is longer than {MAX_NOTE} characters")
    with db.begin() as session:
        machine = locked_machine(session, equipment_code)  # first: the check and the insert are one step
        defect = _defect(session, defect_code)
        calendar = site_calendar_in(session)
        zone = calendar.zone if calendar else UTC
        at = booking_moment(session, machine.id, made_by, now - OLDEST_ENTRY)
        if at is None:
            raise QualityError(f"{machine.code} has counted no good units before {moment_text(made_by, now, zone)} "
                               "to scrap")
        period = booking_period(calendar.shifts if calendar else (), zone, at)
        booking = _booking(session, machine.code, machine.id, quantity, period, zone)
        entry = ScrapEntryRow(equipment_id=machine.id, job_id=job_at(session, machine.id, at), defect_code=defect.code,
                              quantity=quantity, at=at, recorded_at=now, recorded_by=actor.username, note=note,
                              classified=booking.classified, moved=booking.moved,
                              count_increment_id=_move_units(session, machine.id, at, booking.moved))
        session.add(entry)
        session.flush()
        audit.record(session, actor.username, "quality.scrap_recorded", f"scrap:{entry.id}",
                     detail={"equipment": machine.code, "defect": defect.code, "quantity": quantity,
                             "made_by": made_by.isoformat(), "at": at.isoformat(), "classified": booking.classified,
                             "moved": booking.moved, "note": note}, address=actor.address, now=now)
        explanation = (f"{booking.explanation(machine.code)}; booked at {moment_text(at, now, zone)} "
                       f"({period_text(period, zone)}), when {machine.code} counted them")
        return ScrapResult(entry.id, machine.code, quantity, defect.code, at, booking.classified, booking.moved,
                           explanation)


def _booking(session: Session, machine: str, equipment_id: int, quantity: int, period: Period,
             zone: ZoneInfo) -> Booking:
    units = period_units(session, equipment_id, period)
    if quantity > units.most:
        already = units.moved + units.classified
        raise QualityError(f"{machine} can scrap at most {units.most} units made in {period_text(period, zone)}: "
                           f"it counted {units.good} good and {units.machine_rejects} rejects there, {already} of "
                           "them already on scrap entries")
    return split_scrap(quantity, units)


def _move_units(session: Session, equipment_id: int, at: datetime, quantity: int) -> int | None:
    if not quantity:
        return None
    move = CountIncrement(equipment_id=equipment_id, at=at, at_epoch=int(at.timestamp() // 1), good=-quantity,
                          reject=quantity, source=SCRAP_SOURCE)
    session.add(move)
    session.flush()
    return move.id


def void_scrap(db: sessionmaker[Session], entry_id: int, actor: Actor, now: datetime) -> None:
    """Take back a scrap entry (recorded by mistake, or to correct it with a new one): its move of units is
    deleted, its classification freed, and the roll-ups recompute from its time; the entry stays, marked void."""
    with db.begin() as session:
        entry = session.get(ScrapEntryRow, entry_id)
        if entry is None:
            raise QualityError(f"no scrap entry {entry_id}")
        # one conditional UPDATE: of two people taking the same entry back at once, one succeeds
        taken = session.execute(update(ScrapEntryRow).where(ScrapEntryRow.id == entry_id,
                                                            ScrapEntryRow.voided_at.is_(None))
                                .values(voided_at=now, voided_by=actor.username)).rowcount
        if taken != 1:
            session.refresh(entry)
            raise QualityError(f"scrap entry {entry_id} was already taken back by {entry.voided_by}")
        if entry.count_increment_id is not None:
            session.execute(delete(CountIncrement).where(CountIncrement.id == entry.count_increment_id))
            session.add(RollupRequest(at=entry.at, made_by="quality:scrap"))
        audit.record(session, actor.username, "quality.scrap_voided", f"scrap:{entry_id}",
                     detail={"quantity": entry.quantity, "defect": entry.defect_code, "at": entry.at.isoformat(),
                             "classified": entry.classified, "moved": entry.moved}, address=actor.address, now=now)


@dataclass(frozen=True)
class ScrapView:
    id: int
    at: datetime
    equipment_code: str
    line_code: str
    quantity: int
    defect_code: str
    classified: int
    moved: int
    recorded_by: str
    note: str
    job_id: int | None


def recent_scrap(db: sessionmaker[Session], since: datetime, until: datetime | None = None,
                 limit: int | None = 500) -> list[ScrapView]:
    """Scrap entries (not voided) at or after `since` (and before `until`), newest first."""
    query = (select(ScrapEntryRow, EquipmentRow.code, LineRow.code)
             .join(EquipmentRow, EquipmentRow.id == ScrapEntryRow.equipment_id)
             .join(LineRow, LineRow.id == EquipmentRow.line_id)
             .where(ScrapEntryRow.at >= since, ScrapEntryRow.voided_at.is_(None))
             .order_by(ScrapEntryRow.at.desc(), ScrapEntryRow.id.desc()))
    if until is not None:
        query = query.where(ScrapEntryRow.at < until)
    if limit is not None:
        query = query.limit(limit)
    with db() as session:
        return [ScrapView(row.id, row.at, code, line, row.quantity, row.defect_code, row.classified, row.moved,
                          row.recorded_by, row.note, row.job_id) for row, code, line in session.execute(query)]
