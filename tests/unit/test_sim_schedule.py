"""The simulated machines: deterministic, continuous, stopping for planned time, producing near ideal speed."""

from datetime import datetime, timedelta, timezone

from core.plc.driver import TagValue
from core.plc.sim_driver import SimDriver
from core.plc.sim_schedule import PLANNED, RUN, MachineProfile, schedule

T0 = datetime(2026, 3, 2, 6, tzinfo=timezone.utc)
PROFILE = MachineProfile("BAG1", 1.0)


def test_the_same_seed_gives_the_same_schedule_whatever_the_window():
    whole = schedule(PROFILE, 7, T0, T0 + timedelta(hours=6), [])
    pieces = schedule(PROFILE, 7, T0, T0 + timedelta(hours=3), []) + schedule(PROFILE, 7, T0 + timedelta(hours=3),
                                                                              T0 + timedelta(hours=6), [])
    assert [(s.start, s.kind) for s in whole] == [(s.start, s.kind) for s in pieces]
    assert schedule(PROFILE, 8, T0, T0 + timedelta(hours=6), []) != whole


def test_segments_cover_the_window_without_gaps():
    segments = schedule(PROFILE, 1, T0, T0 + timedelta(hours=24), [])
    assert segments[0].start == T0 and segments[-1].end == T0 + timedelta(hours=24)
    assert all(a.end == b.start for a, b in zip(segments, segments[1:]))
    kinds = {s.kind for s in segments}
    assert {"run", "small_stop", "breakdown"} <= kinds


def test_planned_time_is_a_standstill():
    lunch = (T0 + timedelta(hours=2), T0 + timedelta(hours=2, minutes=30))
    segments = schedule(PROFILE, 1, T0, T0 + timedelta(hours=4), [lunch])
    assert any(s.kind == PLANNED and (s.start, s.end) == lunch for s in segments)
    assert not any(s.kind == RUN and s.start < lunch[1] and s.end > lunch[0] for s in segments)


def test_the_driver_counts_what_the_schedule_made():
    now = [T0]
    driver = SimDriver(PROFILE, {"running": "R", "good": "G", "reject": "X", "faults": "F", "changeover": "C"},
                       seed=3, planned=lambda a, b: [], clock=lambda: now[0])
    assert driver.read(["G", "X"]) == {"G": TagValue(0), "X": TagValue(0)}
    now[0] = T0 + timedelta(hours=2)
    values = {tag: value.value for tag, value in driver.read(["G", "X", "R"]).items()}
    running = sum(s.seconds for s in schedule(PROFILE, 3, T0, now[0], []) if s.kind == RUN)
    assert 0.75 * running <= values["G"] + values["X"] <= running  # 80-97 % of ideal speed while running


def test_changeovers_happen_when_the_product_changes():
    from core.plc.sim_schedule import CHANGEOVER, product_at

    segments = schedule(PROFILE, 5, T0, T0 + timedelta(days=3), [])
    changeovers = [s for s in segments if s.kind == CHANGEOVER]
    assert 4 <= len(changeovers) <= 30
    for segment in changeovers:
        before = product_at(PROFILE, 5, segment.start - timedelta(seconds=1))
        after = product_at(PROFILE, 5, segment.start)
        assert after in ("P-100", "P-200", "P-250", "P-300", "P-410") and after != before
    runs = [s for s in segments if s.kind == RUN]
    assert len({product_at(PROFILE, 5, s.start) for s in runs}) >= 2


def _calendar_plan():
    """The example plant's shifts and breaks, asked for any window (as the demo's drivers and backfill ask)."""
    from tests.support.ml_plant import example_calendar
    from core.shift_calendar import not_scheduled

    calendar = example_calendar()
    return lambda start, end: not_scheduled(list(calendar.shifts), calendar.zone, start, end)


def _merged(segments):
    """Segments with the cuts made by the asked window joined up again."""
    out = []
    for s in segments:
        if out and out[-1][1] == s.start and out[-1][2:] == (s.kind, s.fault_bit, s.rate_per_s):
            out[-1] = (out[-1][0], s.end) + out[-1][2:]
        else:
            out.append((s.start, s.end, s.kind, s.fault_bit, s.rate_per_s))
    return out


def test_hidden_causes_keep_the_schedule_the_same_whatever_the_window():
    import random

    plan, end = _calendar_plan(), T0 + timedelta(days=3)
    profile = MachineProfile("BAG1", 1.0, fault_bits=(0, 2, 3, 4, 5, 6, 7))
    whole = schedule(profile, 4, T0, end, plan)
    rng = random.Random(2)
    cuts = [T0] + sorted(T0 + timedelta(seconds=rng.uniform(0, 3 * 86400)) for _ in range(40)) + [end]
    pieces = [s for a, b in zip(cuts, cuts[1:]) for s in schedule(profile, 4, a, b, plan)]
    assert _merged(pieces) == _merged(whole)
    for _ in range(100):  # the driver asks one instant at a time
        moment = T0 + timedelta(seconds=rng.uniform(0, 3 * 86400))
        now = schedule(profile, 4, moment, moment + timedelta(microseconds=1), plan)[0]
        expected = next(s for s in whole if s.start <= moment < s.end)
        assert (now.kind, now.fault_bit, now.rate_per_s) == (expected.kind, expected.fault_bit, expected.rate_per_s)
    assert {"run", "small_stop", "breakdown", "planned"} <= {s.kind for s in whole}


def _merged_breakdowns(segments):
    return [(a, b) for a, b, kind, bit, _ in _merged(segments) if kind == "breakdown" and bit == 3]


def test_wear_out_failures_are_the_same_with_or_without_hidden_causes_and_never_in_planned_time():
    from dataclasses import replace

    plan, end = _calendar_plan(), T0 + timedelta(days=14)
    profile = MachineProfile("FIL2", 0.4, fault_bits=(0, 4, 5, 6, 7), failure_bit=3)  # bit 3: failures only
    with_causes = schedule(profile, 9, T0, end, plan)
    without = schedule(replace(profile, hidden_causes=False), 9, T0, end, plan)
    failures = [(a, b) for a, b in _merged_breakdowns(with_causes) if b - a >= timedelta(minutes=3)]
    assert 10 <= len(failures) <= 40  # about one every 15 scheduled hours
    assert failures == [(a, b) for a, b in _merged_breakdowns(without) if b - a >= timedelta(minutes=3)]
    planned = plan(T0, end)
    for segment in with_causes:
        if segment.kind != PLANNED:
            assert not any(a < segment.end and segment.start < b for a, b in planned), segment


def test_photo_eye_trips_and_slower_running_before_a_warned_failure_only_with_hidden_causes():
    from dataclasses import replace

    plan, end = _calendar_plan(), T0 + timedelta(days=14)
    profile = MachineProfile("CAP2", 0.4, fault_bits=(0, 3, 4, 5, 6, 7))
    for hidden in (True, False):
        segments = schedule(replace(profile, hidden_causes=hidden), 9, T0, end, plan)
        failures = [a for a, b in _merged_breakdowns(segments) if b - a >= timedelta(minutes=15)]
        trips_before = [sum(1 for s in segments if s.kind == "small_stop" and s.fault_bit == 7
                            and f - timedelta(hours=1) <= s.start < f) for f in failures]
        warned = sum(1 for n in trips_before if n >= 2) / len(failures)
        assert (warned >= 0.5) if hidden else (warned <= 0.1)


def test_the_live_driver_shows_the_failure_and_its_warnings():
    plan, end = _calendar_plan(), T0 + timedelta(days=7)
    profile = MachineProfile("CAP2", 0.4, fault_bits=(0, 4, 5, 6, 7))
    segments = schedule(profile, 9, T0, end, plan)
    failure = next(a for a, b in _merged_breakdowns(segments) if b - a >= timedelta(minutes=15))
    trip = next(s for s in segments if s.kind == "small_stop" and s.fault_bit == 7)
    now = [T0]
    driver = SimDriver(profile, {"running": "R", "faults": "F"}, seed=9, planned=plan, clock=lambda: now[0])
    for moment, word in ((failure + timedelta(minutes=1), 1 << 3), (trip.start, 1 << 7)):
        now[0] = moment
        assert {tag: v.value for tag, v in driver.read(["R", "F"]).items()} == {"R": False, "F": word}
