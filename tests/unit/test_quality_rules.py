"""Quality's pure rules: the in-limits rule at its boundaries, control limits of known cases, first-pass
yield, and the scrap rule (where an entry is booked, what it classifies and what it moves)."""

import math
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from core.quality.catalog import CharacteristicView, TemplateView
from core.quality.checks import checked_values, number
from core.quality.control_charts import (
    ControlChartError, control_chart, individuals_chart, xbar_r_chart,
)
from core.quality.first_pass_yield import YieldFigures, first_pass_yield, rolled_throughput_yield
from core.quality.limits import Limits, in_limits, verdict
from core.quality.machine_context import QualityError
from core.quality.reject_counting import Booking, PeriodUnits, booking_period, split_scrap
from core.quality.scrap_moments import LATEST, made_by_choices, made_by_moment, moment_text, period_text
from core.shift_calendar import ShiftDefinition

WEIGHT = Limits(995.0, 1010.0, "g")


@pytest.mark.parametrize("value, inside", [
    (995.0, True), (1010.0, True), (1000.0, True),  # a value on a limit is in limits
    (994.999, False), (1010.001, False), (-1e9, False), (math.nan, False), (math.inf, False),
])
def test_in_limits_includes_both_limits(value, inside):
    assert in_limits(value, WEIGHT) is inside


def test_one_sided_limits():
    assert in_limits(1e9, Limits(7.0, None)) and not in_limits(6.99, Limits(7.0, None))
    assert in_limits(-5.0, Limits(None, 0.5)) and not in_limits(0.51, Limits(None, 0.5))
    assert Limits(7.0, None, "mm").text() == "at least 7 mm" and Limits(None, 0.5).text() == "at most 0.5"


def test_verdict_says_which_limit_and_by_how_much():
    assert verdict(1000.0, WEIGHT) == "in limits"
    assert verdict(993.5, WEIGHT) == "below the lower limit 995 g by 1.5 g"
    assert verdict(1010.25, WEIGHT) == "above the upper limit 1010 g by 0.25 g"
    assert WEIGHT.text() == "995 – 1010 g"


def test_individuals_chart_of_a_known_case():
    chart = individuals_chart([10.0, 12.0, 11.0, 13.0, 14.0])
    # mean 12, moving ranges 2, 1, 2, 1 -> MR-bar 1.5; limits 12 ± 2.66 x 1.5 = 12 ± 3.99
    assert chart.kind == "I-MR" and chart.location.centre == pytest.approx(12.0)
    assert (chart.location.lower, chart.location.upper) == (pytest.approx(8.01), pytest.approx(15.99))
    assert chart.spread.points == (2.0, 1.0, 2.0, 1.0) and chart.spread.centre == pytest.approx(1.5)
    assert (chart.spread.lower, chart.spread.upper) == (0.0, pytest.approx(4.9005))
    assert chart.location.out_of_control == () and chart.spread.out_of_control == ()


def test_individuals_chart_marks_a_point_beyond_its_limits():
    chart = individuals_chart([10.0, 10.0, 10.0, 10.0, 20.0])
    # mean 12, MR-bar 2.5 -> UCL 18.65: the 20 is out; its moving range 10 > 3.267 x 2.5 = 8.1675 too
    assert chart.location.upper == pytest.approx(18.65)
    assert chart.location.out_of_control == (4,) and chart.spread.out_of_control == (3,)


def test_xbar_r_chart_of_a_known_case():
    chart = xbar_r_chart([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0], [3.0, 4.0, 5.0]])
    # means 2, 3, 4 -> grand mean 3; ranges 2 -> R-bar 2; n = 3: A2 1.023, D3 0, D4 2.574
    assert chart.kind == "X-bar/R" and chart.subgroup_size == 3
    assert chart.location.points == (2.0, 3.0, 4.0) and chart.location.centre == pytest.approx(3.0)
    assert (chart.location.lower, chart.location.upper) == (pytest.approx(0.954), pytest.approx(5.046))
    assert (chart.spread.centre, chart.spread.lower, chart.spread.upper) == (2.0, 0.0, pytest.approx(5.148))


def test_xbar_r_chart_uses_d3_from_seven_values_on():
    chart = xbar_r_chart([[1, 2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7, 8]])
    # ranges 6 -> R-bar 6; n = 7: A2 0.419, D3 0.076, D4 1.924; grand mean 4.5
    assert (chart.spread.lower, chart.spread.upper) == (pytest.approx(0.456), pytest.approx(11.544))
    assert (chart.location.lower, chart.location.upper) == (pytest.approx(4.5 - 2.514), pytest.approx(4.5 + 2.514))


def test_control_chart_picks_the_chart_by_subgroup_size_and_refuses_what_it_cannot_draw():
    assert control_chart([[1.0], [2.0], [4.0]]).kind == "I-MR"
    assert control_chart([[1.0, 2.0], [2.0, 3.0]]).kind == "X-bar/R"
    for bad, message in (([[1.0]], "at least two"), ([[1.0, 2.0], [1.0, 2.0, 3.0]], "same size"),
                         ([[1.0] * 11, [2.0] * 11], "2 to 10")):
        with pytest.raises(ControlChartError, match=message):
            control_chart(bad)


def test_first_pass_yield_and_rolled_throughput_yield():
    assert first_pass_yield(95, 5) == pytest.approx(0.95)
    assert first_pass_yield(0, 0) is None and YieldFigures(0, 0).first_pass_yield is None
    assert YieldFigures(90, 10).total == 100
    # a scrap move of 5 on a machine that counted 100 good, 0 reject: good 95, reject 5
    assert YieldFigures(100 - 5, 0 + 5).first_pass_yield == pytest.approx(0.95)
    assert rolled_throughput_yield([0.9, 0.8, None]) == pytest.approx(0.72)
    assert rolled_throughput_yield([None, None]) is None


def test_scrap_classifies_the_machines_own_rejects_first_and_moves_the_surplus():
    # a PLC counted 1000 good and 4 rejects in the shift; nothing scrapped yet: 50 -> 4 classified, 46 moved
    units = PeriodUnits(good=1000, moved=0, machine_rejects=4, classified=0)
    assert (units.unclassified, units.movable, units.most) == (4, 1000, 1004)
    assert split_scrap(50, units) == Booking(4, 46)
    assert split_scrap(3, units) == Booking(3, 0)
    # one reject counted, already classified by an earlier entry: everything is moved (the old heuristic lost it)
    assert split_scrap(60, PeriodUnits(good=500, moved=0, machine_rejects=1, classified=1)) == Booking(0, 60)
    # good 1000, 980 already moved: at most 20 more, and never below zero
    units = PeriodUnits(good=1000, moved=980, machine_rejects=0, classified=0)
    assert units.most == 20 and split_scrap(20, units) == Booking(0, 20)
    with pytest.raises(ValueError):
        split_scrap(21, units)
    assert Booking(12, 38).explanation("BAG1") == "12 classified (already counted by BAG1), 38 moved from good to reject"
    assert Booking(0, 5).explanation("BAG1") == "5 moved from good to reject"


AKRON = ZoneInfo("America/New_York")
SHIFTS = (ShiftDefinition("Early", time(6), time(14)), ShiftDefinition("Late", time(14), time(22)))


def test_the_booking_period_is_the_shift_or_the_local_day_between_shifts():
    early = booking_period(SHIFTS, AKRON, datetime(2026, 3, 2, 18, 59, tzinfo=timezone.utc))  # 13:59 local
    assert (early.name, early.start, early.end) == ("Early", datetime(2026, 3, 2, 11, tzinfo=timezone.utc),
                                                    datetime(2026, 3, 2, 19, tzinfo=timezone.utc))
    night = booking_period(SHIFTS, AKRON, datetime(2026, 3, 3, 4, tzinfo=timezone.utc))  # 23:00 local, no shift
    assert (night.name, night.start, night.end) == ("", datetime(2026, 3, 3, 3, tzinfo=timezone.utc),
                                                    datetime(2026, 3, 3, 5, tzinfo=timezone.utc))
    day = booking_period((), AKRON, datetime(2026, 3, 3, 4, tzinfo=timezone.utc))  # no calendar: the local day
    assert (day.start, day.end) == (datetime(2026, 3, 2, 5, tzinfo=timezone.utc),
                                    datetime(2026, 3, 3, 5, tzinfo=timezone.utc))
    assert period_text(early, AKRON) == "the Early shift of Mon 2 Mar" and period_text(day, AKRON) == "Mon 2 Mar"
    assert period_text(night, AKRON) == "Mon 2 Mar 22:00–00:00"


def test_when_the_parts_were_made_is_offered_and_read():
    now = datetime(2026, 3, 3, 11, 5, tzinfo=timezone.utc)  # Tue 06:05 in Akron
    choices = made_by_choices(SHIFTS, AKRON, now)
    assert [c.label for c in choices[:3]] == ["Latest production", "Early shift · Tue 3 Mar", "Late shift · Mon 2 Mar"]
    assert made_by_moment(choices[2].value, now) == datetime(2026, 3, 3, 2, 59, 59, 999999, tzinfo=timezone.utc)
    assert made_by_moment(choices[1].value, now) == now and made_by_moment(LATEST, now) == now
    assert [c.label for c in made_by_choices((), AKRON, now)[:3]] == ["Latest production", "Today", "Yesterday"]
    with pytest.raises(QualityError, match="when were the parts made"):
        made_by_moment("2026-03-03T06:00", now)  # no time zone
    assert moment_text(now, now, AKRON) == "06:05"
    assert moment_text(datetime(2026, 3, 2, 18, 59, tzinfo=timezone.utc), now, AKRON) == "Mon 2 Mar 13:59"


def _template(samples: int = 2) -> TemplateView:
    return TemplateView(1, "T", "Weight check", "BAG1", (
        CharacteristicView(7, "W", "Weight", "g", 1000.0, WEIGHT, samples),))


def test_checked_values_reads_numbers_and_wants_every_sample():
    assert number("12,5") == 12.5 and number(" 3 ") == 3.0 and number("abc") is None and number(True) is None
    assert number("nan") is None
    assert checked_values(_template(), {"W": ["999,5", 1001]}) == {7: [999.5, 1001.0]}
    for values, message in (({"W": [999.0]}, "enter 2 numbers"), ({"W": [None, ""]}, "enter 2 numbers"),
                            ({"W": [999.0, "x"]}, "sample 2 is 'x', not a number"),
                            ({"W": ["", 999.0]}, "sample 1 is empty"),
                            ({}, "Weight: enter"), ({"W": [1, 2], "Z": [1]}, "no characteristic 'Z'")):
        with pytest.raises(QualityError, match=message):
            checked_values(_template(), values)
