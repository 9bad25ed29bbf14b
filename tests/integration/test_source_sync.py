"""Syncing a CIMCO-style MariaDB source into the store (SQLite and MariaDB): exact, idempotent, and recovering
from a failure in the middle of a batch and from a killed connection. The source is a real MariaDB database
made by tests/support/cimco_source.py."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.oee.rollups import refresh_rollups
from core.oee.service import Scope, oee_for, shift_window, window_between
from core.persistence.product_tables import ProductChange, ProductRow
from core.persistence.sync_tables import MachineJobRow, OperatorRow, QuarantinedRow, SyncedRow, SyncSourceRow
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config
from core.plant.equipment import machines, site_calendar
from core.sync.source_connection import SourceEngines
from core.sync.quarantine_retry import retry_quarantined
from core.sync.source_sync import sync_source
from core.timeline import count_totals
from tests.support.cimco_source import (HAAS, MAZAK, OKUMA, REALISTIC_PLANT_TOML, REALISTIC_ROWS, ZERO_DATE,
                                        generate_rows, generated_plant_toml, kill_other_connections)

pytestmark = pytest.mark.mysql  # the source is always MariaDB; the store is SQLite or MariaDB
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)


def local(day: int, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 3, day, hours, minutes, tzinfo=BERLIN).astimezone(timezone.utc)


@pytest.fixture
def realistic(database_url, db, cimco):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    cimco.insert_rows(REALISTIC_ROWS)
    return db, cimco, SourceEngines({"CIMCO_TEST_URL": cimco.url})


def taken(rows=REALISTIC_ROWS):
    """The rows the sync must take: known machine and state, a start, no end before it, not a duplicate."""
    seen, kept = set(), []
    for index, row in enumerate(rows, start=1):
        if row["MachineName"] == OKUMA or row["State"] not in {"RUN", "DOWN", "SETUP", "IDLE"} \
                or row["StartTime"] == ZERO_DATE or (row["EndTime"] and row["EndTime"] < row["StartTime"]):
            continue
        if (row["MachineName"], row["StartTime"]) in seen:
            continue
        seen.add((row["MachineName"], row["StartTime"]))
        kept.append((index, row))
    return kept


def units(db, code: str, start: datetime, end: datetime) -> tuple[int, int]:
    machine = next(m for m in machines(db) if m.code == code)
    return count_totals(db, [machine.id], start, end)[machine.id]


def timeline(db, code: str) -> list[tuple[datetime, str]]:
    machine = next(m for m in machines(db) if m.code == code)
    with db() as session:
        return [(at, state) for at, state in session.execute(
            select(StateChange.at, StateChange.state).where(StateChange.equipment_id == machine.id)
            .order_by(StateChange.at, StateChange.id))]


def products(db, code: str) -> list[tuple[datetime, str]]:
    machine = next(m for m in machines(db) if m.code == code)
    with db() as session:
        return [tuple(change) for change in session.execute(
            select(ProductChange.at, ProductChange.product_code).where(ProductChange.equipment_id == machine.id)
            .order_by(ProductChange.at))]


def sums(db) -> tuple[int, int, int, int]:
    with db() as session:
        return (session.scalar(select(func.count()).select_from(SyncedRow)),
                session.scalar(select(func.count()).select_from(StateChange)),
                session.scalar(select(func.coalesce(func.sum(CountIncrement.good), 0))),
                session.scalar(select(func.coalesce(func.sum(CountIncrement.reject), 0))))


def test_a_day_of_cimco_rows_becomes_timelines_counts_parts_operators_and_jobs(realistic):
    db, _, engines = realistic
    report = sync_source(db, "cimco", engines, now=lambda: NOW)

    kept = taken()
    assert report.error is None
    assert (report.read, report.written, report.quarantined) == (len(REALISTIC_ROWS), len(kept), 7)
    assert sums(db)[0] == len(kept)
    # Haas: contiguous rows give one change each; the collector's gap 15:10-15:30 is no_data, not RUN stretched
    haas = timeline(db, "CNC1")
    assert haas[:3] == [(local(3, "06:00"), "changeover"), (local(3, "06:40"), "running"), (local(3, "09:30"), "down")]
    assert (local(3, "15:10"), "no_data") in haas and (local(3, "15:30"), "running") in haas
    assert [state for _, state in haas].count("no_data") == 1  # only at the gap; the open row has no end
    # Every unit of the taken rows, once; the job across midnight counts on both days, half and half
    for code, name in (("CNC1", HAAS), ("LATHE1", MAZAK)):
        rows = [row for _, row in kept if row["MachineName"] == name]
        assert units(db, code, local(1, "00:00"), local(6, "00:00")) == (
            sum(row["PartsGood"] or 0 for row in rows), sum(row["PartsBad"] or 0 for row in rows))
    assert units(db, "LATHE1", local(3, "22:00"), local(4, "00:00")) == (240, 4)
    assert units(db, "LATHE1", local(4, "00:00"), local(4, "02:00")) == (240, 4)
    # The open Haas row spreads its units up to its Modified time (22:00), not to the sync's clock
    assert units(db, "CNC1", local(3, "21:00"), local(3, "22:00")) == (120, 1)
    with db() as session:
        assert set(session.scalars(select(ProductRow.code).where(ProductRow.origin == "sync:cimco"))) == {
            "P-100", "P-200", "P-300", "P-410", "P-420"}
        assert set(session.scalars(select(OperatorRow.code))) == {"E017", "E022", "E031", "E040"}
        assert set(session.scalars(select(MachineJobRow.number))) == {
            "J26-1001", "J26-1002", "J26-1003", "J26-1010", "J26-1011"}
        reasons = dict(session.execute(select(QuarantinedRow.source_row_id, QuarantinedRow.reason)).all())
        source = session.scalar(select(SyncSourceRow))
    # A product change where the part changes, not one a row
    assert products(db, "CNC1") == [(local(3, "06:00"), "P-100"), (local(3, "12:30"), "P-200"),
                                     (local(3, "21:00"), "P-300")]
    assert products(db, "LATHE1") == [(local(3, "06:20"), "P-410"), (local(3, "21:30"), "P-420")]
    assert len(reasons) == 7
    assert reasons[12].startswith("StartTime is not a time") and "unknown state value 'WARMUP'" in reasons[13]
    assert "ends before it starts" in reasons[23]
    assert all("unknown machine 'Okuma LB3000'" in reasons[i] for i in (24, 25, 26))
    assert reasons[27] == "a duplicate: the same machine and start time as source row 4"
    assert (source.run_ok, source.watermark_id, source.rows_read, source.rows_quarantined) == (True, 27, 27, 7)
    assert source.lag_rows == 0 and source.last_error is None


def test_each_shift_gets_the_units_made_in_it(realistic):
    db, _, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    calendar = site_calendar(db)

    def good(day: int, shift: str) -> int:
        window = shift_window(calendar, date(2026, 3, day), shift)
        return oee_for(db, Scope(equipment="LATHE1"), window, NOW).figures.as_dict()["good_count"]

    # Day, 06:00-18:00: 570 and 270, and of the RUN 14:40-21:30 (820 good) the 200 of its 410 minutes before 18:00
    assert good(3, "Day") == 570 + 270 + 400
    # Night, 18:00-06:00: the rest of that run, and the whole job across midnight (22:00-02:00, 480 good)
    assert good(3, "Night") == 420 + 480


def test_a_rerun_writes_nothing_and_new_rows_are_all_the_next_run_writes(realistic):
    db, cimco, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    before = sums(db)

    again = sync_source(db, "cimco", engines, now=lambda: NOW)
    assert (again.written, again.refused, again.quarantined, sums(db)) == (0, 7, 0, before)  # read again: no change

    cimco.update_row(22, EndTime=datetime(2026, 3, 4, 3, 0), Modified=datetime(2026, 3, 4, 3, 0))  # Mazak's down
    cimco.insert_rows([{"MachineName": MAZAK, "State": "RUN", "StartTime": datetime(2026, 3, 4, 3, 0),
                        "EndTime": datetime(2026, 3, 4, 4, 0), "PartsGood": 100, "PartsBad": 2,
                        "Modified": datetime(2026, 3, 4, 4, 0)}])
    third = sync_source(db, "cimco", engines, now=lambda: NOW)
    assert third.written == 2  # the new row, and the open row now closed; nothing else is rewritten
    assert sums(db) == (before[0] + 1, before[1] + 2, before[2] + 100, before[3] + 2)  # its start, and no_data at 04:00
    assert timeline(db, "LATHE1")[-3:] == [(local(4, "02:00"), "down"), (local(4, "03:00"), "running"),
                                          (local(4, "04:00"), "no_data")]


def test_a_row_changed_after_its_sync_replaces_what_it_wrote(realistic):
    db, cimco, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    cimco.update_row(2, PartsGood=300, PartsBad=9, State="RUN", Modified=datetime(2026, 3, 3, 23, 0))

    report = sync_source(db, "cimco", engines, now=lambda: NOW)
    assert report.written == 1
    assert units(db, "CNC1", local(3, "06:40"), local(3, "09:30")) == (300, 9)
    assert timeline(db, "CNC1").count((local(3, "06:40"), "running")) == 1

    # Its part changed: the row starts a product, and the next row, unchanged, goes back to the old one
    cimco.update_row(2, PartNumber="P-150", Modified=datetime(2026, 3, 3, 23, 5))
    sync_source(db, "cimco", engines, now=lambda: NOW)
    assert products(db, "CNC1")[:4] == [(local(3, "06:00"), "P-100"), (local(3, "06:40"), "P-150"),
                                        (local(3, "09:30"), "P-100"), (local(3, "12:30"), "P-200")]
    cimco.update_row(2, PartNumber="P-100", Modified=datetime(2026, 3, 3, 23, 10))
    sync_source(db, "cimco", engines, now=lambda: NOW)
    assert products(db, "CNC1")[:2] == [(local(3, "06:00"), "P-100"), (local(3, "12:30"), "P-200")]


def test_a_failure_in_the_middle_of_a_batch_then_a_rerun_gives_exact_counts(db, cimco, database_url):
    rows = generate_rows(1200, machines=4)
    apply_plant_config(db, parse_plant_toml(small_batches(generated_plant_toml(4))))
    cimco.bulk_insert(rows)
    engines = SourceEngines({"CIMCO_TEST_URL": cimco.url})

    def crash(batch):
        if batch == 3:
            raise RuntimeError("the jobs process died here")

    with pytest.raises(RuntimeError):
        sync_source(db, "cimco_bench", engines, now=lambda: NOW, before_commit=crash)
    assert sums(db)[0] == 2 * 200  # two batches whole, the third not at all
    with db() as session:
        assert session.scalar(select(SyncSourceRow.last_error)) == "the jobs process died here"

    report = sync_source(db, "cimco_bench", engines, now=lambda: NOW)
    assert report.error is None
    assert sums(db)[0] == 1200
    assert sums(db)[2:] == (sum(row["PartsGood"] for row in rows), sum(row["PartsBad"] for row in rows))
    assert sums(db)[1] == 1200  # one change a row; contiguous rows need no gap marker


def test_a_connection_killed_during_a_run_fails_that_run_and_the_next_recovers(db, cimco, database_url):
    rows = generate_rows(1000, machines=4)
    apply_plant_config(db, parse_plant_toml(small_batches(generated_plant_toml(4))))
    cimco.bulk_insert(rows)
    engines = SourceEngines({"CIMCO_TEST_URL": cimco.url})

    def kill(batch):
        if batch == 2:
            assert kill_other_connections(cimco.server_url, cimco.database) >= 1

    failed = sync_source(db, "cimco_bench", engines, now=lambda: NOW, before_commit=kill)
    assert failed.error and "Lost connection" in failed.error
    assert 0 < sums(db)[0] < 1000
    with db() as session:
        source = session.scalar(select(SyncSourceRow))
        assert (source.run_ok, source.runs_failed) == (False, 1) and "Lost connection" in source.last_error
        assert source.failing_since == NOW and source.last_error.endswith("(MySQL error 2013)")

    recovered = sync_source(db, "cimco_bench", engines, now=lambda: NOW)  # the same engine: pre-ping reconnects
    assert recovered.error is None
    with db() as session:
        assert session.scalar(select(SyncSourceRow.failing_since)) is None
    assert sums(db)[0] == 1000
    assert sums(db)[2] == sum(row["PartsGood"] for row in rows)


def small_batches(plant_toml: str) -> str:
    return plant_toml.replace('name = "cimco_bench"', 'name = "cimco_bench"\nbatch_size = 200\noverlap_ids = 50', 1)


def test_a_synced_row_that_leaves_for_the_quarantine_leaves_a_gap_and_hands_its_product_on(realistic):
    db, cimco, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    assert (local(3, "12:30"), "changeover") in timeline(db, "CNC1")
    refresh_rollups(db, NOW)
    cimco.update_row(6, State="WARMUP", Modified=datetime(2026, 3, 4, 8, 0))  # SETUP 12:30-13:00, P-200

    sync_source(db, "cimco", engines, now=lambda: NOW)
    assert refresh_rollups(db, NOW).since <= local(3, "12:30")  # the roll-ups are recomputed from there
    haas = timeline(db, "CNC1")
    assert (local(3, "12:30"), "changeover") not in haas
    assert (local(3, "12:30"), "no_data") in haas  # the IDLE row before it is not stretched over the gap
    assert (local(3, "13:00"), "running") in haas
    assert products(db, "CNC1") == [(local(3, "06:00"), "P-100"), (local(3, "13:00"), "P-200"),
                                     (local(3, "21:00"), "P-300")]  # the next row with P-200 starts it now

    cimco.update_row(6, State="SETUP", Modified=datetime(2026, 3, 4, 8, 30))  # fixed in the source
    sync_source(db, "cimco", engines, now=lambda: NOW)
    assert (local(3, "12:30"), "no_data") not in timeline(db, "CNC1")
    assert products(db, "CNC1") == [(local(3, "06:00"), "P-100"), (local(3, "12:30"), "P-200"),
                                     (local(3, "21:00"), "P-300")]


def test_a_stub_of_no_length_before_the_real_row_takes_nothing_from_it(realistic):
    db, cimco, engines = realistic
    cimco.insert_rows([
        {"MachineName": HAAS, "State": "IDLE", "StartTime": datetime(2026, 3, 5, 8, 0),
         "EndTime": datetime(2026, 3, 5, 8, 0), "Modified": datetime(2026, 3, 5, 8, 0)},
        {"MachineName": HAAS, "State": "RUN", "StartTime": datetime(2026, 3, 5, 8, 0),
         "EndTime": datetime(2026, 3, 5, 9, 0), "PartsGood": 100, "PartsBad": 0, "Modified": datetime(2026, 3, 5, 9, 0)}])

    report = sync_source(db, "cimco", engines, now=lambda: NOW)
    assert (report.written, report.quarantined) == (22, 7)
    assert timeline(db, "CNC1")[-2:] == [(local(5, "08:00"), "running"), (local(5, "09:00"), "no_data")]
    assert units(db, "CNC1", local(5, "08:00"), local(5, "09:00")) == (100, 0)


def test_a_change_stamped_in_the_future_does_not_hide_later_changes(realistic):
    db, cimco, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    cimco.update_row(22, Modified=datetime(2036, 3, 4, 2, 0))  # a collector with its clock ten years ahead
    sync_source(db, "cimco", engines, now=lambda: NOW)
    cimco.update_row(11, EndTime=datetime(2026, 3, 3, 23, 0), PartsGood=200, Modified=datetime(2026, 3, 4, 9, 0))

    sync_source(db, "cimco", engines, now=lambda: NOW)
    assert units(db, "CNC1", local(3, "21:00"), local(3, "23:00")) == (200, 1)
    with db() as session:
        assert session.scalar(select(SyncSourceRow.watermark_updated)) <= NOW


def test_a_retry_keeps_the_row_as_read_when_it_is_gone_from_the_source(realistic):
    db, cimco, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    with cimco.connect() as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM JobLogOB WHERE ID = 13")

    retry_quarantined(db, "cimco", engines, now=lambda: NOW)
    with db() as session:
        row = session.scalar(select(QuarantinedRow).where(QuarantinedRow.source_row_id == 13))
    assert row.reason == "the row is no longer in the source"
    assert json.loads(row.raw)["State"] == "WARMUP"


def test_quarantined_rows_are_taken_by_a_retry_once_the_mapping_is_fixed(realistic):
    db, _, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    fixed = REALISTIC_PLANT_TOML.replace('IDLE = "idle"', 'IDLE = "idle"\nWARMUP = "changeover"').replace(
        '[sources.equipment]', '[sources.equipment]\n"Okuma LB3000" = "CNC1"')
    assert fixed != REALISTIC_PLANT_TOML
    apply_plant_config(db, parse_plant_toml(fixed))

    report = retry_quarantined(db, "cimco", engines, now=lambda: NOW)
    assert report.error is None
    # WARMUP is taken now; Okuma maps to CNC1, where its 06:00 row is a duplicate of the Haas SETUP row
    assert report.taken_from_quarantine == 3
    with db() as session:
        left = dict(session.execute(select(QuarantinedRow.source_row_id, QuarantinedRow.reason)).all())
    assert set(left) == {12, 23, 24, 27}
    assert "source row 1" in left[24]
    assert (local(3, "06:00"), "changeover") in timeline(db, "LATHE1")


def test_the_synced_timelines_give_the_oee_of_the_same_data_posted_through_the_api(realistic, client, api_key):
    db, _, engines = realistic
    sync_source(db, "cimco", engines, now=lambda: NOW)
    window = window_between(local(3, "06:00"), local(4, "06:00"))
    synced = {scope: oee_for(db, scope, window, NOW).figures.as_dict()
              for scope in (Scope(equipment="CNC1"), Scope(equipment="LATHE1"), Scope(line="MCH"))}

    # The same rows, read plainly by this test, posted through the API into a store of their own: a state at
    # each start, no_data where a machine's row ends without another starting there, the units at the row's end
    with db.begin() as session:  # empty this store's timelines; the plant stays
        for table in (StateChange, CountIncrement, ProductChange):
            session.execute(table.__table__.delete())
    codes = {HAAS: "CNC1", MAZAK: "LATHE1"}
    kept = [row for _, row in taken()]
    starts = {(row["MachineName"], row["StartTime"]) for row in kept}
    events = []
    for row in kept:
        code, begin = codes[row["MachineName"]], row["StartTime"].replace(tzinfo=BERLIN)
        state = {"RUN": "running", "DOWN": "down", "SETUP": "changeover", "IDLE": "idle"}[row["State"]]
        events.append({"type": "state", "equipment": code, "at": begin.isoformat(), "state": state})
        end = row["EndTime"] or row["Modified"]
        if row["EndTime"] and (row["MachineName"], row["EndTime"]) not in starts:
            events.append({"type": "state", "equipment": code, "at": end.replace(tzinfo=BERLIN).isoformat(),
                           "state": "no_data"})
        if row["PartsGood"] or row["PartsBad"]:
            events.append({"type": "count", "equipment": code, "at": end.replace(tzinfo=BERLIN).isoformat(),
                           "good": row["PartsGood"] or 0, "reject": row["PartsBad"] or 0})
    response = client.post("/api/v1/events", json={"events": events}, headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 200, response.get_data(as_text=True)

    posted = {scope: oee_for(db, scope, window, NOW).figures.as_dict() for scope in synced}
    for scope, figures in synced.items():
        assert figures["oee"] is not None
        for key in ("availability", "performance", "quality", "oee", "good_count", "reject_count",
                    "planned_production_time_s", "run_time_s"):
            assert figures[key] == pytest.approx(posted[scope][key]), (scope, key)
