"""Polling stores what changed and counts exactly across restarts; the demo's history backfill resumes cleanly."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from core.persistence.timeline_tables import CountIncrement
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.sim_plant import backfill_history
from core.plc.reading_store import StoreRules, store_readings
from core.plc.readings import TimedReading
from core.plc.tag_rules import MachineReading, no_data
from core.timeline import count_totals, state_changes

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


NO_DATA = no_data("timed out")


def reading(state="running", good=0, reject=0):
    return MachineReading(state, None, None, good, reject)


def store(db, machine, value, at):
    store_readings(db, [TimedReading(machine.id, at, value)])


def test_counts_are_exact_across_a_restart_and_an_outage(database_url, plant):
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    seconds = lambda s: T0 + timedelta(seconds=s)  # noqa: E731
    store(plant, bagger, reading(good=1000, reject=10), seconds(0))  # starting point only
    store(plant, bagger, reading(good=1005, reject=10), seconds(5))  # too soon to count
    store(plant, bagger, reading(good=1012, reject=11), seconds(11))
    store(plant, bagger, NO_DATA, seconds(12))  # PLC unreachable
    # a new jobs process (restart or takeover) goes on from the stored baseline
    store(plant, bagger, reading(good=1030, reject=12), seconds(30))
    store(plant, bagger, reading("down", good=4, reject=0), seconds(45))  # counter reset
    assert count_totals(plant, [bagger.id], T0, seconds(60))[bagger.id] == (30 + 4, 2)
    timeline = state_changes(plant, [bagger.id], T0, seconds(60))[bagger.id]
    assert [c.state for c in timeline] == ["running", "no_data", "running", "down"]


def test_a_machine_first_heard_as_no_data_does_not_count_its_whole_counter(database_url, plant):
    mixer = next(m for m in machines(plant) if m.code == "MIX1")
    store(plant, mixer, NO_DATA, T0)
    store(plant, mixer, reading(good=5_000_000), T0 + timedelta(seconds=20))
    store(plant, mixer, reading(good=5_000_020), T0 + timedelta(seconds=40))
    assert count_totals(plant, [mixer.id], T0, T0 + timedelta(minutes=1))[mixer.id] == (20, 0)


def test_backfill_writes_history_and_resumes_where_it_stopped(database_url, plant):
    plant_machines = machines(plant)
    calendar, faults = site_calendar(plant), fault_catalog(plant)
    first = backfill_history(plant, plant_machines, calendar, faults, T0 - timedelta(days=1), T0)
    assert first.machines == 8 and first.state_changes > 100 and first.count_rows > 1000
    again = backfill_history(plant, plant_machines, calendar, faults, T0 - timedelta(days=1), T0)
    assert again.count_rows == 0 and again.state_changes == 0  # nothing new to write
    later = backfill_history(plant, plant_machines, calendar, faults, T0 - timedelta(days=1), T0 + timedelta(hours=1))
    assert 0 < later.count_rows <= 8 * 60
    with plant() as session:
        latest = session.scalar(select(func.max(CountIncrement.at)))
    assert latest <= T0 + timedelta(hours=1)
    bagger = next(m for m in plant_machines if m.code == "BAG1")
    good, reject = count_totals(plant, [bagger.id], T0 - timedelta(days=1), T0)[bagger.id]
    assert 20_000 < good + reject < 86_400 and 0 < reject < 0.05 * (good + reject)


def test_spool_entries_replayed_after_a_crash_are_stored_once(database_url, plant):
    from core.plc.reading_store import StoreRules, store_spooled
    from core.plc.readings import reading_entry

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    entries = [(seq, reading_entry(TimedReading(bagger.id, T0 + timedelta(seconds=10 * seq), reading(good=good))))
               for seq, good in ((1, 100), (2, 130), (3, 160))]
    store_spooled(plant, "spool-a", entries[:2], StoreRules())
    again = store_spooled(plant, "spool-a", entries, StoreRules())  # the removal from the spool never happened
    assert again.skipped == 2 and again.readings == 1
    assert count_totals(plant, [bagger.id], T0, T0 + timedelta(minutes=1))[bagger.id] == (60, 0)


def test_a_reading_older_than_the_last_one_stored_is_skipped(database_url, plant):
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    store(plant, bagger, reading(good=100), T0)
    store(plant, bagger, reading(good=200), T0 + timedelta(seconds=20))
    store(plant, bagger, reading(good=150), T0 + timedelta(seconds=10))  # from a spool drained late
    store(plant, bagger, reading(good=210), T0 + timedelta(seconds=30))
    assert count_totals(plant, [bagger.id], T0, T0 + timedelta(minutes=1))[bagger.id] == (110, 0)


def test_a_fault_raises_one_andon_call_once_it_outlasts_the_small_stop_threshold(database_url, plant):
    from core.persistence.andon_tables import AndonCall
    from core.plc.reading_store import StoreRules

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    rules = StoreRules({"F04": "high"}, {bagger.id: 120.0})
    down = MachineReading("down", "MOTOR", "F04", None, None)
    at = lambda s: T0 + timedelta(seconds=s)  # noqa: E731
    store_readings(plant, [TimedReading(bagger.id, at(0), reading())], rules)
    store_readings(plant, [TimedReading(bagger.id, at(10), down), TimedReading(bagger.id, at(60), down)], rules)
    with plant() as session:
        assert session.scalars(select(AndonCall)).all() == []  # 50 s: a small stop so far
    store_readings(plant, [TimedReading(bagger.id, at(131), down), TimedReading(bagger.id, at(200), down)], rules)
    store_readings(plant, [TimedReading(bagger.id, at(300), reading())], rules)
    with plant() as session:
        calls = session.scalars(select(AndonCall)).all()
    assert [(c.fault_code, c.priority, c.raised_at, c.status) for c in calls] == [("F04", "high", at(131), "open")]


def test_a_reject_counter_missing_from_one_read_neither_loses_nor_invents_rejects(database_url, plant):
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    at = lambda s: T0 + timedelta(seconds=s)  # noqa: E731
    store(plant, bagger, reading(good=100, reject=4_995), at(0))
    store(plant, bagger, MachineReading("running", None, None, 110, None), at(20))  # the reject tag failed
    store(plant, bagger, reading(good=120, reject=5_000), at(40))
    assert count_totals(plant, [bagger.id], T0, at(60))[bagger.id] == (20, 5)


def test_an_entry_the_database_refuses_is_set_aside_and_the_rest_is_stored(database_url, plant, tmp_path):
    from core.plc.readings import reading_entry
    from core.plc.spool import ReadingSpool
    from core.plc.spool_drain import SpoolDrainer

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    spool = ReadingSpool(tmp_path / "spool.sqlite")
    spool.append([reading_entry(TimedReading(bagger.id, T0, reading(good=10))),
                  reading_entry(TimedReading(999_999, T0, reading(good=10))),  # no such machine: refused
                  reading_entry(TimedReading(bagger.id, T0 + timedelta(seconds=30), reading("down", good=40)))])
    drainer = SpoolDrainer(plant, spool, StoreRules)
    summary = drainer.drain_once()
    assert (summary.readings, drainer.refused, spool.depth) == (2, 1, 0)
    assert count_totals(plant, [bagger.id], T0, T0 + timedelta(minutes=1))[bagger.id] == (30, 0)
    assert [c.state for c in state_changes(plant, [bagger.id], T0, T0 + timedelta(minutes=1))[bagger.id]] == [
        "running", "down"]
    spool.close()
