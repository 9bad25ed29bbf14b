"""Report schedules: the due slot (the latest missed one once, across DST weeks), the window each slot covers,
and who receives it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.reports.schedule_rules import (
    Person, check_cron, due_slot, latest_slot, request_for_slot, resolve_recipients,
)
from core.reports.windows import ReportRequest, ReportRequestError
from core.shift_calendar import WEEKDAYS, ShiftDefinition

NY = ZoneInfo("America/New_York")
UTC = timezone.utc
SHIFTS = (ShiftDefinition("Early", time(6), time(14), WEEKDAYS[:6]),
          ShiftDefinition("Late", time(14), time(22), WEEKDAYS[:6]),
          ShiftDefinition("Night", time(22), time(6), ("sun", "mon", "tue", "wed", "thu", "fri")))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


class FakeClock:
    def __init__(self, start: datetime):
        self.now = start

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def test_a_daily_slot_is_due_once_at_its_minute():
    clock = FakeClock(local(2026, 3, 3, 6, 59))
    last = local(2026, 3, 2, 7)
    assert due_slot("0 7 * * *", NY, clock.now, last) is None
    slot = due_slot("0 7 * * *", NY, clock.advance(minutes=1), last)
    assert slot == local(2026, 3, 3, 7) and slot.tzinfo == UTC
    assert due_slot("0 7 * * *", NY, clock.advance(seconds=30), slot) is None  # made: not again


def test_after_downtime_only_the_latest_missed_slot_is_made_once():
    last = local(2026, 3, 2, 7)
    clock = FakeClock(local(2026, 3, 6, 9, 30))  # the jobs process was down for four days
    slot = due_slot("0 7 * * *", NY, clock.now, last)
    assert slot == local(2026, 3, 6, 7)
    assert due_slot("0 7 * * *", NY, clock.advance(minutes=1), slot) is None
    assert due_slot("*/15 * * * *", NY, local(2026, 3, 6, 9, 31), local(2026, 3, 6, 8)) == local(2026, 3, 6, 9, 30)


def test_a_schedule_never_run_makes_only_a_recent_slot():
    assert due_slot("0 7 * * *", NY, local(2026, 3, 3, 10), None) == local(2026, 3, 3, 7)
    assert due_slot("0 7 * * mon", NY, local(2026, 3, 4, 10), None) is None  # Monday's is two days old
    assert due_slot("0 7 * * mon", NY, local(2026, 3, 9, 7), None) == local(2026, 3, 9, 7)


def test_weekday_numbers_are_crons_sunday_zero():
    assert latest_slot("0 7 * * 0", NY, local(2026, 3, 4, 12)) == local(2026, 3, 1, 7)  # a Sunday
    assert latest_slot("0 7 * * 7", NY, local(2026, 3, 4, 12)) == local(2026, 3, 1, 7)
    assert latest_slot("5 6 * * mon-sat", NY, local(2026, 3, 9, 6)) == local(2026, 3, 7, 6, 5)


def test_spring_forward_week_the_skipped_hour_runs_when_the_clock_jumps():
    # 8 March 2026: 02:00 EST -> 03:00 EDT; a 02:30 slot runs at 03:00 EDT (07:00 UTC), once.
    slots, last, clock = [], local(2026, 3, 6, 2, 30), FakeClock(local(2026, 3, 6, 12))
    while clock.now < local(2026, 3, 11, 12):
        slot = due_slot("30 2 * * *", NY, clock.advance(minutes=30), last)
        if slot is not None:
            slots.append(slot)
            last = slot
    assert slots == [local(2026, 3, 7, 2, 30), datetime(2026, 3, 8, 7, tzinfo=UTC), local(2026, 3, 9, 2, 30),
                     local(2026, 3, 10, 2, 30), local(2026, 3, 11, 2, 30)]
    assert [s.astimezone(UTC).hour for s in slots] == [7, 7, 6, 6, 6]


def test_fall_back_week_the_repeated_hour_runs_once():
    # 1 November 2026: 02:00 EDT -> 01:00 EST; a daily 01:30 slot is made once that night.
    slots, last, clock = [], local(2026, 10, 30, 1, 30), FakeClock(local(2026, 10, 30, 12))
    while clock.now < local(2026, 11, 3, 12):
        slot = due_slot("30 1 * * *", NY, clock.advance(minutes=15), last)
        if slot is not None:
            slots.append(slot)
            last = slot
    assert [s.astimezone(NY).date() for s in slots] == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2),
                                                         date(2026, 11, 3)]
    assert slots[1] == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first of the two


def test_a_bad_cron_is_refused_in_words():
    with pytest.raises(ValueError, match="five fields"):
        check_cron("0 7 * *")
    with pytest.raises(ValueError, match="cron '61 7"):
        check_cron("61 7 * * *")


def test_a_shift_slot_covers_the_shift_that_ended_last():
    assert request_for_slot("shift", "L1", local(2026, 3, 3, 6, 5), NY, SHIFTS) == ReportRequest(
        "shift", date(2026, 3, 2), "L1", "Night")
    assert request_for_slot("shift", "L1", local(2026, 3, 3, 14), NY, SHIFTS) == ReportRequest(
        "shift", date(2026, 3, 3), "L1", "Early")  # a shift ending at the slot counts
    # Sunday morning: no Night shift starts on Saturday, so the last one ended is Saturday's Late
    assert request_for_slot("shift", "L1", local(2026, 3, 8, 6, 5), NY, SHIFTS) == ReportRequest(
        "shift", date(2026, 3, 7), "L1", "Late")
    with pytest.raises(ReportRequestError, match="no shift ended"):
        request_for_slot("shift", "L1", local(2026, 3, 3, 6, 5), NY, ())


def test_a_shift_slot_in_the_dst_week_takes_the_night_across_the_change():
    # Night of Sat 7 March does not run; the Night of Sunday 8 March starts after the change (EDT).
    assert request_for_slot("shift", "L1", local(2026, 3, 9, 6, 5), NY, SHIFTS) == ReportRequest(
        "shift", date(2026, 3, 8), "L1", "Night")
    assert request_for_slot("shift", "L1", local(2026, 11, 2, 6, 5), NY, SHIFTS) == ReportRequest(
        "shift", date(2026, 11, 1), "L1", "Night")


def test_daily_downtime_and_weekly_windows():
    slot = local(2026, 3, 9, 7)  # a Monday
    assert request_for_slot("daily", None, slot, NY, SHIFTS) == ReportRequest("daily", date(2026, 3, 8))
    assert request_for_slot("downtime", "L2", slot, NY, SHIFTS) == ReportRequest("downtime", date(2026, 3, 8), "L2")
    assert request_for_slot("weekly", None, slot, NY, SHIFTS) == ReportRequest(
        "weekly", date(2026, 3, 2), last_day=date(2026, 3, 8))
    assert request_for_slot("weekly", None, local(2026, 3, 15, 23), NY, SHIFTS).day == date(2026, 3, 2)
    # the local day counts, not UTC's: 03:30 UTC on the 9th is 23:30 EDT on the 8th
    assert request_for_slot("daily", None, datetime(2026, 3, 9, 3, 30, tzinfo=UTC), NY, SHIFTS).day == date(
        2026, 3, 7)


def test_a_custom_slot_asks_for_its_sections_of_its_lines_over_the_day_before():
    slot = local(2026, 3, 9, 7, 15)
    assert request_for_slot("custom", None, slot, NY, SHIFTS, ["pareto", "stops"], ["L1", "L2"]) == ReportRequest(
        "custom", date(2026, 3, 8), sections=("pareto", "stops"), lines=("L1", "L2"))
    assert request_for_slot("custom", None, slot, NY, SHIFTS, ["oee"]).lines == ()  # the whole plant
    with pytest.raises(ReportRequestError, match="cannot be scheduled"):
        request_for_slot("monthly", None, slot, NY, SHIFTS)


PEOPLE = (Person("pia", "production_manager", "Pia@Plant.test"), Person("sam", "shift_manager", "sam@plant.test"),
          Person("sue", "shift_manager", None), Person("max", "maintenance", "max@plant.test"))


def test_recipients_from_roles_users_and_addresses():
    addresses, problems = resolve_recipients(
        ["production_manager", "max", "Boss@Example.com", "pia", "shift_manager"], PEOPLE)
    assert addresses == ["pia@plant.test", "max@plant.test", "boss@example.com", "sam@plant.test"]
    assert problems == ["sue has no email address"]


def test_recipients_nobody_is_said():
    assert resolve_recipients(["quality", "nobody"], PEOPLE) == (
        [], ["no active user has the role quality", "'nobody' is neither a role, a user nor an email address"])
