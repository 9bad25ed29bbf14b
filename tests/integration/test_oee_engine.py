"""The OEE engine on the real store: calendar edge cases and properties that must hold for any timeline."""

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from core.oee.engine import machine_totals
from core.oee.figures import TOTAL_FIELDS, oee_figures, total_of, totals_from_mapping
from core.oee.service import shift_window
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.plant.equipment import machines, site_calendar
from core.timeline import STATES, CountAt, StateAt, add_counts, add_state_changes

UTC = timezone.utc
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plant.toml"
SHIFT_START = datetime(2026, 3, 2, 11, tzinfo=UTC)  # Early shift, Monday, New York
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def totals_for(db, codes, boundaries):
    chosen = [m for m in machines(db) if m.code in codes]
    frame = machine_totals(db, chosen, boundaries, NOW, site_calendar(db))
    return [totals_from_mapping(row) for _, row in frame.iterrows()]


def write(db, states=(), counts=()):
    with db.begin() as session:
        add_state_changes(session, list(states))
        add_counts(session, list(counts))


def machine(db, code):
    return next(m for m in machines(db) if m.code == code)


@pytest.mark.parametrize("day, hours", [(date(2026, 3, 7), 7), (date(2026, 10, 31), 9), (date(2026, 3, 2), 8)])
def test_night_shifts_across_dst_changes(plant, day, hours):
    text = EXAMPLE.read_text().replace('days = ["sun", "mon", "tue", "wed", "thu", "fri"]',
                                       'days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]')
    apply_plant_config(plant, parse_plant_toml(text))  # the night shift also runs on Saturday nights
    bagger = machine(plant, "BAG1")
    write(plant, [StateAt(bagger.id, datetime.combine(day, time(), tzinfo=UTC) - timedelta(days=1), "running")])
    window = shift_window(site_calendar(plant), day, "Night")
    assert window.end - window.start == timedelta(hours=hours)
    [totals] = totals_for(plant, {"BAG1"}, [window.start, window.end])
    assert totals.all_s == hours * 3600 and totals.break_s == 30 * 60
    assert totals.planned_production_s == hours * 3600 - 30 * 60


def test_a_planned_stop_overlapping_a_break_counts_once(plant):
    bagger = machine(plant, "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    # break 09:00-09:15 local = minute 180-195; planned stop 170-200 overlaps it
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(170), "planned_stop"),
                  StateAt(bagger.id, at(200), "running")])
    [totals] = totals_for(plant, {"BAG1"}, [at(0), at(480)])
    assert totals.break_s + totals.planned_stop_s == pytest.approx(45 * 60 + 15 * 60)
    assert totals.planned_production_s == pytest.approx(480 * 60 - 60 * 60)


def test_late_data_changes_the_figures_of_its_window(plant):
    bagger = machine(plant, "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    write(plant, [StateAt(bagger.id, at(0), "running")], [CountAt(bagger.id, at(60), 100, 0)])
    before = oee_figures(totals_for(plant, {"BAG1"}, [at(0), at(480)])[0])
    write(plant, [StateAt(bagger.id, at(100), "down"), StateAt(bagger.id, at(130), "running")])  # arrives late
    after = oee_figures(totals_for(plant, {"BAG1"}, [at(0), at(480)])[0])
    assert before.availability == 1 and after.availability == pytest.approx(1 - 30 / 435)


def test_counts_during_a_break_are_kept_out_of_oee(plant):
    bagger = machine(plant, "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    write(plant, [StateAt(bagger.id, at(0), "running")],
          [CountAt(bagger.id, at(10), 50, 0), CountAt(bagger.id, at(185), 7, 1)])  # minute 185: in the break
    [totals] = totals_for(plant, {"BAG1"}, [at(0), at(480)])
    assert (totals.good, totals.outside_good, totals.outside_reject) == (50, 7, 1)


def test_rejects_right_after_a_changeover_are_startup_rejects(plant):
    bagger = machine(plant, "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    write(plant, [StateAt(bagger.id, at(0), "changeover"), StateAt(bagger.id, at(20), "running")],
          [CountAt(bagger.id, at(25), 100, 9), CountAt(bagger.id, at(70), 100, 2)])
    [totals] = totals_for(plant, {"BAG1"}, [at(0), at(480)])
    assert (totals.reject, totals.startup_reject) == (11, 9)
    losses = oee_figures(totals).losses
    assert losses["startup_rejects"] == 9 and losses["production_rejects"] == 2


minutes = st.integers(min_value=0, max_value=479)
timeline = st.lists(st.tuples(minutes, st.sampled_from(STATES)), min_size=1, max_size=12)
counts = st.lists(st.tuples(minutes, st.integers(0, 3000), st.integers(0, 100)), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bag_states=timeline, bag_counts=counts, mix_states=timeline, mix_counts=counts,
       split=st.integers(min_value=1, max_value=479))
def test_properties_of_any_timeline(plant, bag_states, bag_counts, mix_states, mix_counts, split):
    with plant.begin() as session:
        session.execute(delete(StateChange))
        session.execute(delete(CountIncrement))
    at = lambda m: SHIFT_START + timedelta(minutes=m)  # noqa: E731
    bagger, mixer = machine(plant, "BAG1"), machine(plant, "MIX1")
    write(plant,
          [StateAt(bagger.id, at(m), s) for m, s in bag_states] + [StateAt(mixer.id, at(m), s) for m, s in mix_states],
          [CountAt(bagger.id, at(m), g, r) for m, g, r in bag_counts]
          + [CountAt(mixer.id, at(m), g, r) for m, g, r in mix_counts])
    whole = totals_for(plant, {"BAG1", "MIX1"}, [at(0), at(480)])
    line = total_of(whole)
    figures = oee_figures(line)
    for machine_totals_ in whole:
        single = oee_figures(machine_totals_)
        if single.availability is not None:
            assert 0 <= single.availability <= 1
        if single.quality is not None:
            assert 0 <= single.quality <= 1
    if figures.oee is not None:
        assert figures.oee == pytest.approx(line.ideal_good_s / line.planned_production_s)
        if figures.performance is not None and figures.quality is not None:
            assert figures.oee == pytest.approx(figures.availability * figures.performance * figures.quality)
    seconds = sum(getattr(line, f) for f in ("not_scheduled_s", "break_s", "planned_stop_s", "no_data_s")) \
        + line.planned_production_s
    assert seconds == pytest.approx(line.all_s)
    # splitting the window in two and rolling up gives the whole
    halves = total_of(totals_for(plant, {"BAG1", "MIX1"}, [at(0), at(split), at(480)]))
    for field in TOTAL_FIELDS:
        if field not in ("startup_reject", "ideal_startup_reject_s"):  # attributed to the changeover's window
            assert getattr(halves, field) == pytest.approx(getattr(line, field)), field
    # machine order does not matter
    reordered = total_of(reversed(totals_for(plant, {"MIX1", "BAG1"}, [at(0), at(480)])))
    assert oee_figures(reordered) == figures
