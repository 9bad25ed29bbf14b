"""The rule for a machine a PLC reads and a source logs too (one writer per kind), the sync job's ticks, and the
`[[sources]]` block in the plant file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core.persistence.product_tables import ProductChange, ProductRow
from core.persistence.sync_tables import SyncedRow, SyncSourceRow
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.plant.config_file import PlantFileError, dump_plant_toml, parse_plant_toml
from core.plant.config_store import apply_plant_config, read_plant_config
from core.plant.equipment import machines
from core.plc.reading_store import StoreRules, store_readings
from core.plc.readings import TimedReading
from core.plc.tag_rules import MachineReading
from core.sync.plc_precedence import taken_from_plcs
from core.sync.source_connection import SourceEngines
from core.sync.due_sources import sync_due_sources
from core.sync.source_plan import SyncError
from core.sync.source_sync import sync_source
from tests.support.cimco_source import REALISTIC_PLANT_TOML, REALISTIC_ROWS

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)
WITH_PLC = REALISTIC_PLANT_TOML.replace('code = "CNC1"', 'code = "CNC1"\nplc = { driver = "sim" }')


def written(db, code: str) -> tuple[int, int, int]:
    """(state changes, count rows, product changes) the machine has."""
    machine = next(m for m in machines(db) if m.code == code)
    with db() as session:
        return tuple(session.scalar(select(func.count()).select_from(table).where(table.equipment_id == machine.id))
                     for table in (StateChange, CountIncrement, ProductChange))


@pytest.mark.mysql
def test_by_default_the_plc_keeps_its_machines_states_and_counts(database_url, db, cimco):
    apply_plant_config(db, parse_plant_toml(WITH_PLC))
    cimco.insert_rows(REALISTIC_ROWS)
    sync_source(db, "cimco", SourceEngines({"CIMCO_TEST_URL": cimco.url}), now=lambda: NOW)

    states, counts, products = written(db, "CNC1")
    assert (states, counts) == (0, 0) and products > 0  # the PLC machine: its part still comes from the source
    assert all(figure > 0 for figure in written(db, "LATHE1"))
    assert taken_from_plcs(db).states == frozenset() and taken_from_plcs(db).counts == frozenset()


@pytest.mark.mysql
def test_a_source_that_takes_a_plc_machines_states_stops_the_poller_writing_them(database_url, db, cimco):
    apply_plant_config(db, parse_plant_toml(WITH_PLC.replace('[sources.columns]',
                                                             '[sources.plc]\nstates = "source"\n\n[sources.columns]')))
    cimco.insert_rows(REALISTIC_ROWS)
    sync_source(db, "cimco", SourceEngines({"CIMCO_TEST_URL": cimco.url}), now=lambda: NOW)
    cnc = next(m for m in machines(db) if m.code == "CNC1")
    assert written(db, "CNC1")[:2] == (12, 0)  # 11 rows and the gap; no units: the PLC counts them

    taken = taken_from_plcs(db)
    assert (taken.states, taken.counts) == (frozenset({cnc.id}), frozenset())
    rules = StoreRules(states_from_source=taken.states, counts_from_source=taken.counts)
    at = NOW + timedelta(hours=1)
    store_readings(db, [TimedReading(cnc.id, at, MachineReading("running", None, None, 100, 0)),
                        TimedReading(cnc.id, at + timedelta(minutes=1), MachineReading("down", None, None, 160, 2))],
                   rules)
    assert written(db, "CNC1")[:2] == (12, 1)  # the poller's counts are stored, its states are not


def test_the_sources_block_is_checked_dumped_and_kept(db):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    again = parse_plant_toml(dump_plant_toml(read_plant_config(db)))
    assert again.sources == parse_plant_toml(REALISTIC_PLANT_TOML).sources

    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(REALISTIC_PLANT_TOML.replace('"Mazak QTN-200 Ü" = "LATHE1"', '"Mazak QTN-200 Ü" = "LATHE9"'))
    assert "sources[0].equipment: 'Mazak QTN-200 Ü' maps to 'LATHE9', which is no equipment code" in str(refused.value)
    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(REALISTIC_PLANT_TOML.replace('RUN = "running"', 'RUN = "walking"'))
    assert "sources[0].states.RUN" in str(refused.value)


def test_products_first_seen_in_machine_data_outlive_a_plant_load(db):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    with db.begin() as session:
        session.add(ProductRow(code="P-9", name="P-9", unit_cost=None, origin="sync:cimco", position=1, active=True))
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML.replace('name = "Machining"', 'name = "Hall"')))
    with db() as session:
        assert session.scalar(select(ProductRow.active).where(ProductRow.code == "P-9")) is True
    assert read_plant_config(db).products == []  # the plant file's products only


@pytest.mark.mysql
def test_the_job_syncs_a_source_when_due_or_asked_and_not_in_between(database_url, db, cimco):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    cimco.insert_rows(REALISTIC_ROWS)
    engines = SourceEngines({"CIMCO_TEST_URL": cimco.url})
    clock = [NOW]

    def tick():
        return [report.source for report in sync_due_sources(db, engines, lambda: clock[0])]

    assert tick() == ["cimco"]  # never run
    clock[0] += timedelta(seconds=30)
    assert tick() == []  # every_s is 60
    with db.begin() as session:
        source = session.scalar(select(SyncSourceRow))
        source.run_requested_at, source.retry_requested_at, source.requested_by = clock[0], clock[0], "ada"
    assert tick() == ["cimco", "cimco"]  # the retry asked for, then the run asked for
    with db() as session:
        assert session.scalar(select(SyncSourceRow.retry_requested_at)) is None
        assert session.scalar(select(func.count()).select_from(SyncedRow)) == 20
    clock[0] += timedelta(seconds=61)
    assert tick() == ["cimco"]


def test_a_source_whose_url_variable_is_unset_records_the_reason(db):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    report = sync_source(db, "cimco", SourceEngines({}), now=lambda: NOW)
    assert report.error.startswith("CIMCO_TEST_URL is not set")
    with db() as session:
        source = session.scalar(select(SyncSourceRow))
    assert (source.run_ok, source.runs_failed, source.last_error) == (False, 1, report.error)


@pytest.mark.mysql
def test_a_renamed_source_keeps_its_rows_and_watermark(database_url, db, cimco):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    cimco.insert_rows(REALISTIC_ROWS)
    engines = SourceEngines({"CIMCO_TEST_URL": cimco.url})
    sync_source(db, "cimco", engines, now=lambda: NOW)
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML.replace('name = "cimco"', 'name = "cimco_hall"')))

    again = sync_source(db, "cimco_hall", engines, now=lambda: NOW)
    assert (again.error, again.written) == (None, 0)  # not every row a second time
    with db() as session:
        assert session.scalar(select(func.count()).select_from(SyncedRow)) == 20
        assert session.scalar(select(func.sum(CountIncrement.good))) == 3695


def test_two_sources_on_one_table_are_refused():
    block = REALISTIC_PLANT_TOML[REALISTIC_PLANT_TOML.index("[[sources]]"):]
    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(REALISTIC_PLANT_TOML + "\n" + block.replace('name = "cimco"', 'name = "again"'))
    assert "duplicate source (url_env and table) 'CIMCO_TEST_URL/JobLogOB'" in str(refused.value)


def test_a_second_run_of_a_source_while_one_is_alive_is_refused(db):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    with db.begin() as session:
        source = session.scalar(select(SyncSourceRow))
        source.run_started_at = source.run_alive_at = NOW - timedelta(minutes=1)
    with pytest.raises(SyncError, match="a run of this source is going on since"):
        sync_source(db, "cimco", SourceEngines({}), now=lambda: NOW)
    # A run that wrote nothing for five minutes died with its process: the next one goes ahead
    report = sync_source(db, "cimco", SourceEngines({}), now=lambda: NOW + timedelta(minutes=6))
    assert report.error.startswith("CIMCO_TEST_URL is not set")
