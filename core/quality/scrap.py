"""Scrap entries: units of a machine thrown away, with their defect code, and how they reach the reject count.

The rule (core.quality.reject_counting decides it, the entry keeps the decision in `counted_by`):
- the machine counts its own rejects -> the entry classifies units already counted as rejects, and writes no
  count (counted_by "machine");
- it does not -> the entry moves its units from good to reject at its time: a count increment of good = -q,
  reject = +q, source "scrap" (counted_by "scrap"). Voiding the entry deletes that increment and asks the
  roll-ups to recompute from the entry's time (a rollup_requests row); a new increment is found by its id.

An entry may scrap at most the units the machine made in the SCRAP_LOOKBACK up to its time: the good units
for a move (good never goes below zero), all units for a classification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.andon_calls import MAX_NOTE
from core.persistence.plant_tables import EquipmentRow, LineRow
from core.persistence.quality_tables import DefectCodeRow, ScrapEntryRow
from core.persistence.rollup_tables import RollupRequest
from core.persistence.timeline_tables import CountIncrement
from core.quality.machine_context import QualityError, active_machine, job_at
from core.quality.reject_counting import SCRAP, SCRAP_SOURCE, reject_counting
from core.sync.plc_precedence import taken_from_plcs

SCRAP_LOOKBACK = timedelta(hours=24)
OLDEST_ENTRY = timedelta(days=31)  # the roll-ups recompute at most 62 days back
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class ScrapResult:
    id: int
    equipment_code: str
    quantity: int
    defect_code: str
    counted_by: str  # machine | scrap
    explanation: str  # why the entry classified or moved the units, in the floor's words


def _quantity(quantity) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or quantity != int(quantity):
        raise QualityError("the quantity must be a whole number of units")
    if not 0 < quantity <= MAX_QUANTITY:
        raise QualityError("the quantity must be at least 1 unit")
    return int(quantity)


def _units_made(session: Session, equipment_id: int, at: datetime) -> tuple[int, int]:
    good, reject = session.execute(select(func.coalesce(func.sum(CountIncrement.good), 0),
                                          func.coalesce(func.sum(CountIncrement.reject), 0))
                                   .where(CountIncrement.equipment_id == equipment_id,
                                          CountIncrement.at >= at - SCRAP_LOOKBACK, CountIncrement.at <= at)).one()
    return int(good), int(reject)


def _check_moment(at: datetime, now: datetime) -> None:
    if at.tzinfo is None:
        raise QualityError("the scrap time needs a time zone")
    if at > now:
        raise QualityError("scrap cannot be recorded for a time that has not come yet")
    if at < now - OLDEST_ENTRY:
        raise QualityError(f"scrap can be recorded for the last {OLDEST_ENTRY.days} days only")


def record_scrap(db: sessionmaker[Session], equipment_code: str, defect_code: str, quantity, actor: Actor,
                 now: datetime, at: datetime | None = None, note: str = "") -> ScrapResult:
    """Store a scrap entry at `at` (now when not given), moving its units to reject where the machine counts
    no rejects of its own; audited; bad input stores nothing."""
    at = at or now
    quantity, note = _quantity(quantity), (note or "").strip()
    _check_moment(at, now)
    if len(note) > MAX_NOTE:
        raise QualityError(f"the note is longer than {MAX_NOTE} characters")
    taken = taken_from_plcs(db).counts
    with db.begin() as session:
        machine = active_machine(session, equipment_code)
        defect = session.scalars(select(DefectCodeRow).where(DefectCodeRow.code == (defect_code or ""),
                                                             DefectCodeRow.active)).first()
        if defect is None:
            raise QualityError(f"no defect code {defect_code!r}: choose one from the list")
        counting = reject_counting(session, machine, at, taken)
        good, reject = _units_made(session, machine.id, at)
        limit = good if counting.counted_by == SCRAP else good + reject
        if quantity > limit:
            what = "good units" if counting.counted_by == SCRAP else "units"
            hours = int(SCRAP_LOOKBACK.total_seconds() // 3600)
            raise QualityError(f"{machine.code} made {max(limit, 0)} {what} in the {hours} hours up to then: "
                               f"scrap at most that many")
        increment_id = _move_units(session, machine.id, at, quantity) if counting.counted_by == SCRAP else None
        entry = ScrapEntryRow(equipment_id=machine.id, job_id=job_at(session, machine.id, at), defect_code=defect.code,
                              quantity=quantity, at=at, recorded_at=now, recorded_by=actor.username, note=note,
                              counted_by=counting.counted_by, count_increment_id=increment_id)
        session.add(entry)
        session.flush()
        audit.record(session, actor.username, "quality.scrap_recorded", f"scrap:{entry.id}",
                     detail={"equipment": machine.code, "defect": defect.code, "quantity": quantity,
                             "at": at.isoformat(), "counted_by": counting.counted_by, "note": note},
                     address=actor.address, now=now)
        return ScrapResult(entry.id, machine.code, quantity, defect.code, counting.counted_by,
                           counting.explanation(machine.code))


def _move_units(session: Session, equipment_id: int, at: datetime, quantity: int) -> int:
    move = CountIncrement(equipment_id=equipment_id, at=at, at_epoch=int(at.timestamp() // 1), good=-quantity,
                          reject=quantity, source=SCRAP_SOURCE)
    session.add(move)
    session.flush()
    return move.id


def void_scrap(db: sessionmaker[Session], entry_id: int, actor: Actor, now: datetime) -> None:
    """Take back a scrap entry (recorded by mistake, or to correct it with a new one): its move of units is
    deleted and the roll-ups recompute from its time; the entry stays, marked void, for the record."""
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
                             "counted_by": entry.counted_by}, address=actor.address, now=now)


@dataclass(frozen=True)
class ScrapView:
    id: int
    at: datetime
    equipment_code: str
    line_code: str
    quantity: int
    defect_code: str
    counted_by: str
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
        return [ScrapView(row.id, row.at, code, line, row.quantity, row.defect_code, row.counted_by, row.recorded_by,
                          row.note, row.job_id) for row, code, line in session.execute(query)]
