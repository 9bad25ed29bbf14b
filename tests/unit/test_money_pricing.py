"""Money from a given set of losses and rates: exact amounts, the product's unit cost before the machine's, a line
rolled up by summing, and no rates -> no cost."""

import pandas as pd
import pytest

from core.money.money_lost import LABELS, MACHINE_LABELS, MoneyLost
from core.money.pricing import (
    COST_KEYS, loss_costs, machine_costs, priced_machine_ids, stretch_costs, summed_costs, unit_cost_in_force,
)
from core.money.stretches import Stretch
from core.oee.figures import Totals, oee_figures

MIXER, BAGGER, SCALE = 1, 2, 3


def stretch(equipment_id, period=0, product=None, unit_cost=0.0, **totals) -> Stretch:
    return Stretch(equipment_id, period, product, 1.0, unit_cost, oee_figures(Totals(**totals)))


def test_lost_time_costs_its_hours_at_the_rate_and_rejects_their_units():
    losses = {"breakdowns_s": 1800, "setup_s": 600, "idle_s": 900, "small_stops_s": 300, "reduced_speed_s": 720}
    assert loss_costs(losses, 360.0, 95.0) == {"breakdowns": 180.0, "setup": 60.0, "idle": 90.0,
                                               "small_stops": 30.0, "reduced_speed": 72.0, "rejects": 95.0,
                                               "total": 527.0}


def test_running_faster_than_ideal_costs_nothing_not_a_negative_amount():
    losses = {"breakdowns_s": 3600, "setup_s": 0, "idle_s": 0, "small_stops_s": 0, "reduced_speed_s": -500}
    costs = loss_costs(losses, 100.0, 0.0)
    assert costs["reduced_speed"] == 0.0 and costs["total"] == 100.0


def test_a_product_s_unit_cost_comes_before_the_machine_s_default():
    assert unit_cost_in_force(9.5, 1.2) == 9.5
    assert unit_cost_in_force(None, 1.2) == 1.2
    assert unit_cost_in_force(0.0, 1.2) == 0.0  # a product priced at 0 on purpose stays 0


def test_a_machine_making_two_products_is_priced_by_the_product_of_each_stretch():
    # Bagger at 360/h: 10 rejects of a product at 9.50 (30 min down, 5 min small stops, 10 min slow), then
    # 5 rejects with no product known at its own 1.20 (10 min changeover, 5 min slow).
    stretches = [
        stretch(BAGGER, product="P-100", unit_cost=9.5, running_s=3000, small_stop_s=300, down_s=1800,
                ideal_total_s=2400, ideal_good_s=2300, good=90, reject=10),
        stretch(BAGGER, product=None, unit_cost=1.2, running_s=1000, changeover_s=600, ideal_total_s=700,
                ideal_good_s=695, good=695, reject=5),
    ]
    costs = stretch_costs(stretches, {BAGGER: 360.0})
    assert costs == {(BAGGER, 0): {"breakdowns": 180.0, "setup": 60.0, "idle": 0.0, "small_stops": 30.0,
                                   "reduced_speed": pytest.approx(90.0), "rejects": pytest.approx(101.0),
                                   "total": pytest.approx(461.0)}}


def test_a_trend_prices_each_period_on_its_own():
    # Day 0 slow by 1,800 s, day 1 faster than ideal by 600 s: in the by-day trend day 1 costs 0.
    stretches = [stretch(MIXER, 0, running_s=3600, ideal_total_s=1800, good=900),
                 stretch(MIXER, 1, running_s=3600, ideal_total_s=4200, good=2100)]
    costs = stretch_costs(stretches, {MIXER: 200.0})
    assert costs[(MIXER, 0)]["reduced_speed"] == 100.0 and costs[(MIXER, 1)]["reduced_speed"] == 0.0


def test_a_window_prices_each_machine_over_the_whole_window_once():
    # The same two days as one window: +1,800 s - 600 s = 1,200 s of reduced speed, what the engine's losses say.
    stretches = [stretch(MIXER, 0, running_s=3600, ideal_total_s=1800, good=900, down_s=360),
                 stretch(MIXER, 1, running_s=3600, ideal_total_s=4200, good=2100),
                 stretch(BAGGER, 0, running_s=3600, ideal_total_s=4000, good=2000)]  # faster all window
    costs = machine_costs(stretches, {MIXER: 200.0, BAGGER: 100.0})
    assert costs[MIXER]["reduced_speed"] == pytest.approx(1200 / 3600 * 200.0)
    assert costs[MIXER]["total"] == pytest.approx(1200 / 3600 * 200.0 + 20.0)
    assert costs[BAGGER]["reduced_speed"] == 0.0  # still never negative


def test_a_line_is_the_sum_of_its_machines():
    stretches = [stretch(MIXER, unit_cost=0.9, down_s=1800, running_s=1800, ideal_total_s=1800, reject=4),  # 380/h
                 stretch(BAGGER, unit_cost=2.0, running_s=3600, ideal_total_s=3600, good=3597, reject=3),  # 0/h
                 stretch(SCALE, down_s=3600)]  # no rate at all
    rates = {MIXER: 380.0, BAGGER: 0.0, SCALE: 0.0}
    assert priced_machine_ids(stretches, rates) == {MIXER, BAGGER}
    costs = stretch_costs([s for s in stretches if s.equipment_id != SCALE], rates)
    line = summed_costs(costs.values())
    assert costs[(MIXER, 0)]["total"] == pytest.approx(190.0 + 3.6)
    assert costs[(BAGGER, 0)]["total"] == 6.0
    assert line["total"] == pytest.approx(190.0 + 3.6 + 6.0) and line["rejects"] == pytest.approx(9.6)


def money_of(rows: list[dict], days=("2026-03-02", "2026-03-03"), not_priced=(), window_rows=None) -> MoneyLost:
    """`rows` per machine and day; the window's rows are their sums unless given (no day faster than ideal)."""
    by_day = pd.DataFrame(rows, columns=list(LABELS + COST_KEYS))
    whole = (by_day.groupby(list(MACHINE_LABELS), sort=False)[list(COST_KEYS)].sum().reset_index()
             if window_rows is None else pd.DataFrame(window_rows, columns=list(MACHINE_LABELS + COST_KEYS)))
    return MoneyLost("EUR", tuple(days), whole, by_day, tuple(not_priced))


def row(day, line, machine, breakdowns=0.0, rejects=0.0) -> dict:
    return {"day": day, "line": line, "line_name": f"Line {line}", "equipment": machine,
            "equipment_name": f"Machine {machine}", "breakdowns": breakdowns, "setup": 0.0, "idle": 0.0,
            "small_stops": 0.0, "reduced_speed": 0.0, "rejects": rejects, "total": breakdowns + rejects}


def test_money_lost_rolls_up_by_line_machine_and_day_by_summing():
    money = money_of([row("2026-03-02", "L1", "MIX1", 100.0), row("2026-03-02", "L1", "BAG1", 50.0, 5.0),
                      row("2026-03-03", "L1", "BAG1", 10.0), row("2026-03-02", "L2", "FIL2", 200.0)])
    assert money.by_category()["total"] == 365.0 and money.by_category()["rejects"] == 5.0
    assert money.by_line()[["line", "total"]].values.tolist() == [["L2", 200.0], ["L1", 165.0]]
    assert money.by_machine()[["equipment", "total"]].values.tolist() == [["FIL2", 200.0], ["MIX1", 100.0],
                                                                           ["BAG1", 65.0]]
    assert money.by_day()[["day", "total"]].values.tolist() == [["2026-03-02", 355.0], ["2026-03-03", 10.0]]


def test_a_window_without_rates_has_no_cost_not_zero():
    money = money_of([], days=("2026-03-02",), not_priced=("MIX1",))
    assert money.has_rates is False and money.by_category() is None
    assert money.by_machine().empty and money.by_day()["total"].tolist() == [0.0]


def test_the_window_s_figures_come_from_the_window_not_from_the_days():
    # MIX1 lost 100 on day 1 and 0 on day 2 (faster than ideal); over the window it lost 60: the page's total,
    # categories, lines and machines show 60 (as the API and reports), the trend 100 + 0.
    days = [row("2026-03-02", "L1", "MIX1", 100.0)]
    whole = [{key: value for key, value in row("", "L1", "MIX1", 60.0).items() if key != "day"}]
    money = money_of(days, window_rows=whole)
    assert money.by_category()["total"] == 60.0 and money.by_line()["total"].tolist() == [60.0]
    assert money.by_machine()["total"].tolist() == [60.0]
    assert money.by_day()["total"].tolist() == [100.0, 0.0]
