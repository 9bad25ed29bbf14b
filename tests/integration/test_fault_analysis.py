"""Fault analysis on a known timeline: MTBF and MTTR per machine and per fault code (equal to the downtime
report's), the fault Pareto, repeat faults from the plant file's rule, and the drill-down: the stops listed for a
loss sum to the OEE engine's loss for the same scope and window."""

from datetime import date, datetime, timedelta, timezone

import pytest

from core.faults.analysis import fault_analysis
from core.faults.loss_stops import StopListError, StopQuery, stop_list
from core.oee.service import Scope, downtime_pareto, local_day_window, oee_for, window_between
from core.plant.config_file import parse_plant_toml, read_plant_file
from core.plant.config_store import apply_plant_config, read_plant_config
from core.plant.equipment import machines, site_calendar
from core.reports.downtime_report import reliability_section
from core.reports.oee_source import window_figures
from core.faults.timeline_store import repeat_rule
from core.timeline import StateAt, add_state_changes
from tests.conftest import EXAMPLE_PLANT

EARLY = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)  # 06:00 in New York, the Early shift of Monday 2 March
NOW = datetime(2026, 3, 3, 12, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return EARLY + timedelta(minutes=minutes)


def a_morning_of_faults(db):
    """BAG1 (micro-stop threshold 120 s) from 05:30 to 09:10 local; the window is 06:00 to 09:00, before the
    first break. A breakdown carried into the window, two jams, a jam short enough to be a small stop, an
    overload, and a jam the window's end cuts."""
    bag = next(m for m in machines(db) if m.code == "BAG1")
    timeline = [(-30, "down", "MOTOR", "F04"), (10, "running", None, None), (40, "down", "JAM", "F02"),
                (50, "running", None, None), (90, "down", "JAM", "F02"), (91, "running", None, None),
                (120, "down", "MOTOR", "F04"), (140, "running", None, None), (170, "down", "JAM", "F02"),
                (190, "running", None, None)]
    with db.begin() as session:
        add_state_changes(session, [StateAt(bag.id, at(m), state, reason, "plc", fault)
                                    for m, state, reason, fault in timeline])
    return window_between(at(0), at(180))


def test_mtbf_and_mttr_per_machine_and_per_fault_code(database_url, plant):
    window = a_morning_of_faults(plant)
    analysis = fault_analysis(plant, Scope(line="L1"), window, NOW)
    bag = analysis.by_machine["BAG1"]
    # 180 planned minutes; breakdowns begun: 10 + 20 + 20 (cut by the window's end at 10, lasting 20) = 50
    # minutes in full; the one carried in adds nothing
    assert (bag.run_time, bag.breakdown_time, bag.breakdowns) == (pytest.approx(130 * 60), pytest.approx(50 * 60), 3)
    assert bag.mtbf == pytest.approx(2600.0) and bag.mttr == pytest.approx(1000.0)
    assert analysis.by_machine["MIX1"].breakdowns == 0 and analysis.by_machine["MIX1"].mtbf is None
    assert analysis.whole.mtbf == pytest.approx(2600.0)  # the other machines sent nothing: no run time
    by_fault = {row.fault_code: row for row in analysis.by_fault}
    assert set(by_fault) == {"F02", "F04"}
    jam, overload = by_fault["F02"].reliability, by_fault["F04"].reliability
    assert (jam.breakdowns, jam.breakdown_time, jam.mtbf, jam.mttr) == (
        2, pytest.approx(1800.0), pytest.approx(3900.0), pytest.approx(900.0))  # the small stop is no breakdown
    assert (overload.breakdowns, overload.breakdown_time, overload.mtbf, overload.mttr) == (
        1, pytest.approx(1200.0), pytest.approx(7800.0), pytest.approx(1200.0))  # the carried-in one is not counted
    assert by_fault["F02"].text == "Jam at infeed" and by_fault["F02"].machines == ("BAG1",)


def test_the_downtime_report_and_the_page_share_one_mtbf(database_url, plant):
    window = a_morning_of_faults(plant)
    section, mtbf_min, mttr_min = reliability_section(plant, window_figures(plant, Scope(line="L1"), window, NOW),
                                                      window, NOW)
    assert (mtbf_min, mttr_min) == (pytest.approx(2600.0 / 60), pytest.approx(1000.0 / 60))
    bag_row = next(r for r in section.tables[0].rows if r[0].startswith("BAG1"))
    assert bag_row[2:] == (3, pytest.approx(50.0), pytest.approx(130 / 60), pytest.approx(2600 / 60),
                           pytest.approx(1000 / 60))


def local(day: int, hour: float) -> datetime:
    """Hour `hour` of March `day` in New York (UTC-5 before 8 March)."""
    return datetime(2026, 3, day, tzinfo=timezone.utc) + timedelta(hours=hour + 5)


def a_night_breakdown(db):
    """BAG1 runs 21:00-23:00 on Monday, breaks down 23:00 to 03:00 Tuesday (F04; a repeated `down` at 01:00 does
    not end it), runs 03:00-05:00, then a planned stop. Two hours of run time on each day."""
    bag = next(m for m in machines(db) if m.code == "BAG1")
    timeline = [(2, 21, "running", None, None), (2, 23, "down", "MOTOR", "F04"), (3, 1, "down", "MOTOR", "F04"),
                (3, 3, "running", None, None), (3, 5, "planned_stop", None, None)]
    with db.begin() as session:
        add_state_changes(session, [StateAt(bag.id, local(d, h), state, reason, "plc", fault)
                                    for d, h, state, reason, fault in timeline])


def test_a_breakdown_over_midnight_counts_in_full_on_the_day_it_began(database_url, plant):
    a_night_breakdown(plant)
    calendar = site_calendar(plant)
    monday = fault_analysis(plant, Scope(equipment="BAG1"), local_day_window(calendar, date(2026, 3, 2),
                                                                               date(2026, 3, 2)), NOW)
    bag = monday.by_machine["BAG1"]
    assert (bag.breakdowns, bag.breakdown_time, bag.mttr, bag.mtbf) == (1, 4 * 3600, 4 * 3600, pytest.approx(7200))
    assert [(r.fault_code, r.reliability.mttr) for r in monday.by_fault] == [("F04", 4 * 3600)]
    tuesday = fault_analysis(plant, Scope(equipment="BAG1"), local_day_window(calendar, date(2026, 3, 3),
                                                                                date(2026, 3, 3)), NOW)
    bag = tuesday.by_machine["BAG1"]
    assert (bag.breakdowns, bag.breakdown_time, bag.mttr, bag.mtbf) == (0, 0.0, None, None)
    assert bag.run_time == pytest.approx(7200) and tuesday.by_fault == []


def test_the_downtime_report_reads_a_breakdown_over_midnight_the_same_way(database_url, plant):
    a_night_breakdown(plant)
    calendar = site_calendar(plant)
    for day, expected in ((2, (1, 240.0, 120.0, 240.0)), (3, (0, 0.0, None, None))):
        window = local_day_window(calendar, date(2026, 3, day), date(2026, 3, day))
        section, mtbf_min, mttr_min = reliability_section(
            plant, window_figures(plant, Scope(equipment="BAG1"), window, NOW), window, NOW)
        row = section.tables[0].rows[0]
        assert (row[2], row[3], row[5], row[6]) == expected and (mtbf_min, mttr_min) == expected[2:]


def test_a_breakdown_still_going_lasts_until_now(database_url, plant):
    bag = next(m for m in machines(plant) if m.code == "BAG1")
    with plant.begin() as session:  # runs from 06:00 (break 09:00-09:15), down since 10:00 Monday, never back
        add_state_changes(session, [StateAt(bag.id, local(2, 6), "running"), StateAt(bag.id, local(2, 10), "down")])
    window = local_day_window(site_calendar(plant), date(2026, 3, 2), date(2026, 3, 2))
    mine = fault_analysis(plant, Scope(equipment="BAG1"), window, NOW).by_machine["BAG1"]
    assert (mine.breakdowns, mine.mttr) == (1, pytest.approx((NOW - local(2, 10)).total_seconds()))  # 21 h
    assert mine.mtbf == pytest.approx(225 * 60)
    _, _, mttr_min = reliability_section(plant, window_figures(plant, Scope(equipment="BAG1"), window, NOW),
                                         window, NOW)
    assert mttr_min == pytest.approx(21 * 60)


def test_fault_pareto_and_repeat_faults(database_url, plant):
    window = a_morning_of_faults(plant)
    analysis = fault_analysis(plant, Scope(equipment="BAG1"), window, NOW)
    assert [(b.fault_code, b.occurrences, b.seconds, b.small_stops) for b in analysis.pareto] == [
        ("F04", 1, pytest.approx(1800.0), 0), ("F02", 3, pytest.approx(1260.0), 1)]
    # three jams between 06:40 and 08:50: a repeat under the default rule of 3 within 8 hours
    assert [(r.equipment_code, r.fault_code, r.count) for r in analysis.repeats] == [("BAG1", "F02", 3)]
    assert analysis.rule.label == "3 times within 8 h"
    states = [(s.state, s.fault_code) for s in analysis.segments]
    assert states[:3] == [("down", "F04"), ("running", None), ("down", "F02")]


def test_a_stricter_rule_from_the_plant_file_is_stored_and_applied(database_url, plant):
    config = read_plant_file(EXAMPLE_PLANT).model_copy(update={"fault_rules": parse_plant_toml(
        '[site]\nname = "x"\n[fault_rules]\nrepeat_faults = { count = 3, within_hours = 2 }\n').fault_rules})
    changes = apply_plant_config(plant, config)
    assert changes.updated["fault rules"] == 1
    assert read_plant_config(plant).fault_rules.repeat_faults.within_hours == 2.0
    assert repeat_rule(plant).within_hours == 2.0
    window = a_morning_of_faults(plant)
    assert fault_analysis(plant, Scope(equipment="BAG1"), window, NOW).repeats == []  # 06:40 to 08:50 is 2 h 10


@pytest.mark.parametrize("loss", ["breakdowns", "setup", "small_stops", "planned_stops", "idle"])
def test_the_stops_listed_for_a_loss_sum_to_the_engines_loss(database_url, plant, loss):
    bag, mix = (next(m for m in machines(plant) if m.code == code) for code in ("BAG1", "MIX1"))
    a_morning_of_faults(plant)
    more = [StateAt(mix.id, at(-60), "running"), StateAt(mix.id, at(100), "changeover"),
            StateAt(mix.id, at(135), "running"), StateAt(mix.id, at(185), "planned_stop"),  # into the 09:00 break
            StateAt(mix.id, at(230), "running"),
            StateAt(mix.id, at(260), "idle"), StateAt(mix.id, at(261), "running"),  # a small idle stop
            StateAt(mix.id, at(300), "idle"), StateAt(mix.id, at(330), "running"),
            StateAt(mix.id, at(1500), "down")]  # still down at the end of the day
    with plant.begin() as session:
        add_state_changes(session, more)
    day = local_day_window(site_calendar(plant), EARLY.date(), EARLY.date())
    engine = oee_for(plant, Scope(line="L1"), day, NOW).figures.losses
    listed = stop_list(plant, StopQuery(Scope(line="L1"), day, loss=loss), NOW)
    key = {"breakdowns": "breakdowns_s", "setup": "setup_s", "small_stops": "small_stops_s",
           "planned_stops": "planned_stops_s", "idle": "idle_s"}[loss]
    assert engine[key] > 0
    assert listed.total_s == pytest.approx(engine[key]) and listed.loss_s == pytest.approx(engine[key])
    assert listed.total_s == pytest.approx(sum(s.counted_s for s in listed.stops))


def test_a_downtime_pareto_bar_lists_its_stops(database_url, plant):
    window = a_morning_of_faults(plant)
    pareto = downtime_pareto(plant, Scope(equipment="BAG1"), window, NOW)
    jam = stop_list(plant, StopQuery(Scope(equipment="BAG1"), window, reason="JAM"), NOW)
    assert [s.fault_code for s in jam.stops] == ["F02", "F02"]  # the small stop is not in the Pareto
    assert jam.total_s == pytest.approx(float(pareto[pareto["reason"] == "JAM"]["seconds"].iloc[0]))
    assert jam.loss_s == pytest.approx(jam.total_s)
    fault = stop_list(plant, StopQuery(Scope(equipment="BAG1"), window, fault="F02"), NOW)
    assert len(fault.stops) == 3 and fault.total_s == pytest.approx(1260.0) and "Jam at infeed" in fault.title


def test_losses_no_stop_makes_up_say_so_and_nonsense_is_refused(plant):
    window = a_morning_of_faults(plant)
    speed = stop_list(plant, StopQuery(Scope(), window, loss="reduced_speed"), NOW)
    assert speed.stops == [] and "no stops make it up" in speed.message
    with pytest.raises(StopListError, match="unknown loss 'lunch'"):
        stop_list(plant, StopQuery(Scope(), window, loss="lunch"), NOW)
    with pytest.raises(StopListError, match="one of loss, reason or fault"):
        stop_list(plant, StopQuery(Scope(), window), NOW)
