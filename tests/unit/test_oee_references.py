"""OEE against published worked examples, compared unrounded with tolerance 0.0005."""

import pytest

from core.oee.figures import Totals, oee_figures

TOLERANCE = 0.0005
MINUTE = 60.0
HOUR = 3600.0


def test_simple_oee_com_example():
    # simple-oee.com: planned 480 min, stops 80 min, total 19,200, good 18,816, ideal cycle 1 s
    totals = Totals(all_s=480 * MINUTE, running_s=400 * MINUTE, down_s=80 * MINUTE, good=18_816, reject=384,
                    ideal_total_s=19_200 * 1.0, ideal_good_s=18_816 * 1.0)
    f = oee_figures(totals)
    assert f.availability == pytest.approx(0.8333, abs=TOLERANCE)
    assert f.performance == pytest.approx(0.80, abs=TOLERANCE)
    assert f.quality == pytest.approx(0.98, abs=TOLERANCE)
    assert f.oee == pytest.approx(0.6533, abs=TOLERANCE)
    assert f.oee == pytest.approx(f.availability * f.performance * f.quality, rel=1e-12)


def test_vorne_worksheet():
    # shift 480 min, breaks 15 + 30, downtime 30, ideal 2 parts/min, total 700, rejects 25
    cycle = 30.0
    totals = Totals(all_s=480 * MINUTE, break_s=45 * MINUTE, running_s=405 * MINUTE, down_s=30 * MINUTE,
                    good=675, reject=25, ideal_total_s=700 * cycle, ideal_good_s=675 * cycle)
    f = oee_figures(totals)
    assert f.planned_production_time_s == 435 * MINUTE
    assert f.availability == pytest.approx(0.9310, abs=TOLERANCE)
    assert f.performance == pytest.approx(0.8642, abs=TOLERANCE)
    assert f.quality == pytest.approx(0.9643, abs=TOLERANCE)
    assert f.oee == pytest.approx(0.7759, abs=TOLERANCE)


def test_oee_com_teep():
    # OEE 65 %, 80 h planned in a 168 h week -> utilization 47.62 %, TEEP 30.95 %
    planned = 80 * HOUR
    totals = Totals(all_s=168 * HOUR, not_scheduled_s=88 * HOUR, running_s=planned, good=1000,
                    ideal_total_s=0.65 * planned, ideal_good_s=0.65 * planned)
    f = oee_figures(totals)
    assert f.oee == pytest.approx(0.65, abs=TOLERANCE)
    assert f.utilization == pytest.approx(0.4762, abs=TOLERANCE)
    assert f.teep == pytest.approx(0.3095, abs=TOLERANCE)


def test_oee_com_six_big_losses_add_up_to_the_lost_time():
    # oee.com's loss view: planned time = fully productive time + every loss in time
    cycle = 30.0
    totals = Totals(all_s=480 * MINUTE, break_s=45 * MINUTE, running_s=395 * MINUTE, small_stop_s=10 * MINUTE,
                    down_s=20 * MINUTE, changeover_s=10 * MINUTE, good=675, reject=25, startup_reject=5,
                    ideal_total_s=700 * cycle, ideal_good_s=675 * cycle, ideal_startup_reject_s=5 * cycle)
    f = oee_figures(totals)
    lost = sum(f.losses[k] for k in ("breakdowns_s", "setup_s", "idle_s", "small_stops_s", "reduced_speed_s",
                                     "production_rejects_s", "startup_rejects_s"))
    assert lost + f.losses["fully_productive_s"] == pytest.approx(f.planned_production_time_s)
    assert f.losses["production_rejects"] == 20 and f.losses["startup_rejects"] == 5


def test_smrp_counts_planned_stops_against_availability():
    totals = Totals(all_s=480 * MINUTE, break_s=45 * MINUTE, running_s=405 * MINUTE, down_s=30 * MINUTE,
                    good=675, reject=25, ideal_total_s=700 * 30.0, ideal_good_s=675 * 30.0)
    smrp = oee_figures(totals, policy="smrp")
    assert smrp.planned_production_time_s == 480 * MINUTE
    assert smrp.availability == pytest.approx(405 / 480)


def test_no_planned_time_gives_nulls_not_zeros():
    f = oee_figures(Totals(all_s=8 * HOUR, not_scheduled_s=8 * HOUR))
    assert (f.availability, f.performance, f.quality, f.oee, f.utilization, f.teep) == (None,) * 6


def test_planned_time_and_nothing_made_is_a_true_zero():
    f = oee_figures(Totals(all_s=HOUR, down_s=HOUR))
    assert f.availability == 0 and f.oee == 0 and f.performance is None and f.quality is None


def test_performance_above_one_is_flagged_not_capped():
    f = oee_figures(Totals(all_s=HOUR, running_s=HOUR, good=5000, ideal_total_s=5000.0, ideal_good_s=5000.0))
    assert f.performance == pytest.approx(5000 / 3600) and f.performance_above_one
    assert f.losses["reduced_speed_s"] < 0


def test_a_line_is_time_weighted_not_a_mean_of_percentages():
    fast = Totals(all_s=HOUR, running_s=HOUR, good=3000, ideal_total_s=3000 * 1.0, ideal_good_s=3000 * 1.0)
    broken = Totals(all_s=HOUR, running_s=0.05 * HOUR, down_s=0.45 * HOUR, not_scheduled_s=0.5 * HOUR, good=15,
                    ideal_total_s=15 * 12.0, ideal_good_s=15 * 12.0)
    line = oee_figures(fast + broken)
    assert line.availability == pytest.approx(1.05 / 1.5)
    assert line.oee == pytest.approx((3000 + 180) / 5400)
    assert line.oee != pytest.approx((oee_figures(fast).oee + oee_figures(broken).oee) / 2)
