"""Where a scrap entry is booked and how its units reach the reject count, without counting a part twice.

A scrap entry is about parts already made. It is booked at the moment its machine counted them: the latest
count increment of the machine with good > 0 (not itself a scrap move) at or before the entry's "made by"
moment. The entry belongs to the planned period holding that moment (`booking_period`): the shift, or outside
every shift (and with no shift calendar) the stretch of the local day between the shifts around it.

In that period the entry first CLASSIFIES rejects the machine itself counted (rejects from the PLC, API, sync
or simulator, not scrap moves) that no earlier entry classified; any surplus is MOVED from good to reject (one
count increment good = -q, reject = +q, source "scrap"). At most `PeriodUnits.most` units: the unclassified
rejects plus the good units counted in the period less the units scrap already moved out of it, so that no
period ends with negative good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.persistence.quality_tables import ScrapEntryRow
from core.persistence.timeline_tables import CountIncrement
from core.shift_calendar import ShiftDefinition, current_shift, shift_instances

SCRAP_SOURCE = "scrap"  # count_increments.source of the moves scrap entries make


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    name: str  # "Early", or "" outside every shift


def booking_period(shifts: tuple[ShiftDefinition, ...] | list[ShiftDefinition], zone: ZoneInfo,
                   at: datetime) -> Period:
    """The shift holding `at`; outside every shift, the part of `at`'s local day between the shifts around it."""
    shift = current_shift(list(shifts), zone, at) if shifts else None
    if shift is not None:
        return Period(shift.start, shift.end, shift.name)
    day = at.astimezone(zone).date()
    start = datetime.combine(day, time(), tzinfo=zone).astimezone(at.tzinfo)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(at.tzinfo)
    for other in shift_instances(list(shifts), zone, start, end):
        if other.end <= at:
            start = max(start, other.end)
        elif other.start > at:
            end = min(end, other.start)
    return Period(start, end, "")


@dataclass(frozen=True)
class PeriodUnits:
    good: int  # good units the machine counted in the period (increments with good > 0, not scrap moves)
    moved: int  # units scrap entries moved from good to reject in it
    machine_rejects: int  # rejects the machine counted itself in it (not scrap moves)
    classified: int  # of those, the ones entries not taken back already classified

    @property
    def unclassified(self) -> int:
        return max(self.machine_rejects - self.classified, 0)

    @property
    def movable(self) -> int:
        return max(self.good - self.moved, 0)

    @property
    def most(self) -> int:
        """The most units one more entry may scrap in the period."""
        return self.unclassified + self.movable


@dataclass(frozen=True)
class Booking:
    classified: int
    moved: int

    def explanation(self, machine: str) -> str:
        parts = [f"{self.classified} classified (already counted by {machine})"] if self.classified else []
        parts += [f"{self.moved} moved from good to reject"] if self.moved else []
        return ", ".join(parts)


def split_scrap(quantity: int, units: PeriodUnits) -> Booking:
    """Classify what the machine counted as rejects and nobody classified yet; move the rest (<= units.most)."""
    if quantity > units.most:
        raise ValueError(f"{quantity} units exceed the {units.most} the period allows")
    classified = min(quantity, units.unclassified)
    return Booking(classified, quantity - classified)


def booking_moment(session: Session, equipment_id: int, made_by: datetime, oldest: datetime) -> datetime | None:
    """When the machine last counted good units at or before `made_by` (not before `oldest`)."""
    return session.scalar(select(func.max(CountIncrement.at)).where(
        CountIncrement.equipment_id == equipment_id, CountIncrement.at <= made_by, CountIncrement.at >= oldest,
        CountIncrement.good > 0, CountIncrement.source != SCRAP_SOURCE))


def period_units(session: Session, equipment_id: int, period: Period) -> PeriodUnits:
    counted = (CountIncrement.equipment_id == equipment_id, CountIncrement.at >= period.start,
               CountIncrement.at < period.end)
    machine = CountIncrement.source != SCRAP_SOURCE
    good = session.scalar(select(func.coalesce(func.sum(CountIncrement.good), 0))
                          .where(*counted, machine, CountIncrement.good > 0))
    rejects = session.scalar(select(func.coalesce(func.sum(CountIncrement.reject), 0))
                             .where(*counted, machine, CountIncrement.reject > 0))
    moved = session.scalar(select(func.coalesce(func.sum(CountIncrement.reject), 0))
                           .where(*counted, CountIncrement.source == SCRAP_SOURCE))
    classified = session.scalar(select(func.coalesce(func.sum(ScrapEntryRow.classified), 0)).where(
        ScrapEntryRow.equipment_id == equipment_id, ScrapEntryRow.at >= period.start, ScrapEntryRow.at < period.end,
        ScrapEntryRow.voided_at.is_(None)))
    return PeriodUnits(int(good), int(moved), int(rejects), int(classified))
