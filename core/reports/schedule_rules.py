"""When a report schedule is due, what its report covers, and who gets it: pure functions of data and `now`.

Cron is read by cronsim (standard five fields, 0 or 7 = Sunday, in the site's timezone): a slot in the hour
skipped when clocks go forward runs when the clock jumps (02:30 -> 03:00), a slot in the hour repeated when
they go back runs once, as Debian's cron does. APScheduler 3's CronTrigger.from_crontab was not used: it
reads weekday 0 as Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

from core.recipients import who_is
from core.reports.windows import ReportRequest, ReportRequestError
from core.shift_calendar import ShiftDefinition, shift_instances

# A schedule that never ran makes its latest slot only when that slot is this recent, so loading a plant file
# does not send last week's report; afterwards, however long the jobs process was down, the latest missed
# slot is made, once.
FIRST_RUN_LOOKBACK = timedelta(days=1)
SHIFT_LOOKBACK = timedelta(days=8)
CRON_FIELDS = "minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7 with 0 and 7 Sunday"  # a shift report covers the last shift that ended within a week or so


def check_cron(cron: str) -> None:
    """ValueError naming the problem when `cron` is not a five-field cron expression cronsim accepts."""
    if len(cron.split()) != 5:
        raise ValueError(f"cron must have five fields (minute hour day month weekday), got {cron!r}")
    try:
        CronSim(cron, datetime(2000, 1, 1))
    except CronSimError as exc:
        raise ValueError(f"cron {cron!r}: {exc} ({CRON_FIELDS})") from exc


def latest_slot(cron: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The latest cron slot at or before `now`, in UTC (None when it never fires)."""
    check_cron(cron)
    # cronsim's reverse iteration yields slots strictly before its start, whole minutes only.
    start = (now + timedelta(seconds=1)).astimezone(zone)
    try:
        return next(CronSim(cron, start, reverse=True)).astimezone(timezone.utc)
    except StopIteration:
        return None


def due_slot(cron: str, zone: ZoneInfo, now: datetime, last_run: datetime | None) -> datetime | None:
    """The slot to make at `now`, or None: the latest slot at or before `now` when it is later than `last_run`
    (the newest slot already made). Missed slots are never made one by one: only the latest counts."""
    slot = latest_slot(cron, zone, now)
    if slot is None:
        return None
    if last_run is None:
        return slot if now - slot <= FIRST_RUN_LOOKBACK else None
    return slot if slot > last_run else None


def request_for_slot(kind: str, line: str | None, slot: datetime, zone: ZoneInfo,
                     shifts: Iterable[ShiftDefinition], sections: Iterable[str] = (),
                     lines: Iterable[str] = ()) -> ReportRequest:
    """The report a schedule makes at `slot`: a shift report covers the shift that ended last before the slot;
    daily, downtime and custom (its sections of its lines) the previous local day; weekly the previous Monday to
    Sunday."""
    local_day = slot.astimezone(zone).date()
    if kind == "shift":
        ended = [s for s in shift_instances(list(shifts), zone, slot - SHIFT_LOOKBACK, slot) if s.end <= slot]
        if not ended:
            raise ReportRequestError("no shift ended in the week before this slot")
        last = max(ended, key=lambda s: (s.end, s.name))
        return ReportRequest("shift", last.day, line, last.name)
    if kind in ("daily", "downtime"):
        return ReportRequest(kind, local_day - timedelta(days=1), line)
    if kind == "weekly":
        monday = local_day - timedelta(days=local_day.weekday() + 7)
        return ReportRequest("weekly", monday, line, last_day=monday + timedelta(days=6))
    if kind == "custom":
        return ReportRequest("custom", local_day - timedelta(days=1), sections=tuple(sections), lines=tuple(lines))
    raise ReportRequestError(f"a {kind} report cannot be scheduled")


@dataclass(frozen=True)
class ScheduledReport:
    """A report schedule as stored (plant file `[[reports]]` or the schedules admin page)."""
    name: str
    kind: str  # shift | daily | weekly | downtime | custom
    cron: str
    recipients: tuple[str, ...]  # roles, user names or email addresses
    line: str | None = None
    sections: tuple[str, ...] = ()  # custom only: keys of core.reports.section_catalog.SECTIONS
    lines: tuple[str, ...] = ()  # custom only: line codes; none is the whole plant


@dataclass(frozen=True)
class Person:
    """An active user as recipient resolution needs them."""
    username: str
    role: str
    email: str | None


def resolve_recipients(names: Iterable[str], people: Iterable[Person]) -> tuple[list[str], list[str]]:
    """(lower-case addresses in order, without repeats; problems in words) for a schedule's recipients: roles,
    user names or email addresses, read as andon escalation reads them (core.recipients.who_is)."""
    people = list(people)
    addresses: dict[str, None] = {}
    problems: list[str] = []
    for name in names:
        named = who_is(name, people)
        addresses.update(dict.fromkeys(named.addresses))
        problems.extend(named.problems)
    return list(addresses), problems


def file_stem(kind: str, line: str | None, day: date) -> str:
    """The readable part of a stored report's file name: type, line (or plant) and first day."""
    return f"{kind}-{line or 'plant'}-{day.isoformat()}"
