"""Quality on a real database (SQLite, and MariaDB where set): checks raise a quality andon call when out of
limits, scrap feeds OEE quality exactly once, and bad input stores nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core.accounts import Actor
from core.andon_calls import list_calls
from core.oee.rollups import refresh_rollups, rollup_totals
from core.oee.service import Scope, oee_for, window_between
from core.persistence.account_tables import AuditEntry
from core.persistence.andon_tables import AndonCall
from core.persistence.quality_tables import QualityCheckRow, QualityMeasurementRow, ScrapEntryRow
from core.persistence.rollup_tables import RollupRequest
from core.persistence.timeline_tables import CountIncrement
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config, read_plant_config
from core.plant.equipment import machines
from core.quality.catalog import defect_choices, machine_templates
from core.quality.checks import record_check, recent_checks
from core.quality.machine_context import QualityError
from core.quality.scrap import record_scrap, recent_scrap, void_scrap
from core.quality.spc import characteristic_choices, spc_data
from core.quality.yields import yields_by_line
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

START = datetime(2026, 3, 2, 8, tzinfo=timezone.utc)
QUALITY = Actor("quinn", "10.0.0.9")
PLANT = """
[site]
name = "Quality test"
timezone = "UTC"

[[lines]]
code = "L1"
name = "Line 1"

[[lines.equipment]]
code = "API1"
name = "Hand packer (counts from the API, no rejects)"
ideal_cycle_time_s = 10.0

[[lines.equipment]]
code = "PLC1"
name = "Bagger (its PLC counts rejects)"
ideal_cycle_time_s = 10.0
plc = { driver = "sim" }
tags = { running = "B.Running", good = "B.Good", reject = "B.Reject" }

[[defect_codes]]
code = "PACK"
name = "Packaging"

[[defect_codes]]
code = "SEAL"
name = "Seal open"
parent = "PACK"

[[quality_checks]]
code = "WEIGHT"
name = "Weight check"
equipment = ["API1", "PLC1"]
characteristics = [
    { code = "W", name = "Bag weight", unit = "g", nominal = 1000, lower = 995, upper = 1010 },
    { code = "S", name = "Seal width", unit = "mm", lower = 7, upper = 9, samples = 3 },
]
"""


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def quality_plant(db):
    """Both machines run from START; each made 100 good units by minute 10, the PLC one 4 rejects too."""
    apply_plant_config(db, parse_plant_toml(PLANT))
    ids = {m.code: m.id for m in machines(db)}
    with db.begin() as session:
        add_state_changes(session, [StateAt(ids["API1"], at(0), "running"), StateAt(ids["PLC1"], at(0), "running")])
        add_counts(session, [CountAt(ids["API1"], at(10), 100, 0, "api"), CountAt(ids["PLC1"], at(10), 100, 4, "plc")])
    return db


def figures(db, code: str, now: datetime):
    return oee_for(db, Scope(equipment=code), window_between(at(0), at(60)), now).figures


def stored(db, table) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_the_plant_files_quality_blocks_are_stored_and_dumped_back(database_url, quality_plant):
    config = read_plant_config(quality_plant)
    assert [d.code for d in config.defect_codes] == ["PACK", "SEAL"]
    assert config.quality_checks == parse_plant_toml(PLANT).quality_checks
    assert [d.path for d in defect_choices(quality_plant)] == ["Packaging", "Packaging › Seal open"]
    # a characteristic removed from the file is deactivated; the template keeps its other one
    apply_plant_config(quality_plant, parse_plant_toml(PLANT.replace(
        '    { code = "S", name = "Seal width", unit = "mm", lower = 7, upper = 9, samples = 3 },\n', "")))
    assert [c.code for c in machine_templates(quality_plant, "API1", at(60))[0].characteristics] == ["W"]


def test_a_check_out_of_limits_raises_one_quality_andon_call_that_says_what_was_wrong(database_url, quality_plant):
    result = record_check(quality_plant, "PLC1", "WEIGHT", {"W": [993.5], "S": [8, 8.2, 7.9]}, QUALITY, at(20))
    assert not result.passed and result.andon_call_id is not None
    assert result.out_of_limits == ("Bag weight 993.5 g: below the lower limit 995 g by 1.5 g (limits 995 – 1010 g)",)
    [call] = list_calls(quality_plant)
    assert (call.id, call.kind, call.priority, call.source, call.raised_by, call.equipment_code) == (
        result.andon_call_id, "quality", "medium", "quality", "quinn", "PLC1")
    assert "Weight check" in call.note and "993.5 g" in call.note and "995 – 1010 g" in call.note
    with quality_plant() as session:
        values = session.execute(select(QualityMeasurementRow.value, QualityMeasurementRow.in_limits)
                                 .order_by(QualityMeasurementRow.id)).all()
    assert [tuple(v) for v in values] == [(993.5, False), (8.0, True), (8.2, True), (7.9, True)]
    assert [c.passed for c in recent_checks(quality_plant, at(0))] == [False]


def test_a_check_in_limits_raises_no_call_and_a_value_on_a_limit_is_in_limits(database_url, quality_plant):
    result = record_check(quality_plant, "API1", "WEIGHT", {"W": ["995"], "S": [7, 9, "8,5"]}, QUALITY, at(20))
    assert result.passed and result.andon_call_id is None and result.out_of_limits == ()
    assert list_calls(quality_plant) == [] and stored(quality_plant, AndonCall) == 0


def test_scrap_on_a_machine_without_reject_counting_moves_good_to_reject_exactly(database_url, quality_plant):
    now = at(60)
    before = figures(quality_plant, "API1", now)
    assert (before.good_count, before.reject_count, before.quality) == (100, 0, 1.0)
    result = record_scrap(quality_plant, "API1", "SEAL", 5, QUALITY, now, made_by=at(30), note="found at the pallet")
    assert (result.classified, result.moved, result.at) == (0, 5, at(10))  # booked where API1 counted them
    assert result.explanation == "5 moved from good to reject; booked at 08:10 (Mon 2 Mar), when API1 counted them"
    after = figures(quality_plant, "API1", now)
    assert (after.good_count, after.reject_count) == (95, 5)
    assert after.quality == pytest.approx(0.95) and after.performance == pytest.approx(before.performance)
    assert after.oee == pytest.approx(before.oee * 0.95)
    [line] = yields_by_line(quality_plant, at(0), at(60), now)
    api = next(m for m in line.machines if m.equipment_code == "API1")
    assert (api.first_pass_yield, api.scrap, api.top_defect) == (pytest.approx(0.95), 5, "SEAL")
    assert line.rolled_throughput_yield == pytest.approx(0.95 * 100 / 104)


def test_scrap_moves_reach_the_rollups_and_leave_them_when_taken_back(database_url, quality_plant):
    api_id = next(m.id for m in machines(quality_plant) if m.code == "API1")
    late = at(5 * 60)  # the scrap's hour is older than the roll-ups' two-hour lookback by then

    def hour_units():
        hours = rollup_totals(quality_plant, "hour", at(0), at(1))
        row = hours[hours["equipment_id"] == api_id].iloc[0]
        return int(row["good"]), int(row["reject"])

    refresh_rollups(quality_plant, late)
    assert hour_units() == (100, 0)
    entry = record_scrap(quality_plant, "API1", "SEAL", 5, QUALITY, late, made_by=at(30))
    refresh_rollups(quality_plant, late + timedelta(minutes=1))
    assert hour_units() == (95, 5)
    void_scrap(quality_plant, entry.id, QUALITY, late + timedelta(minutes=2))
    assert stored(quality_plant, RollupRequest) == 1 and stored(quality_plant, CountIncrement) == 2
    refresh_rollups(quality_plant, late + timedelta(minutes=3))
    assert hour_units() == (100, 0)
    assert recent_scrap(quality_plant, at(0)) == []
    with pytest.raises(QualityError, match="already taken back by quinn"):
        void_scrap(quality_plant, entry.id, QUALITY, late + timedelta(minutes=4))


def test_scrap_first_classifies_the_rejects_the_machine_counted_itself(database_url, quality_plant):
    now = at(60)
    before = figures(quality_plant, "PLC1", now)
    result = record_scrap(quality_plant, "PLC1", "SEAL", 4, QUALITY, now, made_by=at(30))
    assert (result.classified, result.moved) == (4, 0)
    assert result.explanation.startswith("4 classified (already counted by PLC1); booked at 08:10")
    after = figures(quality_plant, "PLC1", now)
    assert (after.good_count, after.reject_count) == (before.good_count, before.reject_count) == (100, 4)
    assert after.quality == before.quality == pytest.approx(100 / 104)
    assert stored(quality_plant, CountIncrement) == 2  # the two the machines counted, nothing from scrap
    assert [(s.equipment_code, s.quantity, s.classified, s.moved) for s in recent_scrap(quality_plant, at(0))] == [
        ("PLC1", 4, 4, 0)]
    # the same 4 rejects are never classified twice: the next entry moves all its units
    assert (lambda r: (r.classified, r.moved))(record_scrap(quality_plant, "PLC1", "SEAL", 3, QUALITY, now)) == (0, 3)
    assert (figures(quality_plant, "PLC1", now).good_count, figures(quality_plant, "PLC1", now).reject_count) == (97, 7)


def test_one_reject_sent_through_the_api_does_not_swallow_later_scrap(database_url, quality_plant):
    api_id = next(m.id for m in machines(quality_plant) if m.code == "API1")
    with quality_plant.begin() as session:
        add_counts(session, [CountAt(api_id, at(20), 0, 1, "api")])
    result = record_scrap(quality_plant, "API1", "SEAL", 60, QUALITY, at(60))
    assert (result.classified, result.moved) == (1, 59)
    after = figures(quality_plant, "API1", at(60))
    assert (after.good_count, after.reject_count) == (41, 60) and after.quality == pytest.approx(41 / 101)


@pytest.mark.parametrize("kwargs, message", [
    (dict(equipment_code="NOPE"), "no active machine 'NOPE'"),
    (dict(defect_code="NOPE"), "no defect code 'NOPE'"),
    (dict(quantity=0), "at least 1 unit"),
    (dict(quantity=-3), "at least 1 unit"),
    (dict(quantity=1.5), "whole number"),
    (dict(quantity="5"), "whole number"),
    (dict(quantity=101), "API1 can scrap at most 100 units made in Mon 2 Mar: it counted 100 good and 0 rejects"),
    (dict(made_by=at(5)), "API1 has counted no good units before 08:05 to scrap"),  # before it counted anything
    (dict(made_by=at(61)), "made in the future"),
    (dict(note="x" * 2001), "longer than 2000"),
])
def test_bad_scrap_is_refused_and_nothing_is_stored(database_url, quality_plant, kwargs, message):
    values = dict(equipment_code="API1", defect_code="SEAL", quantity=5, made_by=at(30), note="") | kwargs
    with pytest.raises(QualityError, match=message):
        record_scrap(quality_plant, values["equipment_code"], values["defect_code"], values["quantity"], QUALITY,
                     at(60), made_by=values["made_by"], note=values["note"])
    assert (stored(quality_plant, ScrapEntryRow), stored(quality_plant, CountIncrement)) == (0, 2)
    with quality_plant() as session:
        assert session.scalar(select(func.count()).where(AuditEntry.action.like("quality.%"))) == 0


@pytest.mark.parametrize("machine, template, values, message", [
    ("API1", "WEIGHT", {"W": [1000], "S": [8, 8]}, "Seal width: enter 3 numbers"),
    ("API1", "WEIGHT", {"W": ["heavy"], "S": [8, 8, 8]}, "Bag weight: the value is 'heavy', not a number"),
    ("API1", "NOPE", {"W": [1000]}, "does not apply at API1"),
    ("NOPE", "WEIGHT", {"W": [1000]}, "no active machine"),
])
def test_a_bad_check_is_refused_and_nothing_is_stored(database_url, quality_plant, machine, template, values, message):
    with pytest.raises(QualityError, match=message):
        record_check(quality_plant, machine, template, values, QUALITY, at(20))
    assert [stored(quality_plant, t) for t in (QualityCheckRow, QualityMeasurementRow, AndonCall)] == [0, 0, 0]


def test_control_chart_of_a_characteristic_over_a_window(database_url, quality_plant):
    weights = [1000, 1002, 1001, 1003, 1004]
    for minute, weight in enumerate(weights):
        record_check(quality_plant, "API1", "WEIGHT", {"W": [weight], "S": [8, 8.5, 8.1 + minute / 10]}, QUALITY,
                     at(20 + minute))
    choices = {c.code: c.id for _t, c in characteristic_choices(quality_plant)}
    individuals = spc_data(quality_plant, choices["W"], at(0), at(60))
    assert individuals.chart.kind == "I-MR" and individuals.chart.location.points == tuple(map(float, weights))
    assert individuals.chart.location.upper == pytest.approx(1002 + 2.66 * 1.5)
    subgroups = spc_data(quality_plant, choices["S"], at(0), at(60), equipment_code="API1")
    assert subgroups.chart.kind == "X-bar/R" and subgroups.chart.subgroup_size == 3
    assert spc_data(quality_plant, choices["W"], at(0), at(60), equipment_code="PLC1").chart is None
    assert spc_data(quality_plant, 999_999, at(0), at(60)) is None


def test_the_demo_seeds_checks_and_scrap_once(database_url, plant):
    from core.persistence.quality_tables import QualityCheckRow as Checks
    from core.plant.equipment import fault_catalog, site_calendar
    from core.plc.sim_plant import backfill_history
    from core.quality.demo_data import seed_demo_quality

    now = datetime(2026, 3, 5, 12, tzinfo=timezone.utc)
    start = now - timedelta(days=2)
    backfill_history(plant, machines(plant), site_calendar(plant), fault_catalog(plant), start, now)
    seed_demo_quality(plant, start, now)
    checks, scrap = recent_checks(plant, start), recent_scrap(plant, start)
    calls = list_calls(plant)
    assert len(checks) >= 40 and len(scrap) >= 4
    assert {c.andon_call_id for c in checks if not c.passed} == {c.id for c in calls} != set()
    assert {c.status for c in calls} == {"resolved"}
    assert all(s.classified + s.moved == s.quantity for s in scrap)
    assert sum(s.classified for s in scrap) > 0  # the simulated PLCs count rejects: scrap classifies them first
    seed_demo_quality(plant, start, now)
    assert stored(plant, Checks) == len(checks)


# Scrap booked where the machine counted the parts: one Early shift 06:00-14:00 (UTC), Monday 2 March 2026
SHIFT_PLANT = """
[site]
name = "Scrap test"
timezone = "UTC"
currency = "EUR"

[[shifts]]
name = "Early"
start = "06:00"
end = "14:00"

[[lines]]
code = "L1"
name = "Line 1"

[[lines.equipment]]
code = "BAG1"
name = "Bagger (no reject counting)"
ideal_cycle_time_s = 20.0
cost_per_hour = 100.0
unit_cost = 2.0

[[lines.equipment]]
code = "PLC1"
name = "Bagger (its PLC counts rejects)"
ideal_cycle_time_s = 20.0
plc = { driver = "sim" }
tags = { running = "B.Running", good = "B.Good", reject = "B.Reject" }

[[defect_codes]]
code = "SEAL"
name = "Seal open"
"""
MONDAY = datetime(2026, 3, 2, tzinfo=timezone.utc)


def clock(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


@pytest.fixture
def early_shift(db):
    """BAG1 and PLC1 run the Monday Early shift: 500 good at 10:00 and 500 at 13:50; PLC1 also counts 4 rejects."""
    apply_plant_config(db, parse_plant_toml(SHIFT_PLANT))
    ids = {m.code: m.id for m in machines(db)}
    with db.begin() as session:
        for code in ("BAG1", "PLC1"):
            add_state_changes(session, [StateAt(ids[code], clock(0, 6), "running"),
                                        StateAt(ids[code], clock(0, 14), "idle")])
        add_counts(session, [CountAt(ids["BAG1"], clock(0, 10), 500, 0, "api"),
                             CountAt(ids["BAG1"], clock(0, 13, 50), 500, 0, "api"),
                             CountAt(ids["PLC1"], clock(0, 10), 500, 4, "plc"),
                             CountAt(ids["PLC1"], clock(0, 13, 50), 500, 0, "plc")])
    return db


def shift_figures(db, code: str, day: int, now: datetime):
    return oee_for(db, Scope(equipment=code), window_between(clock(day, 6), clock(day, 14)), now).figures


def shift_reject_cost(db, code: str, day: int, now: datetime) -> float:
    from core.money.money_lost import money_lost

    return money_lost(db, Scope(equipment=code), window_between(clock(day, 6), clock(day, 14)), now) \
        .by_category()["rejects"]


def test_scrap_typed_after_the_shift_lowers_the_shift_that_made_the_parts(database_url, early_shift):
    now = clock(0, 14, 30)  # case A: the inspector records 50 at 14:30, outside planned time
    assert (shift_figures(early_shift, "BAG1", 0, now).quality, shift_reject_cost(early_shift, "BAG1", 0, now)) == (
        1.0, 0.0)
    result = record_scrap(early_shift, "BAG1", "SEAL", 50, QUALITY, now)
    assert (result.at, result.classified, result.moved) == (clock(0, 13, 50), 0, 50)
    assert result.explanation == ("50 moved from good to reject; booked at 13:50 (the Early shift of Mon 2 Mar), "
                                  "when BAG1 counted them")
    shift = shift_figures(early_shift, "BAG1", 0, now)
    assert (shift.good_count, shift.reject_count, shift.quality) == (950, 50, 0.95)
    assert shift_reject_cost(early_shift, "BAG1", 0, now) == pytest.approx(50 * 2.0)
    [line] = yields_by_line(early_shift, clock(0, 6), clock(0, 14), now)
    assert next(m for m in line.machines if m.equipment_code == "BAG1").first_pass_yield == 0.95


def test_scrap_of_yesterdays_parts_typed_before_anything_is_made_today_lands_yesterday(database_url, early_shift):
    now = clock(1, 6, 5)  # case B: Tuesday 06:05, nothing made yet today
    result = record_scrap(early_shift, "BAG1", "SEAL", 50, QUALITY, now)
    assert result.at == clock(0, 13, 50) and "booked at Mon 2 Mar 13:50 (the Early shift of Mon 2 Mar)" in \
        result.explanation
    later = clock(1, 6, 30)  # the board a little later, still nothing made today
    today, monday = shift_figures(early_shift, "BAG1", 1, later), shift_figures(early_shift, "BAG1", 0, later)
    assert (today.good_count, today.reject_count, today.quality) == (0, 0, None)
    assert today.oee is None or today.oee >= 0
    assert (monday.good_count, monday.reject_count, monday.quality) == (950, 50, 0.95)


def test_scrap_needs_parts_counted_before_it_and_never_leaves_a_shift_with_negative_good(database_url, early_shift):
    with pytest.raises(QualityError, match="^BAG1 has counted no good units before 06:05 to scrap$"):
        record_scrap(early_shift, "BAG1", "SEAL", 5, QUALITY, clock(0, 6, 5))
    now = clock(1, 6, 5)
    record_scrap(early_shift, "BAG1", "SEAL", 990, QUALITY, now)
    with pytest.raises(QualityError, match="BAG1 can scrap at most 10 units made in the Early shift of Mon 2 Mar"):
        record_scrap(early_shift, "BAG1", "SEAL", 11, QUALITY, now)
    record_scrap(early_shift, "BAG1", "SEAL", 10, QUALITY, now)
    assert (shift_figures(early_shift, "BAG1", 0, now).good_count, stored(early_shift, ScrapEntryRow)) == (0, 2)


def test_a_plc_counting_rejects_gets_them_classified_and_the_surplus_moved(database_url, early_shift):
    now = clock(0, 14, 30)
    result = record_scrap(early_shift, "PLC1", "SEAL", 50, QUALITY, now)
    assert (result.classified, result.moved) == (4, 46)
    assert result.explanation.startswith("4 classified (already counted by PLC1), 46 moved from good to reject;")
    shift = shift_figures(early_shift, "PLC1", 0, now)
    assert (shift.good_count, shift.reject_count) == (954, 50) and shift.quality == pytest.approx(954 / 1004)
    with early_shift() as session:
        moves = session.execute(select(CountIncrement.good, CountIncrement.reject)
                                .where(CountIncrement.source == "scrap")).all()
    assert [tuple(m) for m in moves] == [(-46, 46)]


def test_two_entries_at_once_never_make_a_shift_s_good_negative(database_url, early_shift, monkeypatch):
    import threading
    import time

    import core.quality.scrap as scrap

    now = clock(1, 6, 5)
    record_scrap(early_shift, "BAG1", "SEAL", 960, QUALITY, now)  # 40 good units left in the shift
    barrier, results = threading.Barrier(2), []
    split = scrap.split_scrap

    def slow_split(quantity, units):  # a slow tablet: both would pass the check before either stores its move
        time.sleep(0.5)
        return split(quantity, units)

    monkeypatch.setattr(scrap, "split_scrap", slow_split)

    def tap(person: str) -> None:
        barrier.wait()
        try:
            results.append(record_scrap(early_shift, "BAG1", "SEAL", 30, Actor(person), now).moved)
        except QualityError as exc:
            results.append(str(exc))

    tablets = [threading.Thread(target=tap, args=(name,)) for name in ("quinn", "eve")]
    for tablet in tablets:
        tablet.start()
    for tablet in tablets:
        tablet.join()
    assert sorted(results, key=str) == [30, "BAG1 can scrap at most 10 units made in the Early shift of Mon 2 Mar: "
                                            "it counted 1000 good and 0 rejects there, 990 of them already on scrap "
                                            "entries"]
    assert shift_figures(early_shift, "BAG1", 0, now).good_count == 10


def test_taking_an_entry_back_restores_the_figures_and_roll_ups_exactly(database_url, early_shift):
    plc = next(m.id for m in machines(early_shift) if m.code == "PLC1")
    now = clock(1, 6, 5)

    def shift_units():
        f = shift_figures(early_shift, "PLC1", 0, now)
        return f.good_count, f.reject_count, f.quality

    def rolled_up():
        refresh_rollups(early_shift, now)
        [shift] = rollup_totals(early_shift, "shift", clock(0, 6), clock(0, 7), [plc]).itertuples()
        return int(shift.good), int(shift.reject)

    before = rolled_up(), shift_units()  # the roll-ups first: the shift's figures may be read from them
    assert before == ((1000, 4), (1000, 4, pytest.approx(1000 / 1004)))
    first = record_scrap(early_shift, "PLC1", "SEAL", 50, QUALITY, now)
    assert (rolled_up(), shift_units()[:2]) == ((954, 50), (954, 50))
    void_scrap(early_shift, first.id, QUALITY, now)
    assert (rolled_up(), shift_units()) == before
    again = record_scrap(early_shift, "PLC1", "SEAL", 6, QUALITY, now)  # its classification was freed
    assert (again.classified, again.moved) == (4, 2)


def test_the_scrap_form_says_what_was_classified_and_what_was_moved(database_url, quality_plant, login_as):
    from core.clock import utc_now
    from tests.support.dash_calls import call, text_of

    plc = next(m.id for m in machines(quality_plant) if m.code == "PLC1")
    with quality_plant.begin() as session:  # made an hour ago: "latest production" finds it
        add_counts(session, [CountAt(plc, utc_now() - timedelta(hours=1), 200, 4, "plc")])
    inspector = login_as("quality")
    made = call(inspector, ["quality-scrap-made.options", "quality-scrap-made.value"], ["PLC1", 0])
    assert made["quality-scrap-made.options"][:2] == [{"label": "Latest production", "value": "latest"},
                                                      {"label": "Today", "value": made["quality-scrap-made.options"][1]
                                                       ["value"]}]
    assert made["quality-scrap-made.value"] == "latest"
    shown = call(inspector, ["quality-scrap-result.children", "quality-refresh.data"], [1],
                 state=["PLC1", 10, "SEAL", "latest", "", 0])
    assert "4 classified (already counted by PLC1), 6 moved from good to reject" in text_of(
        shown["quality-scrap-result.children"])
    refused = call(inspector, ["quality-scrap-result.children", "quality-refresh.data"], [2],
                   state=["PLC1", 10, "SEAL", "not a time", "", 1])
    assert "when were the parts made" in text_of(refused["quality-scrap-result.children"])
