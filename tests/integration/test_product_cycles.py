"""Products: ideal cycles per machine from the plant file, the product timeline, and OEE that counts each unit
at the cycle of the product it was made as."""

from datetime import datetime, timedelta, timezone

import pytest

from core.live_status import floor_now
from core.oee.engine import machine_totals
from core.oee.figures import oee_figures, totals_from_mapping
from core.oee.rollups import refresh_rollups, rollup_totals
from core.plant.config_file import PlantFileError, parse_plant_toml
from core.plant.config_store import apply_plant_config, read_plant_config
from core.plant.equipment import machines, site_calendar
from core.products import list_products, product_in_force, record_product_change
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
PLANT = """
[site]
name = "Test"
timezone = "UTC"

[[lines]]
code = "L1"
name = "Line 1"

[[lines.equipment]]
code = "M1"
name = "Machine 1"
ideal_cycle_time_s = 10.0

[[lines.equipment]]
code = "M2"
name = "Machine 2"
ideal_cycle_time_s = 4.0

[[products]]
code = "A"
name = "Product A"
unit_cost = 2.5
ideal_cycles = { M1 = 20.0 }

[[products]]
code = "B"
name = "Product B"
"""


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def small_plant(db):
    apply_plant_config(db, parse_plant_toml(PLANT))
    return db


def machine(db, code):
    return next(m for m in machines(db) if m.code == code)


def write(db, states=(), counts=(), products=()):
    with db.begin() as session:
        add_state_changes(session, list(states))
        add_counts(session, list(counts))
        for equipment_id, moment, code in products:
            record_product_change(session, equipment_id, moment, code, "job")


def figures(db, codes, start, end, now=None):
    frame = machine_totals(db, [m for m in machines(db) if m.code in codes], [start, end], now or end,
                           site_calendar(db))
    return [totals_from_mapping(row) for _, row in frame.iterrows()]


def test_products_are_stored_and_read_back(database_url, small_plant):
    assert [(p.code, p.unit_cost, p.ideal_cycles) for p in list_products(small_plant)] == [
        ("A", 2.5, {"M1": 20.0}), ("B", None, {})]
    config = read_plant_config(small_plant)
    assert config.products == parse_plant_toml(PLANT).products
    again = apply_plant_config(small_plant, config)
    assert not again.any  # idempotent
    changed = apply_plant_config(small_plant, parse_plant_toml(PLANT.replace("M1 = 20.0", "M1 = 25.0, M2 = 3.0")))
    assert changed.updated["product cycles"] == 1 and changed.created["product cycles"] == 1
    assert list_products(small_plant)[0].ideal_cycles == {"M1": 25.0, "M2": 3.0}


@pytest.mark.parametrize("text, message", [
    ("ideal_cycles = { M1 = 20.0 }", None),
    ("ideal_cycles = { M9 = 20.0 }", "products[0].ideal_cycles: no equipment with code 'M9'"),
    ("ideal_cycles = { M1 = 0 }", "products[0].ideal_cycles: the ideal cycle of M1 must be more than 0 seconds"),
    ("ideal_cycles = { M1 = -3.0 }", "the ideal cycle of M1 must be more than 0 seconds"),
])
def test_product_cycles_are_checked_with_clear_messages(text, message):
    source = PLANT.replace("ideal_cycles = { M1 = 20.0 }", text)
    if message is None:
        parse_plant_toml(source)
        return
    with pytest.raises(PlantFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_plant_toml(source)


def test_a_product_code_twice_is_refused():
    with pytest.raises(PlantFileError, match="duplicate product code 'A'"):
        parse_plant_toml(PLANT.replace('code = "B"', 'code = "A"'))


def test_the_product_in_force_is_the_latest_change_at_or_before_the_moment(database_url, small_plant):
    m1 = machine(small_plant, "M1")
    write(small_plant, products=[(m1.id, at(10), "A"), (m1.id, at(20), "B")])
    with small_plant() as session:
        assert [product_in_force(session, m1.id, at(t)) for t in (5, 10, 15, 20, 99)] == [None, "A", "A", "B", "B"]


def test_known_case_half_the_window_on_a_slower_product(database_url, small_plant):
    """M1 (10 s) runs two hours; product A (20 s on M1) from the second hour on."""
    m1 = machine(small_plant, "M1")
    write(small_plant, [StateAt(m1.id, at(0), "running")],
          [CountAt(m1.id, at(30), 300, 0), CountAt(m1.id, at(90), 90, 10)], [(m1.id, at(60), "A")])
    [totals] = figures(small_plant, {"M1"}, at(0), at(120))
    assert (totals.good, totals.reject) == (390, 10)
    assert totals.ideal_total_s == 300 * 10 + 100 * 20 and totals.ideal_good_s == 300 * 10 + 90 * 20
    result = oee_figures(totals)
    assert result.availability == 1
    assert result.performance == pytest.approx(5000 / 7200)
    assert result.quality == pytest.approx(4800 / 5000)
    assert result.oee == pytest.approx(4800 / 7200)


def test_a_product_without_a_cycle_on_the_machine_runs_at_the_machines_cycle(database_url, small_plant):
    m1 = machine(small_plant, "M1")
    write(small_plant, [StateAt(m1.id, at(0), "running")],
          [CountAt(m1.id, at(30), 300, 0), CountAt(m1.id, at(90), 100, 0)],
          [(m1.id, at(0), "A"), (m1.id, at(60), "B")])
    [totals] = figures(small_plant, {"M1"}, at(0), at(120))
    assert totals.ideal_total_s == 300 * 20 + 100 * 10


def test_without_product_changes_the_figures_are_exactly_the_old_ones(database_url, small_plant):
    m1, m2 = machine(small_plant, "M1"), machine(small_plant, "M2")
    write(small_plant, [StateAt(m1.id, at(0), "changeover"), StateAt(m1.id, at(7), "running"),
                        StateAt(m2.id, at(0), "running")],
          [CountAt(m1.id, at(m + 0.3), 7, m % 3) for m in range(1, 120, 7)]
          + [CountAt(m2.id, at(m), 11, 1) for m in range(1, 120, 3)])
    before = figures(small_plant, {"M1", "M2"}, at(0), at(120))
    write(small_plant, products=[(m2.id, at(50), "A")])  # a product with no cycle of its own on M2
    after = figures(small_plant, {"M1", "M2"}, at(0), at(120))
    assert after == before  # M1 untouched, M2 at its own cycle throughout


def test_startup_rejects_count_at_the_new_products_cycle(database_url, small_plant):
    m1 = machine(small_plant, "M1")
    write(small_plant, [StateAt(m1.id, at(0), "running"), StateAt(m1.id, at(60), "changeover"),
                        StateAt(m1.id, at(70), "running")],
          [CountAt(m1.id, at(30), 100, 4), CountAt(m1.id, at(75), 20, 6), CountAt(m1.id, at(110), 40, 1)],
          [(m1.id, at(60), "A")])
    [totals] = figures(small_plant, {"M1"}, at(0), at(120))
    assert (totals.reject, totals.startup_reject) == (11, 6)
    assert totals.ideal_startup_reject_s == 6 * 20
    assert totals.ideal_total_s == 104 * 10 + 67 * 20


def test_a_late_product_change_recomputes_the_rollups(database_url, small_plant):
    m1 = machine(small_plant, "M1")
    write(small_plant, [StateAt(m1.id, at(0), "running")], [CountAt(m1.id, at(m), 10, 0) for m in range(0, 120, 10)])
    refresh_rollups(small_plant, at(120))
    hour = rollup_totals(small_plant, "hour", at(60), at(61))
    assert hour[hour["equipment_id"] == m1.id].iloc[0]["ideal_total_s"] == 60 * 10
    write(small_plant, products=[(m1.id, at(60), "A")])  # reported late
    refresh_rollups(small_plant, at(121))
    hour = rollup_totals(small_plant, "hour", at(60), at(61))
    assert hour[hour["equipment_id"] == m1.id].iloc[0]["ideal_total_s"] == 60 * 20


def test_the_live_board_counts_each_product_at_its_cycle(database_url, small_plant):
    m1 = machine(small_plant, "M1")
    write(small_plant, [StateAt(m1.id, at(0), "running")],
          [CountAt(m1.id, at(30), 300, 0), CountAt(m1.id, at(90), 90, 0)], [(m1.id, at(60), "A")])
    live = next(m for m in floor_now(small_plant, at(120)).machines if m.code == "M1")
    # "Today" from midnight, but nothing was heard before 08:00 (no_data is not planned time): 2 h running
    assert live.performance == pytest.approx((300 * 10 + 90 * 20) / 7200)
    assert live.target_so_far == 7200 // 20  # at the cycle of the product it makes now


def test_editing_a_products_cycle_in_the_plant_file_keeps_past_figures_and_new_runs_take_the_new_cycle(
        database_url, small_plant):
    m1 = machine(small_plant, "M1")
    write(small_plant, [StateAt(m1.id, at(0), "running")],
          [CountAt(m1.id, at(30), 100, 0), CountAt(m1.id, at(90), 100, 0)], [(m1.id, at(0), "A")])
    [before] = figures(small_plant, {"M1"}, at(0), at(120))
    assert before.ideal_total_s == 200 * 20
    apply_plant_config(small_plant, parse_plant_toml(PLANT.replace("M1 = 20.0", "M1 = 30.0")))
    [after] = figures(small_plant, {"M1"}, at(0), at(120))
    assert after == before  # the run of A made before the edit stays at the cycle it was made at
    write(small_plant, counts=[CountAt(m1.id, at(150), 100, 0)], products=[(m1.id, at(120), "A")])  # a new run
    [later] = figures(small_plant, {"M1"}, at(0), at(180))
    assert later.ideal_total_s == 200 * 20 + 100 * 30
    live = next(m for m in floor_now(small_plant, at(180)).machines if m.code == "M1")
    assert live.target_so_far == 3 * 3600 // 30
    apply_plant_config(small_plant, parse_plant_toml(PLANT.replace("ideal_cycles = { M1 = 20.0 }", "")))
    assert figures(small_plant, {"M1"}, at(0), at(180)) == [later]  # removing the cycle rewrites nothing either


def test_product_changes_at_fractional_seconds_keep_hour_buckets_and_exact_figures(database_url, small_plant,
                                                                                    monkeypatch):
    from core.oee import engine

    asked = []
    counts_by_bucket = engine.counts_by_bucket

    def spy(db, equipment_ids, start, end, bucket_s):
        sums = counts_by_bucket(db, equipment_ids, start, end, bucket_s)
        asked.append((bucket_s, len(sums)))
        return sums

    monkeypatch.setattr(engine, "counts_by_bucket", spy)
    m1 = machine(small_plant, "M1")
    a_at = T0 + timedelta(hours=4, minutes=3, seconds=17.4)  # 12:03:17.4
    b_at = T0 + timedelta(hours=1, minutes=41, seconds=6.9)  # 09:41:06.9
    counts = [CountAt(m1.id, T0 + timedelta(seconds=s), 1, 0) for s in range(0, 6 * 3600, 30)]
    counts += [CountAt(m1.id, a_at - timedelta(seconds=0.2), 0, 1),  # the same whole second, before the change
               CountAt(m1.id, a_at + timedelta(seconds=0.3), 0, 1),  # the same whole second, after it
               CountAt(m1.id, b_at + timedelta(seconds=0.1), 5, 0)]
    write(small_plant, [StateAt(m1.id, T0, "running")], counts, [(m1.id, b_at, "B"), (m1.id, a_at, "A")])
    [totals] = figures(small_plant, {"M1"}, T0, T0 + timedelta(hours=6))
    assert asked == [(3600, 6)]  # one row per machine and hour, whatever second the changes fell at

    # A (20 s) holds for count rows from 12:03:18 on (see change_moments); before it M1's own 10 s (B has none)
    own = sum(1 for s in range(0, 6 * 3600, 30) if T0 + timedelta(seconds=s) < a_at.replace(microsecond=0)
              + timedelta(seconds=1)) + 5 + 2
    on_a = sum(1 for s in range(0, 6 * 3600, 30) if T0 + timedelta(seconds=s) >= a_at.replace(microsecond=0)
               + timedelta(seconds=1))
    assert (totals.good, totals.reject) == (720 + 5, 2)
    assert totals.ideal_total_s == own * 10 + on_a * 20
    assert totals.ideal_good_s == (own - 2) * 10 + on_a * 20
