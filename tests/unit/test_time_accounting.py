"""Where a window's seconds went: planned stops, breaks, no data, small stops."""

from datetime import datetime, timedelta, timezone

import pytest

from core.oee.figures import oee_figures
from core.oee.time_accounting import account_time
from core.timeline import StateAt

T0 = datetime(2026, 3, 2, 6, tzinfo=timezone.utc)


def availability(account):
    return oee_figures(account).availability


def at(minutes, state):
    return StateAt(1, T0 + timedelta(minutes=minutes), state)


def test_simple_availability():
    account = account_time([at(0, "running"), at(400, "down"), at(480, "running")], T0, T0 + timedelta(minutes=480))
    assert account.planned_production_s == 480 * 60 and account.down_s == 80 * 60
    assert availability(account) == pytest.approx(400 / 480)


def test_breaks_and_planned_stops_overlap_counted_once():
    changes = [at(0, "running"), at(100, "planned_stop"), at(140, "running")]
    breaks = [(T0 + timedelta(minutes=120), T0 + timedelta(minutes=150))]
    account = account_time(changes, T0, T0 + timedelta(minutes=480), breaks)
    # planned stop 100-140 and break 120-150 overlap 120-140: 50 minutes planned in all
    assert account.break_s + account.planned_stop_s == 50 * 60
    assert account.planned_production_s == 430 * 60 and availability(account) == 1


def test_short_stops_are_run_time_and_long_ones_are_not():
    changes = [at(0, "running"), at(10, "down"), at(11, "running"), at(20, "down"), at(40, "running")]
    account = account_time(changes, T0, T0 + timedelta(minutes=60), micro_stop_threshold_s=120)
    assert account.small_stop_s == 60 and account.down_s == 20 * 60
    assert account.run_s == 40 * 60


def test_nothing_heard_is_neither_run_nor_planned():
    account = account_time([at(30, "running"), at(40, "no_data"), at(50, "running")], T0, T0 + timedelta(minutes=60))
    assert account.no_data_s == 40 * 60 and account.planned_production_s == 20 * 60 and availability(account) == 1


def test_no_planned_time_gives_no_availability():
    account = account_time([at(0, "planned_stop")], T0, T0 + timedelta(hours=1))
    assert availability(account) is None


def test_consecutive_same_states_are_one_stop():
    changes = [at(0, "running"), at(10, "down"), at(11, "down"), at(12, "running")]
    account = account_time(changes, T0, T0 + timedelta(minutes=20), micro_stop_threshold_s=90)
    assert account.down_s == 120 and account.small_stop_s == 0
