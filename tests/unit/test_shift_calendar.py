"""Shift instances in the site's timezone: midnight crossing, DST, breaks, unscheduled time."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.shift_calendar import ShiftDefinition, current_shift, find_shift, instance_on, not_scheduled

NEW_YORK = ZoneInfo("America/New_York")
NIGHT = ShiftDefinition("Night", time(22), time(6), breaks=((time(2), 30),))
EARLY = ShiftDefinition("Early", time(6), time(14), days=("mon", "tue", "wed", "thu", "fri"),
                        breaks=((time(9), 15), (time(11, 30), 30)))


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_a_night_shift_crosses_midnight():
    night = instance_on(NIGHT, date(2026, 3, 2), NEW_YORK)
    assert (night.start, night.end) == (utc(2026, 3, 3, 3), utc(2026, 3, 3, 11))
    assert night.breaks == ((utc(2026, 3, 3, 7), utc(2026, 3, 3, 7, 30)),)


def test_night_shifts_across_dst_changes_last_seven_or_nine_hours():
    assert instance_on(NIGHT, date(2026, 3, 7), NEW_YORK).duration == timedelta(hours=7)
    assert instance_on(NIGHT, date(2026, 10, 31), NEW_YORK).duration == timedelta(hours=9)
    assert instance_on(NIGHT, date(2026, 3, 2), NEW_YORK).duration == timedelta(hours=8)


def test_current_shift_and_days():
    assert current_shift([NIGHT, EARLY], NEW_YORK, utc(2026, 3, 3, 4)).name == "Night"
    assert current_shift([NIGHT, EARLY], NEW_YORK, utc(2026, 3, 3, 12)).name == "Early"
    assert current_shift([EARLY], NEW_YORK, utc(2026, 3, 7, 12)) is None  # Saturday
    assert find_shift([EARLY], NEW_YORK, date(2026, 3, 7), "Early") is None
    assert find_shift([EARLY], NEW_YORK, date(2026, 3, 6), "Early").start == utc(2026, 3, 6, 11)


def test_not_scheduled_is_outside_shifts_plus_breaks():
    gaps = not_scheduled([EARLY], NEW_YORK, utc(2026, 3, 2, 10), utc(2026, 3, 2, 20))
    assert gaps == [(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11)), (utc(2026, 3, 2, 14), utc(2026, 3, 2, 14, 15)),
                    (utc(2026, 3, 2, 16, 30), utc(2026, 3, 2, 17)), (utc(2026, 3, 2, 19), utc(2026, 3, 2, 20))]
    assert not_scheduled([], NEW_YORK, utc(2026, 3, 2), utc(2026, 3, 3)) == []
