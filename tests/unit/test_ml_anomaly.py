"""The anomaly model on minutes made in memory: a cycle time 20 % slower for half an hour is flagged and named,
ordinary minutes mostly are not, flagged minutes merge into stretches, a stretch is stored once, and the lift of
long stops after flagged minutes is counted only where the outcome is known."""

import numpy as np
import pytest

from core.ml.anomaly_evaluation import FollowCounts, followed_by_long_stop, long_stop_starts
from core.ml.anomaly_minutes import (CYCLE_TIME, HOUR, REJECT_SHARE, UNITS, minutes_from_records,
                                     running_seconds, tag_feature)
from core.ml.anomaly_model import (Stretch, closed, describe, fit_machine, merge_flagged, stretches, unstored)

T0 = 1_771_000_020 // 60 * 60  # a minute boundary
DAY = 1440
JUMP = (600, 630)  # minutes of the scored day during which every unit takes 20 % longer


def machine_minutes(rng, days: int, jump: tuple[int, int] | None = None, first: int | None = None):
    """A bagger of ideal cycle 1 s from T0 on: its speed wanders (a new one every 20 minutes, plus jitter a
    minute), it stands for a minute now and then, rejects 1 % and its motor sits near 65 degrees. `jump`: minutes
    (from T0) during which every unit takes 20 % longer; `first`: the first minute returned (the earlier ones
    only fill its windows)."""
    n = days * DAY
    speed = np.repeat(rng.normal(0.9, 0.02, n // 20 + 1), 20)[:n] + rng.normal(0, 0.02, n)
    cycle = 1.0 / speed
    if jump is not None:
        cycle[jump[0]:jump[1]] *= 1.2
    running = np.where(rng.random(n) < 0.92, 60.0, 20.0)  # a minute of 20 s running is left out
    units = np.round(running / cycle + rng.normal(0, 1, n)).clip(0)
    reject = rng.binomial(units.astype(int), 0.01)
    temperature = 65 + rng.normal(0, 0.5, n)
    return minutes_from_records(1, "BAG1", T0 + 60 * np.arange(n), running, units - reject, reject,
                                {"Bagger.MotorTemp": temperature}, first=first)


@pytest.fixture(scope="module")
def scored():
    """Trained on five days, then the sixth day scored, half an hour of it 20 % slow."""
    first = T0 + 5 * DAY * 60
    jump = (5 * DAY + JUMP[0], 5 * DAY + JUMP[1])
    model = fit_machine(machine_minutes(np.random.default_rng(7), 5))
    day = machine_minutes(np.random.default_rng(7), 6, jump, first)  # the same five days, then the sixth
    scores, flagged = model.score(day)
    slow = (day.minutes >= first + JUMP[0] * 60) & (day.minutes < first + JUMP[1] * 60)
    return model, day, scores, flagged, slow


def test_a_cycle_time_20_percent_slower_for_half_an_hour_is_flagged_and_named(scored):
    model, day, scores, flagged, jump = scored
    assert flagged[jump].mean() >= 0.8
    found = stretches(model, day, scores, flagged)
    during = [s for s in found if s.start < day.minutes[jump][-1] + 60 and s.end > day.minutes[jump][0]]
    covered = np.zeros(len(day.minutes), dtype=bool)
    for s in during:
        covered |= (day.minutes >= s.start) & (day.minutes < s.end)
    assert covered[jump].mean() >= 0.9
    for odd in during:  # the five-minute or the hour's cycle time
        assert odd.feature.removesuffix(HOUR) == CYCLE_TIME
        assert odd.detail.startswith("cycle time ") and "slower than usual" in odd.detail
        assert odd.score == pytest.approx(scores[(day.minutes >= odd.start) & (day.minutes < odd.end)].min())
    main = max(during, key=lambda s: s.flagged_minutes)
    assert main.feature == CYCLE_TIME and main.flagged_minutes >= 20
    percent = int(main.detail.split("cycle time ")[1].split("%")[0])
    assert 15 <= percent <= 25


def test_ordinary_minutes_are_mostly_left_alone(scored):
    model, day, scores, flagged, jump = scored
    after = (day.minutes > day.minutes[jump][-1]) & (day.minutes <= day.minutes[jump][-1] + 3600)
    assert flagged[~jump & ~after].mean() < 0.02  # the hour after still holds slow minutes in its window
    found = stretches(model, day, scores, flagged)
    assert sum(1 for s in found if s.end <= day.minutes[jump][0] or s.start > day.minutes[jump][-1] + 3600) <= 3


def test_flagged_minutes_two_minutes_apart_join_and_a_lone_pair_is_noise():
    minutes = T0 + 60 * np.arange(20)
    flagged = np.zeros(20, dtype=bool)
    flagged[[0, 1, 2, 5, 6, 10, 11]] = True  # 2 unflagged minutes between 2 and 5: joined; 3 between 6 and 10: not
    groups = merge_flagged(minutes, flagged, gap_minutes=2, min_flagged=3)
    assert [g.tolist() for g in groups] == [[0, 1, 2, 5, 6]]  # 10-11 is two flagged minutes alone: dropped
    assert [g.tolist() for g in merge_flagged(minutes, flagged, gap_minutes=2, min_flagged=2)] == [
        [0, 1, 2, 5, 6], [10, 11]]
    # minutes missing from the array (the machine stood) count as gap too
    sparse = minutes[[0, 1, 2, 6, 7, 8]]
    assert [g.tolist() for g in merge_flagged(sparse, np.ones(6, dtype=bool), 2, 3)] == [[0, 1, 2], [3, 4, 5]]


def test_a_stretch_is_stored_once_and_an_open_one_waits():
    a = Stretch(1, T0, T0 + 600, -0.7, CYCLE_TIME, "cycle time 20% slower than usual", 10)
    b = Stretch(1, T0 + 3600, T0 + 3900, -0.68, UNITS, "40 units a minute against 54 usually", 5)
    c = Stretch(2, T0, T0 + 300, -0.66, REJECT_SHARE, "4.0% rejects against 1.0% usually", 5)
    end = T0 + 3900 + 120  # b's last flagged minute began 3 minutes before the end: a later minute may join it
    assert closed([a, b, c], end, gap_minutes=2) == [a, c]
    assert closed([a, b, c], end + 1, gap_minutes=2) == [a, b, c]
    first = unstored([a, c], {})
    assert first == [a, c]
    stored = {1: [(float(a.start), float(a.end))], 2: [(float(c.start), float(c.end))]}
    again = Stretch(1, T0 + 120, T0 + 660, -0.69, CYCLE_TIME, "cycle time 19% slower than usual", 9)  # seen anew
    assert unstored([a, again, c], stored) == []
    assert unstored([b], stored) == [b]  # no overlap with machine 1's stored stretch


def test_running_seconds_per_minute_and_stopped_minutes_left_out():
    times = np.array([T0 + 30, T0 + 150, T0 + 170], dtype=float)  # running 30 s into minute 0, down 150-170
    ran = running_seconds(times, np.array([True, False, True]), T0 + 60 * np.arange(4))
    assert ran.tolist() == [30.0, 60.0, 40.0, 60.0]
    minutes = minutes_from_records(1, "BAG1", T0 + 60 * np.arange(4), ran, np.array([20, 50, 30, 48]),
                                   np.array([0, 2, 0, 0]), {"Bagger.MotorTemp": np.array([60.0, 61, 62, np.nan])})
    assert minutes.minutes.tolist() == [T0 + 60, T0 + 180]  # 30 s and 40 s of running: not most of the minute
    fast = (UNITS, CYCLE_TIME, REJECT_SHARE, tag_feature("Bagger.MotorTemp"))
    assert minutes.features == fast + tuple(f + HOUR for f in fast)
    first = minutes.values[0]
    assert first[0] == 52 and first[1] == pytest.approx(60 / 52) and first[2] == pytest.approx(2 / 52)
    assert first[3] == 61
    second = minutes.values[1]  # two minutes later: the median over the last five minutes of the two minutes
    assert second[0] == 50 and second[3] == 61  # the tag was not read in the second minute: its only value


def test_features_over_the_last_five_minutes_and_the_last_hour():
    starts = T0 + 60 * np.arange(10)
    good = np.array([50] * 5 + [40] * 5)  # slower from the sixth minute on
    minutes = minutes_from_records(1, "BAG1", starts, np.full(10, 60.0), good, np.zeros(10), {})
    last = dict(zip(minutes.features, minutes.values[-1]))
    assert last[UNITS] == 40 and last[UNITS + HOUR] == 45
    assert last[CYCLE_TIME] == pytest.approx(1.5) and last[CYCLE_TIME + HOUR] == pytest.approx((1.2 + 1.5) / 2)
    assert dict(zip(minutes.features, minutes.values[4]))[UNITS] == 50  # nothing after a minute counts for it


def test_words_for_each_kind_of_feature():
    assert describe(CYCLE_TIME, 1.14, 1.0) == "cycle time 14% slower than usual (1.14 s a unit against 1.00 s)"
    assert describe(CYCLE_TIME, 0.9, 1.0).startswith("cycle time 10% faster than usual")
    assert describe(UNITS, 41, 55) == "41.0 units a minute against 55.0 usually"
    assert describe(REJECT_SHARE, 0.12, 0.005) == "12.0% rejects against 0.5% usually"
    assert describe(tag_feature("Mixer.MotorTemp"), 71.3, 65.1) == \
        "Mixer.MotorTemp 6.20 above usual (71.3 against 65.1)"
    assert describe(CYCLE_TIME + HOUR, 1.09, 1.0).startswith("cycle time over the last hour 9% slower than usual")
    assert describe(tag_feature("Mixer.MotorTemp") + HOUR, 63, 65.1).startswith(
        "Mixer.MotorTemp over the last hour 2.10 below usual")


def test_long_stops_and_the_lift_count_only_known_outcomes():
    states = np.array(["running", "down", "down", "running", "down", "running", "down"])
    times = np.array([0, 600, 900, 1500, 5000, 5300, 20000], dtype=float)
    # 600-1500 down (two changes, one run, 15 min): long; 5000-5300 (5 min): short; 20000-: still down at the end
    assert long_stop_starts(times, states, 20300, 10).tolist() == [600.0]
    assert long_stop_starts(times, states, 20700, 10).tolist() == [600.0, 20000.0]
    minutes = np.array([-1000, 60, 9000, 13000], dtype=float)
    known, followed = followed_by_long_stop(minutes, np.array([600.0, 20000.0]), 20700, 10, hours=2)
    assert known.tolist() == [True, True, True, False]  # 13060 + 2 h + 10 min runs past the data
    assert followed.tolist() == [True, True, False, True]  # 600 began within 2 h of -940 and of 120; 20000 of 13060
    counts = FollowCounts()
    counts.add(np.array([True, False, False]), np.array([True, False, False]))
    figures = counts.figures()
    assert figures["long_stop_rate_after_flagged"] == 1.0 and figures["long_stop_rate_after_unflagged"] == 0.0
    assert figures["lift"] is None  # nothing to divide by: not invented
    counts.add(np.array([False, False]), np.array([True, False]))
    assert counts.figures()["lift"] == pytest.approx(1.0 / (1 / 4))
