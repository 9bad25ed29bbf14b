"""Features of downtime risk: exact values on a hand-made morning, no leakage from after the moment, the plant
words of every feature, and the dataset's shape (columns, dtypes, moments inside shifts)."""

import pickle
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from core.ml.dataset import build_dataset, clock_hour_start, hourly_moments
from core.ml.feature_words import feature_specs
from core.ml.features import features_at
from core.ml.history import ProductAt, history_from_records
from core.plant.config_ml import MlSettings
from core.plant.equipment import Machine, SiteCalendar
from core.shift_calendar import ShiftDefinition
from core.timeline import CountAt, StateAt

MON_TO_SAT = ("mon", "tue", "wed", "thu", "fri", "sat")
CALENDAR = SiteCalendar("Akron", ZoneInfo("America/New_York"), "USD", 0.75, (
    ShiftDefinition("Early", time(6), time(14), MON_TO_SAT), ShiftDefinition("Late", time(14), time(22), MON_TO_SAT)))
BAGGER = Machine(7, "BAG1", "Bagger 1", "L1", "Line 1", 1.0, 120.0, 400.0, "sim", "", 0, {})
FAULTS = {"F02": "Jam at infeed", "F04": "Main drive overload", "F12": "Photo-eye fault"}
SETTINGS = MlSettings()  # stops of 10 minutes or more within 4 hours
T = datetime(2026, 3, 2, 15, tzinfo=timezone.utc)  # Monday 10:00 in New York: 4 hours into the Early shift
NEW_PRODUCT = T - timedelta(minutes=20, seconds=30) + timedelta(microseconds=500)  # holds for counts from -20:29


def at(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


def a_morning(extra=()) -> tuple[list[StateAt], list[CountAt], list[ProductAt], list[datetime]]:
    """Minutes relative to T: a 20-minute breakdown, a changeover, a 1-minute small stop, then stops of 5 and
    10 minutes (the second re-posted with another fault), 5 minutes idle, and a stop begun a minute before T."""
    timeline = [(-300, "running", None), (-200, "down", "F04"), (-180, "running", None),
                (-100, "changeover", None), (-90, "running", None), (-50, "down", "F12"), (-49, "running", None),
                (-40, "down", "F12"), (-35, "running", None), (-30, "idle", None), (-25, "running", None),
                (-20, "down", "F12"), (-15, "down", "F02"), (-10, "running", None), (-1, "down", "F04"),
                (5, "running", None), *extra]
    changes = [StateAt(BAGGER.id, at(m), state, None, "plc", fault) for m, state, fault in timeline]
    counts = [CountAt(BAGGER.id, at(-90), 3000, 0), CountAt(BAGGER.id, at(-30), 1000, 50),
              CountAt(BAGGER.id, at(-5), 1000, 50)]
    products = [ProductAt(at(-300), "P-100"), ProductAt(NEW_PRODUCT, "P-200", 0.5)]
    preventive = [T - timedelta(hours=160), T + timedelta(hours=2)]
    return changes, counts, products, preventive


def morning_history():
    changes, counts, products, preventive = a_morning()
    return history_from_records(BAGGER, changes, counts, CALENDAR, products, preventive,
                                start=T - timedelta(hours=1), end=T + timedelta(hours=6))


def features_of(history, moment: datetime) -> dict:
    return {name: values[0] for name, values in
            features_at(history, np.array([moment.timestamp()]), SETTINGS, FAULTS).items()}


def test_stops_faults_and_calendar_as_of_a_moment():
    f = features_of(morning_history(), T)
    assert (f["machine"], f["product"], f["shift"]) == ("BAG1", "P-200", "Early")
    assert (f["hour_of_day"], f["weekday"], f["hours_into_shift"]) == (10.0, 0.0, 4.0)
    # the stop begun a minute before T has not reached the 120 s micro-stop threshold yet: neither kind
    assert (f["down_stops_1h"], f["small_stops_1h"], f["down_stops_4h"], f["small_stops_4h"]) == (2, 1, 3, 1)
    assert f["down_seconds_1h"] == pytest.approx(60 + 300 + 600 + 60)
    assert f["down_seconds_4h"] == pytest.approx(1200 + 1020)
    assert (f["idle_seconds_1h"], f["changeovers_1h"], f["changeovers_4h"]) == (pytest.approx(300), 0, 1)
    assert (f["faults_1h:F12"], f["faults_1h:F02"], f["faults_1h:F04"], f["faults_24h:F04"]) == (3, 1, 1, 2)
    assert f["hours_since_preventive"] == pytest.approx(160.0)
    assert f["hours_since_long_stop"] == pytest.approx(10 / 60)  # the 10-minute stop, over at -10


def test_cycle_drift_and_reject_rate_from_the_whole_hours_before():
    f = features_of(morning_history(), T)
    # last hour: 2280 s running; 1050 units at P-100's (the machine's) 1.0 s and 1050 at P-200's 0.5 s
    assert f["cycle_drift_1h"] == pytest.approx(2280 / (1050 + 525) - 1)
    assert f["reject_rate_4h"] == pytest.approx(100 / 5100)
    later = features_of(morning_history(), T + timedelta(minutes=30))  # same whole hours: same figures
    assert later["cycle_drift_1h"] == f["cycle_drift_1h"] and later["reject_rate_24h"] == f["reject_rate_24h"]
    assert np.isnan(features_of(morning_history(), T - timedelta(hours=3))["cycle_drift_1h"])  # nothing counted


def test_a_long_stop_going_on_is_zero_hours_ago_and_none_in_48_hours_is_unknown():
    history = morning_history()
    assert features_of(history, at(-190))["hours_since_long_stop"] == 0.0  # the breakdown since -200
    assert np.isnan(features_of(history, at(-190.5))["hours_since_long_stop"])  # 10 minutes not reached yet
    assert np.isnan(features_of(history, at(-20) + timedelta(hours=48, minutes=1))["hours_since_long_stop"])


def test_a_units_ideal_cycle_is_the_products_from_the_whole_second_after_its_change():
    changes, _, _, _ = a_morning()
    counts = [CountAt(BAGGER.id, NEW_PRODUCT + timedelta(microseconds=200_000), 10, 0),  # the change's second
              CountAt(BAGGER.id, NEW_PRODUCT + timedelta(seconds=1), 10, 0)]
    history = history_from_records(BAGGER, changes, counts, CALENDAR, a_morning()[2], start=T, end=T)
    assert list(history.hour_ideal_s) == [10 * 1.0 + 10 * 0.5]


def test_records_from_the_end_on_are_left_out_as_the_store_leaves_them():
    changes, counts, products, preventive = a_morning()
    history = history_from_records(BAGGER, changes, counts, CALENDAR, products, preventive, start=T, end=at(-5))
    assert history.change_at[-1] == at(-10).timestamp() and history.hour_good.sum() == 4000
    assert list(history.product_at) == [p.at.timestamp() for p in products]
    assert list(history.preventive_done) == [preventive[0].timestamp()]
    with pytest.raises(ValueError, match="aware"):
        history_from_records(BAGGER, changes, counts, CALENDAR, end=datetime(2026, 3, 2))


def random_history(rng, end: datetime, changes_per_hour: float = 8):
    start = end - timedelta(days=4)
    seconds = np.cumsum(rng.exponential(3600 / changes_per_hour, int(4 * 24 * changes_per_hour * 1.2)))
    seconds = seconds[seconds < 4 * 86400]
    states = rng.choice(["running", "down", "down", "idle", "changeover", "planned_stop", "no_data"], len(seconds))
    changes = [StateAt(BAGGER.id, start + timedelta(seconds=float(s)), str(state), None, "sim",
                       str(rng.choice(list(FAULTS))) if state == "down" else None)
               for s, state in zip(seconds, states)]
    counts = [CountAt(BAGGER.id, start + timedelta(minutes=m), int(rng.integers(0, 60)), int(rng.integers(0, 3)))
              for m in range(1, 4 * 1440)]
    products = [ProductAt(start + timedelta(hours=h, seconds=float(rng.uniform(0, 3600))), f"P-{h}",
                          float(rng.choice([0.5, 2.0]))) for h in range(0, 96, 7)]
    preventive = [start + timedelta(hours=h) for h in (5, 50, 80)]
    return changes, counts, products, preventive, start


def rewrite_after(records, t: datetime, rng):
    """Every record strictly after t replaced: new states and faults at new times (the first a millisecond after
    t, so the state in force at t ends at once), other counts (one right after t), other products."""
    changes, counts, products, preventive, _ = records
    later = sorted(t + timedelta(seconds=float(s)) for s in rng.uniform(0.001, 86400, sum(c.at > t for c in changes)))
    states = ["running", "down", "idle", "changeover"]
    in_force = next((c.state for c in reversed(changes) if c.at <= t), "running")
    changes = [c for c in changes if c.at <= t] + [
        StateAt(BAGGER.id, moment, str(rng.choice([s for s in states if s != in_force]) if i == 0 else
                                       rng.choice(states)), None, "sim", str(rng.choice(list(FAULTS))))
        for i, moment in enumerate([t + timedelta(milliseconds=1)] + later)]
    counts = [c for c in counts if c.at <= t] + [CountAt(BAGGER.id, t + timedelta(seconds=0.5), 999, 99)] + [
        replace(c, at=c.at + timedelta(seconds=17), good=c.good * 3 + 1) for c in counts if c.at > t]
    products = [p for p in products if p.at <= t] + [ProductAt(t + timedelta(seconds=0.25), "P-LATE", 9.0)]
    return changes, counts, products, [d for d in preventive if d <= t] + [t + timedelta(seconds=1)]


def of_records(records, start: datetime, end: datetime):
    changes, counts, products, preventive = records
    return history_from_records(BAGGER, changes, counts, CALENDAR, products, preventive, start=start, end=end)


def test_features_as_of_a_moment_ignore_everything_after_it():
    rng = np.random.default_rng(7)
    end = datetime(2026, 3, 7, tzinfo=timezone.utc)
    records = random_history(rng, end)
    changes, start = records[0], records[4]
    moments = ([start + timedelta(hours=h) for h in range(30, 95, 5)]  # on the hour
               + [start + timedelta(hours=50, seconds=float(s)) for s in rng.uniform(0, 7200, 8)]  # anywhere
               + [c.at for c in changes[len(changes) // 2:len(changes) // 2 + 6]])  # right on a change
    labels_differ = 0
    for moment in moments:
        original = of_records(records[:4], start, end)
        rewritten = of_records(rewrite_after(records, moment, rng), start, end)
        before, after = features_of(original, moment), features_of(rewritten, moment)
        assert before.keys() == after.keys()
        for name in before:
            assert before[name] == after[name] or (pd.isna(before[name]) and pd.isna(after[name])), (moment, name)
        both = build_dataset([original, rewritten], [[moment.timestamp()]] * 2, SETTINGS, FAULTS).frame
        labels_differ += both["label"].nunique(dropna=False) > 1
    assert labels_differ > 0  # the rewrite did change what happened next: the test can tell leakage apart


def test_every_feature_has_plant_words():
    specs = {spec.name: spec for spec in feature_specs({"F12": "Photo-eye fault"}, SETTINGS)}
    assert specs["faults_1h:F12"].describe(3.0) == "fault F12 (Photo-eye fault) 3 times in the last hour"
    assert specs["faults_24h:F12"].describe(1.0) == "fault F12 (Photo-eye fault) once in the last 24 hours"
    assert specs["faults_1h:F12"].describe(0.0) == "no fault F12 (Photo-eye fault) in the last hour"
    assert specs["cycle_drift_1h"].describe(0.08) == "cycle time 8% slow over the last hour"
    assert specs["cycle_drift_4h"].describe(-0.031) == "cycle time 3.1% fast over the last 4 hours"
    assert specs["cycle_drift_1h"].describe(float("nan")) == "no units counted in the last hour"
    assert specs["down_stops_4h"].describe(12.0) == "12 stops in the last 4 hours"
    assert specs["down_seconds_1h"].describe(1380.0) == "down 23 minutes in the last hour"
    assert specs["small_stops_1h"].describe(1.0) == "1 small stop in the last hour"
    assert specs["reject_rate_24h"].describe(0.021) == "2.1% rejects over the last 24 hours"
    assert specs["hours_into_shift"].describe(7.5, {"shift": "Late"}) == "7.5 hours into the Late shift"
    assert specs["hours_into_shift"].describe(7.5) == "7.5 hours into the shift"
    assert specs["hours_since_preventive"].describe(160.2) == "160 hours since the last preventive maintenance"
    assert specs["hours_since_long_stop"].describe(3.5) == "3.5 hours since the last stop of 10 minutes or more"
    assert specs["product"].describe("P-200") == "producing P-200"
    assert specs["product"].describe(None) == "no product set"
    assert specs["weekday"].describe(1.0) == "on a Tuesday"
    assert pickle.loads(pickle.dumps(tuple(specs.values()))) == tuple(specs.values())  # an artefact may keep them
    frame = build_dataset([morning_history()], [[T.timestamp()]], SETTINGS, {"F12": "Photo-eye fault"}).frame
    row = frame.iloc[0].to_dict()
    for name, spec in specs.items():  # every value of a real row, and unknown, reads as words
        assert spec.describe(row[name], row) and spec.describe(float("nan"))


def test_the_dataset_has_a_row_per_machine_and_hour_in_a_shift():
    changes, counts, products, preventive = a_morning()
    other = replace(BAGGER, id=8, code="CHK1")
    histories = [history_from_records(m, [replace(c, equipment_id=m.id) for c in changes],
                                      [replace(c, equipment_id=m.id) for c in counts], CALENDAR, products, preventive,
                                      start=datetime(2026, 3, 1, 5, tzinfo=timezone.utc), end=T + timedelta(hours=6))
                 for m in (BAGGER, other)]
    hours = hourly_moments(histories[0])
    local = [datetime.fromtimestamp(h, ZoneInfo("America/New_York")) for h in hours]
    # from Sunday 1 March 00:00 local, which has no shift, to Monday 16:00 local, when the history ends
    assert [m.hour for m in local] == [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    data = build_dataset(histories, "hourly", SETTINGS, FAULTS)
    frame = data.frame
    assert list(frame.columns) == ["equipment_id", "at", "label"] + data.feature_names
    assert len(frame) == 2 * len(hours) and frame["at"].is_monotonic_increasing
    assert {c: str(frame[c].dtype) for c in ("machine", "product", "shift")} == dict.fromkeys(
        ("machine", "product", "shift"), "category")
    assert list(frame["machine"].cat.categories) == ["BAG1", "CHK1"]
    numbers = [s.name for s in data.specs if s.kind == "number"]
    assert all(frame[c].dtype == "float64" for c in numbers + ["at", "label"])
    assert frame["equipment_id"].dtype == "int64"
    assert set(frame["label"].dropna()) <= {0.0, 1.0}
    now = build_dataset(histories, T + timedelta(hours=6), SETTINGS, FAULTS).frame  # scoring at the data's end
    assert list(now["equipment_id"]) == [7, 8] and now["label"].isna().all()


def test_bad_moments_are_refused_in_words():
    with pytest.raises(ValueError, match="one sequence per machine"):
        build_dataset([morning_history()], "daily", SETTINGS, FAULTS)
    with pytest.raises(ValueError, match="2 sequences of moments for 1 machines"):
        build_dataset([morning_history()], [[1.0], [2.0]], SETTINGS, FAULTS)
    with pytest.raises(ValueError, match="aware"):
        build_dataset([morning_history()], datetime(2026, 3, 2), SETTINGS, FAULTS)


def test_moments_are_the_sites_local_clock_hours_even_in_a_half_hour_zone():
    """Training rows and scorings share one grid: the site's local clock hours. In Kolkata (UTC+5:30) the shift
    starts at 06:00 local, 00:30 UTC; a moment on the UTC hour would read 06:30 and half an hour into the shift,
    values the trees never see at a scoring made on the local hour."""
    kolkata = SiteCalendar("Pune", ZoneInfo("Asia/Kolkata"), "INR", 0.75,
                           (ShiftDefinition("Early", time(6), time(14), MON_TO_SAT),))
    changes, counts, products, preventive = a_morning()
    history = history_from_records(BAGGER, changes, counts, kolkata, products, preventive,
                                   start=datetime(2026, 3, 1, 22, tzinfo=timezone.utc), end=T + timedelta(hours=6))
    local = [datetime.fromtimestamp(h, ZoneInfo("Asia/Kolkata")) for h in hourly_moments(history)]
    # Monday 2 March 06:00 to 13:00 local (the history ends at 20:30 local)
    assert [(m.day, m.hour, m.minute) for m in local] == [(2, h, 0) for h in range(6, 14)]
    frame = build_dataset([history], "hourly", SETTINGS, FAULTS).frame
    assert list(frame["hours_into_shift"]) == [float(h) for h in range(8)]
    assert list(frame["hour_of_day"]) == [float(h) for h in range(6, 14)]
    # a scoring at 10:36 local is made as of 10:00 local, a moment of the same grid
    scored = clock_hour_start(datetime(2026, 3, 2, 10, 36, tzinfo=ZoneInfo("Asia/Kolkata")), "Asia/Kolkata")
    assert scored == datetime(2026, 3, 2, 4, 30, tzinfo=timezone.utc) and scored.timestamp() in set(frame["at"])
    assert clock_hour_start(datetime(2026, 3, 2, 15, tzinfo=timezone.utc), ZoneInfo("America/New_York")) == \
        datetime(2026, 3, 2, 15, tzinfo=timezone.utc)  # on the hour: itself
    # New York's spring-forward night: 01:59 is followed by 03:00, whose hour began at 03:00
    assert clock_hour_start(datetime(2026, 3, 8, 7, 20, tzinfo=timezone.utc), "America/New_York") == \
        datetime(2026, 3, 8, 7, tzinfo=timezone.utc)
