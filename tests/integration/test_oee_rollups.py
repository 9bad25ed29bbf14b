"""Roll-ups hold the engine's figures, and late data recomputes the hours and shift it touches."""

from datetime import datetime, timedelta, timezone

import pytest

from core.oee.engine import machine_totals
from core.oee.figures import TOTAL_FIELDS
from core.oee.rollups import refresh_rollups, rollup_totals
from core.plant.equipment import machines, site_calendar
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

SHIFT_START = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)  # Early shift, Monday, New York


def write(db, states=(), counts=()):
    with db.begin() as session:
        add_state_changes(session, list(states))
        add_counts(session, list(counts))


def test_rollups_equal_the_engine_and_follow_late_data(database_url, plant):
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    now = at(480)
    write(plant, [StateAt(bagger.id, at(0), "running")],
          [CountAt(bagger.id, at(m), 50, 1) for m in range(5, 480, 5)])
    summary = refresh_rollups(plant, now)
    assert summary.hours >= 8 and summary.shifts >= 1
    hours = rollup_totals(plant, "hour", at(0), at(480))
    engine = machine_totals(plant, machines(plant), [at(60 * h) for h in range(9)], now, site_calendar(plant))
    stored = hours.set_index(["equipment_id", "period_start"]).sort_index()
    bag_hours = stored.loc[bagger.id]
    for h in range(8):
        for field in TOTAL_FIELDS:
            assert bag_hours.loc[at(60 * h), field] == pytest.approx(engine.loc[(bagger.id, h), field]), field
    shift = rollup_totals(plant, "shift", at(0), at(1))
    bag_shift = shift[shift["equipment_id"] == bagger.id].iloc[0]
    assert bag_shift["label"] == "2026-03-02 Early" and bag_shift["down_s"] == 0

    # a stop reported late (old timestamp, new row) is folded in at the next run
    write(plant, [StateAt(bagger.id, at(100), "down"), StateAt(bagger.id, at(130), "running")])
    refresh_rollups(plant, now + timedelta(minutes=1))
    shift = rollup_totals(plant, "shift", at(0), at(1))
    assert shift[shift["equipment_id"] == bagger.id].iloc[0]["down_s"] == pytest.approx(30 * 60)
    hour = rollup_totals(plant, "hour", at(60), at(61))
    assert hour[hour["equipment_id"] == bagger.id].iloc[0]["down_s"] == pytest.approx(20 * 60)


def test_long_windows_read_the_rollups_and_give_the_engines_totals(database_url, plant):
    from core.oee.period_totals import period_totals
    from core.oee.rollups import complete_hours

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    write(plant, [StateAt(bagger.id, at(0), "changeover"), StateAt(bagger.id, at(20), "running"),
                  StateAt(bagger.id, at(200), "down"), StateAt(bagger.id, at(230), "running")],
          [CountAt(bagger.id, at(m), 50, m % 3) for m in range(5, 600, 5)])
    now = at(600)
    refresh_rollups(plant, now)
    everything = machines(plant)
    calendar = site_calendar(plant)
    edges = [at(-37), at(101), at(333), at(587)]  # not on the hour: edges come from the engine
    assert complete_hours(plant, [m.id for m in everything], edges[0], edges[-1]) is not None
    mixed = period_totals(plant, everything, edges, now, calendar, 1800.0)
    direct = machine_totals(plant, everything, edges, now, calendar, 1800.0)
    for field in TOTAL_FIELDS:
        assert mixed[field].to_numpy() == pytest.approx(direct[field].to_numpy()), field


def test_the_pareto_from_rollups_equals_the_pareto_from_the_timelines(database_url, plant):
    from core.oee.engine import stop_pieces
    from core.oee.period_totals import period_stops

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(50), "down", "JAM"),
                  StateAt(bagger.id, at(75), "running"), StateAt(bagger.id, at(118), "down"),
                  StateAt(bagger.id, at(170), "running"), StateAt(bagger.id, at(300), "changeover"),
                  StateAt(bagger.id, at(310), "running"), StateAt(bagger.id, at(400), "down", "MOTOR"),
                  StateAt(bagger.id, at(401), "running")])
    now = at(600)
    refresh_rollups(plant, now)
    everything = machines(plant)
    mixed = period_stops(plant, everything, at(-17), at(590), now, site_calendar(plant))
    direct = stop_pieces(plant, everything, [at(-17), at(590)], now, site_calendar(plant))

    def by_reason(frame):
        return frame.groupby(["state", "reason_code"])[["seconds", "began"]].sum().sort_index()

    assert by_reason(mixed)["seconds"].to_numpy() == pytest.approx(by_reason(direct)["seconds"].to_numpy())
    assert list(by_reason(mixed)["began"]) == list(by_reason(direct)["began"]) == [1, 1, 1]
    assert by_reason(direct).loc[("down", "JAM"), "seconds"] == pytest.approx(25 * 60)
    assert ("down", "MOTOR") not in by_reason(direct).index  # one minute: a small stop
