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
    result = record_scrap(quality_plant, "API1", "SEAL", 5, QUALITY, now, at=at(30), note="found at the pallet")
    assert result.counted_by == "scrap" and "moved from good to reject" in result.explanation
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
    entry = record_scrap(quality_plant, "API1", "SEAL", 5, QUALITY, late, at=at(30))
    refresh_rollups(quality_plant, late + timedelta(minutes=1))
    assert hour_units() == (95, 5)
    void_scrap(quality_plant, entry.id, QUALITY, late + timedelta(minutes=2))
    assert stored(quality_plant, RollupRequest) == 1 and stored(quality_plant, CountIncrement) == 2
    refresh_rollups(quality_plant, late + timedelta(minutes=3))
    assert hour_units() == (100, 0)
    assert recent_scrap(quality_plant, at(0)) == []
    with pytest.raises(QualityError, match="already taken back by quinn"):
        void_scrap(quality_plant, entry.id, QUALITY, late + timedelta(minutes=4))


def test_scrap_on_a_machine_whose_plc_counts_rejects_is_not_counted_twice(database_url, quality_plant):
    now = at(60)
    before = figures(quality_plant, "PLC1", now)
    result = record_scrap(quality_plant, "PLC1", "SEAL", 4, QUALITY, now, at=at(30))
    assert result.counted_by == "machine" and "counts its rejects through its PLC" in result.explanation
    after = figures(quality_plant, "PLC1", now)
    assert (after.good_count, after.reject_count) == (before.good_count, before.reject_count) == (100, 4)
    assert after.quality == before.quality == pytest.approx(100 / 104)
    assert stored(quality_plant, CountIncrement) == 2  # the two the machines counted, nothing from scrap
    assert [(s.equipment_code, s.quantity, s.counted_by) for s in recent_scrap(quality_plant, at(0))] == [
        ("PLC1", 4, "machine")]


def test_rejects_sent_through_the_api_make_a_machine_count_its_own_rejects(database_url, quality_plant):
    api_id = next(m.id for m in machines(quality_plant) if m.code == "API1")
    with quality_plant.begin() as session:
        add_counts(session, [CountAt(api_id, at(20), 0, 2, "api")])
    assert record_scrap(quality_plant, "API1", "SEAL", 2, QUALITY, at(60)).counted_by == "machine"
    assert figures(quality_plant, "API1", at(60)).reject_count == 2


@pytest.mark.parametrize("kwargs, message", [
    (dict(equipment_code="NOPE"), "no active machine 'NOPE'"),
    (dict(defect_code="NOPE"), "no defect code 'NOPE'"),
    (dict(quantity=0), "at least 1 unit"),
    (dict(quantity=-3), "at least 1 unit"),
    (dict(quantity=1.5), "whole number"),
    (dict(quantity="5"), "whole number"),
    (dict(quantity=101), "API1 made 100 good units in the 24 hours up to then"),
    (dict(at=at(5)), "API1 made 0 good units"),  # before the machine counted anything
    (dict(at=at(61)), "has not come yet"),
    (dict(note="x" * 2001), "longer than 2000"),
])
def test_bad_scrap_is_refused_and_nothing_is_stored(database_url, quality_plant, kwargs, message):
    values = dict(equipment_code="API1", defect_code="SEAL", quantity=5, at=at(30), note="") | kwargs
    with pytest.raises(QualityError, match=message):
        record_scrap(quality_plant, values["equipment_code"], values["defect_code"], values["quantity"], QUALITY,
                     at(60), at=values["at"], note=values["note"])
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
    assert {s.counted_by for s in scrap} == {"machine"}  # every demo machine's PLC counts its rejects
    seed_demo_quality(plant, start, now)
    assert stored(plant, Checks) == len(checks)
