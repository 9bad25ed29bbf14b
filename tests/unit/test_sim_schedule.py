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
