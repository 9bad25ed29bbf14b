"""The shift calendar: which shift runs when, in the site's timezone, with its breaks.

Pure functions. Shift times are local wall-clock times; instances are returned
in UTC, so a night shift across a DST change lasts 7 or 9 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class ShiftDefinition:
    name: str
    start: time
    end: time  # end <= start: the shift ends the next day
    days: tuple[str, ...] = WEEKDAYS  # the days on which the shift starts
    breaks: tuple[tuple[time, int], ...] = ()  # (local start, minutes)


@dataclass(frozen=True)
class ShiftInstance:
    name: str
    day: date  # the local date on which it starts
    start: datetime  # UTC
    end: datetime  # UTC
    breaks: tuple[tuple[datetime, datetime], ...]  # UTC

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def break_offsets_within_shift(shift_start: time, shift_end: time, break_start: time, minutes: int) -> tuple[int, int] | None:
    """(start, end) of a break in minutes from the shift's start, or None when it is not inside the shift."""
    length = (_minutes(shift_end) - _minutes(shift_start)) % MINUTES_PER_DAY or MINUTES_PER_DAY
    offset = (_minutes(break_start) - _minutes(shift_start)) % MINUTES_PER_DAY
    if offset + minutes > length:
        return None
    return offset, offset + minutes


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(timezone.utc)


def instance_on(shift: ShiftDefinition, day: date, zone: ZoneInfo) -> ShiftInstance:
    """The shift as it runs when it starts on local date `day` (whatever `days` says)."""
    end_day = day + timedelta(days=1) if _minutes(shift.end) <= _minutes(shift.start) else day
    breaks = []
    for break_start, minutes in shift.breaks:
        break_day = day + timedelta(days=1) if _minutes(break_start) < _minutes(shift.start) else day
        begins = _local(break_day, break_start, zone)
        breaks.append((begins, begins + timedelta(minutes=minutes)))
    return ShiftInstance(shift.name, day, _local(day, shift.start, zone), _local(end_day, shift.end, zone),
                         tuple(breaks))


def shift_instances(shifts: list[ShiftDefinition], zone: ZoneInfo, start: datetime, end: datetime) -> list[ShiftInstance]:
    """Every shift instance overlapping [start, end), in time order."""
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date()
    found = []
    day = first_day
    while day <= last_day:
        for shift in shifts:
            if WEEKDAYS[day.weekday()] in shift.days:
                instance = instance_on(shift, day, zone)
                if instance.start < end and instance.end > start:
                    found.append(instance)
        day += timedelta(days=1)
    return sorted(found, key=lambda s: (s.start, s.name))


def current_shift(shifts: list[ShiftDefinition], zone: ZoneInfo, now: datetime) -> ShiftInstance | None:
    running = shift_instances(shifts, zone, now, now + timedelta(microseconds=1))
    return running[0] if running else None


def find_shift(shifts: list[ShiftDefinition], zone: ZoneInfo, day: date, name: str) -> ShiftInstance | None:
    """The shift `name` that starts on local date `day`, or None when it does not run that day."""
    for shift in shifts:
        if shift.name == name and WEEKDAYS[day.weekday()] in shift.days:
            return instance_on(shift, day, zone)
    return None


def unscheduled_parts(shifts: list[ShiftDefinition], zone: ZoneInfo, start: datetime,
                      end: datetime) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, datetime]]]:
    """(gaps outside every shift, breaks inside shifts) within [start, end), each sorted and clipped.

    A site without shifts plans production all the time: no gaps, no breaks.
    """
    if not shifts:
        return [], []
    instances = shift_instances(shifts, zone, start, end)
    busy = sorted((max(i.start, start), min(i.end, end)) for i in instances)
    gaps, cursor = [], start
    for busy_start, busy_end in busy:
        if busy_start > cursor:
            gaps.append((cursor, busy_start))
        cursor = max(cursor, busy_end)
    if cursor < end:
        gaps.append((cursor, end))
    breaks = sorted((max(a, start), min(b, end)) for i in instances for a, b in i.breaks if b > start and a < end)
    return gaps, breaks


def not_scheduled(shifts: list[ShiftDefinition], zone: ZoneInfo, start: datetime,
                  end: datetime) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) when no production is planned: outside every shift, or in a break."""
    gaps, breaks = unscheduled_parts(shifts, zone, start, end)
    return sorted(gaps + breaks)
