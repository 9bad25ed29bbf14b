"""When scrapped parts were made, in the floor's words: the choices the scrap form offers ("latest production",
then the recent shifts or local days) and how a moment or a period reads in the site's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from core.plant.equipment import site_calendar
from core.quality.machine_context import QualityError
from core.quality.reject_counting import Period
from core.shift_calendar import ShiftDefinition, shift_instances

LATEST = "latest"  # the choice "latest production": made by now
CHOICES = 6  # shifts (or days) offered besides the latest production
EPSILON = timedelta(microseconds=1)


@dataclass(frozen=True)
class MadeByChoice:
    value: str  # LATEST, or the ISO moment the parts were made by (UTC)
    label: str


def moment_text(at: datetime, now: datetime, zone: ZoneInfo) -> str:
    """"06:05" today, "Mon 2 Mar 13:59" on another day (site time)."""
    local = at.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else local.strftime("%a %-d %b %H:%M")


def period_text(period: Period, zone: ZoneInfo) -> str:
    """"the Early shift of Mon 2 Mar", "Mon 2 Mar" (a whole local day) or "Mon 2 Mar 14:00–22:00"."""
    start, end = period.start.astimezone(zone), period.end.astimezone(zone)
    day = start.strftime("%a %-d %b")
    if period.name:
        return f"the {period.name} shift of {day}"
    if start.time() == time() and end.time() == time() and end.date() == start.date() + timedelta(days=1):
        return day
    return f"{day} {start:%H:%M}–{end:%H:%M}"


def made_by_choices(shifts: tuple[ShiftDefinition, ...], zone: ZoneInfo, now: datetime) -> list[MadeByChoice]:
    """"Latest production", then the last CHOICES shifts that began before now (or, without shifts, local days),
    newest first; a shift's or day's value is its last moment, so its own latest production is booked."""
    choices = [MadeByChoice(LATEST, "Latest production")]
    if shifts:
        began = [s for s in shift_instances(list(shifts), zone, now - timedelta(days=3), now) if s.start <= now]
        for s in reversed(began[-CHOICES:]):
            choices.append(MadeByChoice(min(s.end - EPSILON, now).isoformat(),
                                        f"{s.name} shift · {s.start.astimezone(zone):%a %-d %b}"))
        return choices
    today = now.astimezone(zone).date()
    for back in range(CHOICES):
        day = today - timedelta(days=back)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone) - EPSILON
        label = "Today" if back == 0 else "Yesterday" if back == 1 else f"{day:%a %-d %b}"
        choices.append(MadeByChoice(min(end, now).isoformat(), label))
    return choices


def site_made_by_choices(db: sessionmaker[Session], now: datetime) -> list[MadeByChoice]:
    """`made_by_choices` of the site's shift calendar (local days in UTC when no plant is loaded)."""
    calendar = site_calendar(db)
    return made_by_choices(calendar.shifts if calendar else (), calendar.zone if calendar else ZoneInfo("UTC"), now)


def made_by_moment(value: str | None, now: datetime) -> datetime:
    """The moment a choice stands for (now for "latest production")."""
    if not value or value == LATEST:
        return now
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise QualityError("when were the parts made? Choose from the list")
    return moment
