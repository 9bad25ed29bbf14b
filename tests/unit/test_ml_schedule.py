"""When the nightly retraining is due: once a night after 02:30 site time, whatever the last attempt's outcome, and
exactly one slot on the nights the clocks change."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.ml.schedule import nightly_slot, retraining_due

NEW_YORK = ZoneInfo("America/New_York")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_the_slot_is_the_latest_0230_site_time_at_or_before_now():
    assert nightly_slot(utc(2026, 3, 4, 7, 29), NEW_YORK) == utc(2026, 3, 3, 7, 30)  # 02:29 EST: still yesterday's
    assert nightly_slot(utc(2026, 3, 4, 7, 30), NEW_YORK) == utc(2026, 3, 4, 7, 30)
    assert nightly_slot(utc(2026, 3, 4, 23, 0), NEW_YORK) == utc(2026, 3, 4, 7, 30)


def test_one_slot_a_night_across_the_clock_changes():
    # 8 March 2026: 02:00 EST becomes 03:00 EDT, so 02:30 does not exist; it is read with the offset before
    assert nightly_slot(utc(2026, 3, 8, 12, 0), NEW_YORK) == utc(2026, 3, 8, 7, 30)
    assert nightly_slot(utc(2026, 3, 9, 12, 0), NEW_YORK) == utc(2026, 3, 9, 6, 30)  # 02:30 EDT
    # 1 November 2026: 02:00 EDT becomes 01:00 EST; 02:30 happens once, in EST
    assert nightly_slot(utc(2026, 11, 1, 12, 0), NEW_YORK) == utc(2026, 11, 1, 7, 30)


def test_due_until_an_attempt_after_tonights_slot():
    now = utc(2026, 3, 4, 9, 0)
    assert retraining_due(now, NEW_YORK, None)  # never trained: at once
    assert retraining_due(now, NEW_YORK, utc(2026, 3, 3, 7, 35))  # last night's
    assert not retraining_due(now, NEW_YORK, utc(2026, 3, 4, 7, 31))  # tonight's, trained or failed
    assert not retraining_due(now + timedelta(hours=20), NEW_YORK, utc(2026, 3, 4, 7, 31))
    assert retraining_due(now + timedelta(hours=23), NEW_YORK, utc(2026, 3, 4, 7, 31))  # 02:30 the next night
