"""Fault analysis rules: MTBF and MTTR, repeat faults (N in M hours), the fault Pareto, the timeline's segments,
which loss a stop belongs to and how much of it counts; and the plant file's [fault_rules]."""

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from core.faults.counted_stops import calendar_breaks, counted_stops, of_fault, of_loss, of_reason, stop_kind
from core.faults.pareto import fault_pareto
from core.faults.breakdowns import begun_breakdowns
from core.faults.reliability import Reliability, combined, reliability_of, repair_seconds
from core.faults.repeats import RepeatRule, repeat_faults
from core.faults.timeline import state_segments
from core.plant.config_file import PlantFileError, dump_plant_toml, parse_plant_toml
from core.stop_queue import stop_runs

T0 = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)
MACHINE = SimpleNamespace(id=1, code="BAG1", name="Bagger 1")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def change(row_id, minutes, state, reason=None, fault=None):
    return SimpleNamespace(id=row_id, equipment_id=1, at=at(minutes), state=state, reason_code=reason, fault_code=fault)


# MTBF and MTTR


def test_mtbf_is_run_time_and_mttr_the_mean_full_duration_per_breakdown_begun():
    one = reliability_of(7800.0, [1200.0, 600.0, 1200.0])
    assert (one.breakdowns, one.breakdown_time) == (3, 3000.0)
    assert one.mtbf == 2600.0 and one.mttr == 1000.0


def test_no_breakdown_begun_leaves_mtbf_and_mttr_blank():
    carried_in = reliability_of(3600.0, [])  # a breakdown that began before the window adds nothing
    assert carried_in.breakdown_time == 0.0 and carried_in.mtbf is None and carried_in.mttr is None


def test_a_breakdown_lasts_from_its_start_to_its_end_or_to_now_while_still_down():
    assert repair_seconds(at(0), at(240), at(600)) == 4 * 3600
    assert repair_seconds(at(0), None, at(90)) == 90 * 60


def test_machines_are_combined_by_summing_times_and_counts_not_by_averaging():
    a, b = Reliability(3600.0, 600.0, 2), Reliability(7200.0, 0.0, 0)
    whole = combined([a, b])
    assert (whole.run_time, whole.breakdown_time, whole.breakdowns) == (10800.0, 600.0, 2)
    assert whole.mtbf == 5400.0 and whole.mttr == 300.0  # the mean of the machines' MTBF would be undefined


def test_only_breakdowns_begun_in_the_window_count_each_with_its_full_duration():
    # Window from minute 0, counted until minute 100: a breakdown carried in (-30 to 20), one of 10 min, a
    # changeover, a small stop, and a breakdown still going since minute 70 (now is minute 100).
    rows = [change(1, -30, "down", fault="F1"), change(2, 20, "running"), change(3, 30, "down", fault="F2"),
            change(4, 40, "changeover"), change(5, 55, "running"), change(6, 60, "down"), change(7, 60.5, "running"),
            change(8, 70, "down", fault="F3")]
    stops = counted_stops(stop_runs(rows, MACHINE, at(100)), 120, at(0), at(100), [], still_going=True)
    found = begun_breakdowns(None, stops, at(100), at(100))
    assert [(b.stop.fault_code, b.repair_s, b.end) for b in found] == [("F2", 600.0, at(40)), ("F3", 1800.0, None)]


# Repeat faults: the same fault N times within M hours on one machine

RULE = RepeatRule(count=3, within_hours=8)


def occurrences(machine, code, hours):
    return [(machine, code, T0 + timedelta(hours=h)) for h in hours]


def test_three_times_in_exactly_eight_hours_is_a_repeat():
    found = repeat_faults(occurrences("BAG1", "F02", [0, 4, 8]), RULE)
    assert [(r.equipment_code, r.fault_code, r.count, r.first, r.last) for r in found] == [
        ("BAG1", "F02", 3, T0, T0 + timedelta(hours=8))]


def test_three_times_in_a_second_over_eight_hours_is_not():
    hours = [0, 4, 8 + 1 / 3600]
    assert repeat_faults(occurrences("BAG1", "F02", hours), RULE) == []


def test_twice_is_not_a_repeat_when_three_are_needed():
    assert repeat_faults(occurrences("BAG1", "F02", [0, 1]), RULE) == []


def test_other_machines_and_other_codes_do_not_add_up():
    mixed = (occurrences("BAG1", "F02", [0, 1]) + occurrences("MIX1", "F02", [2])
             + occurrences("BAG1", "F04", [3]))
    assert repeat_faults(mixed, RULE) == []


def test_overlapping_windows_are_one_episode_and_separate_ones_two():
    hours = [0, 1, 2, 3, 30, 31, 32]  # 0-3: four in one episode; 30-32 another
    found = repeat_faults(occurrences("BAG1", "F02", hours), RULE)
    assert sorted(r.count for r in found) == [3, 4]
    assert found[0].count == 4 and found[0].first == T0 and found[0].last == T0 + timedelta(hours=3)


def test_order_of_occurrences_does_not_matter():
    assert repeat_faults(occurrences("BAG1", "F02", [8, 0, 4]), RULE)[0].times == (
        T0, T0 + timedelta(hours=4), T0 + timedelta(hours=8))


def test_a_rule_of_two_in_one_hour():
    rule = RepeatRule(count=2, within_hours=1)
    assert len(repeat_faults(occurrences("BAG1", "F02", [0, 1]), rule)) == 1
    assert repeat_faults(occurrences("BAG1", "F02", [0, 1.01]), rule) == []


# Which loss a stop belongs to, and what it counts


def test_a_stop_run_shorter_than_the_threshold_is_a_small_stop_whatever_its_reasons():
    rows = [change(1, 0, "running"), change(2, 10, "down", "JAM", "F02"), change(3, 11, "running"),
            change(4, 20, "down", "JAM", "F02"), change(5, 21, "down", "MOTOR", "F04"), change(6, 22.5, "running")]
    stops = stop_runs(rows, MACHINE, at(60))
    assert [(s.id, stop_kind(s, 120)) for s in stops] == [(2, "small_stop"), (4, "down"), (5, "down")]


def test_a_window_cuts_a_stop_and_planned_time_excludes_breaks():
    rows = [change(1, -30, "down", None, "F04"), change(2, 10, "running"), change(3, 50, "down", "JAM", "F02"),
            change(4, 80, "running")]
    stops = stop_runs(rows, MACHINE, at(120))
    breaks = [(at(60), at(70))]
    found = counted_stops(stops, 120, at(0), at(120), breaks)
    assert [(s.id, s.counted_s, s.began_in_window, s.kind) for s in found] == [
        (1, 600.0, False, "down"),  # 30 minutes long, 10 inside the window
        (3, 1200.0, True, "down"),  # 30 minutes long, 10 of them in the break
    ]
    assert found[0].seconds == 40 * 60


def test_the_last_stop_still_going_is_counted_until_counting_stops():
    rows = [change(1, 0, "running"), change(2, 100, "changeover")]
    found = counted_stops(stop_runs(rows, MACHINE, at(110)), 120, at(0), at(110), [], still_going=True)
    assert [(s.kind, s.counted_s, s.still_going) for s in found] == [("changeover", 600.0, True)]


def test_calendar_breaks_count_once_per_machine():
    found = calendar_breaks([(at(0), at(15)), (at(100), at(130))], ["BAG1", "MIX1"])
    assert [s.counted_s for s in found] == [1800.0, 3600.0]
    assert {s.kind for s in found} == {"break"} and found[0].equipment_code == "all 2 machines"


def counted(row_id, kind, seconds, reason=None, fault=None, began=True, state=None):
    return SimpleNamespace(id=row_id, kind=kind, counted_s=seconds, reason_code=reason, fault_code=fault,
                           began_in_window=began, state=state or kind, equipment_code="BAG1", start=T0)


def test_each_loss_and_each_pareto_bar_takes_its_own_stops():
    stops = [counted(1, "down", 600, "JAM", "F02"), counted(2, "small_stop", 60, "JAM", "F02", state="down"),
             counted(3, "changeover", 900), counted(4, "planned_stop", 300), counted(None, "break", 1800),
             counted(5, "idle", 120)]
    assert [s.id for s in of_loss(stops, "breakdowns")] == [1]
    assert [s.id for s in of_loss(stops, "small_stops")] == [2]
    assert [s.id for s in of_loss(stops, "planned_stops")] == [4, None]
    assert [s.id for s in of_reason(stops, "JAM")] == [1]  # the downtime Pareto leaves small stops out
    assert [s.id for s in of_reason(stops, "")] == [3, 5]
    assert [s.id for s in of_fault(stops, "F02")] == [1, 2]


# The fault Pareto


def test_fault_pareto_counts_occurrences_begun_and_time_longest_first():
    stops = [counted(1, "down", 600, fault="F02", began=False), counted(2, "small_stop", 60, fault="F02"),
             counted(3, "down", 900, fault="F04"), counted(4, "down", 300, fault="F02"),
             counted(5, "down", 1000), counted(None, "break", 1800)]
    bars = fault_pareto(stops, {"F02": "Jam at infeed"})
    assert [(b.fault_code, b.text, b.occurrences, b.seconds, b.small_stops) for b in bars] == [
        ("F02", "Jam at infeed", 2, 960, 1), ("F04", "not in the fault catalog", 1, 900, 0)]


# The state timeline


def test_segments_start_with_no_data_merge_alike_neighbours_and_stop_at_the_end():
    rows = [change(1, 10, "running"), change(2, 20, "running"), change(3, 30, "down", "JAM", "F02"),
            change(4, 40, "down", "JAM", "F04"), change(5, 50, "running")]
    found = state_segments("BAG1", rows, at(0), at(45))
    assert [(s.state, s.fault_code, s.start, s.end) for s in found] == [
        ("no_data", None, at(0), at(10)), ("running", None, at(10), at(30)), ("down", "F02", at(30), at(40)),
        ("down", "F04", at(40), at(45))]


def test_the_state_in_force_at_the_start_is_clipped_to_the_window():
    found = state_segments("BAG1", [change(1, -60, "idle")], at(0), at(30))
    assert [(s.state, s.start, s.end, s.seconds) for s in found] == [("idle", at(0), at(30), 1800.0)]


# The plant file's [fault_rules]

SITE = '[site]\nname = "Akron"\n'


def test_repeat_faults_default_to_three_in_eight_hours():
    rules = parse_plant_toml(SITE).fault_rules.repeat_faults
    assert (rules.count, rules.within_hours) == (3, 8.0)


def test_repeat_faults_are_read_and_dumped_back():
    config = parse_plant_toml(SITE + "[fault_rules]\nrepeat_faults = { count = 4, within_hours = 12 }\n")
    assert (config.fault_rules.repeat_faults.count, config.fault_rules.repeat_faults.within_hours) == (4, 12.0)
    assert parse_plant_toml(dump_plant_toml(config)) == config


@pytest.mark.parametrize("value, key", [("{ count = 1, within_hours = 8 }", "fault_rules.repeat_faults.count"),
                                        ("{ count = 3, within_hours = 0 }", "fault_rules.repeat_faults.within_hours"),
                                        ("{ count = 3, hours = 8 }", "fault_rules.repeat_faults.hours")])
def test_a_wrong_repeat_rule_is_refused_naming_its_key(value, key):
    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(SITE + f"[fault_rules]\nrepeat_faults = {value}\n")
    assert any(f": {key}: " in line for line in refused.value.lines), refused.value.lines
