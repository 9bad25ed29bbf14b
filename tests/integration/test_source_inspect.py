"""`floorboard sync inspect`: reading a real CIMCO-style MariaDB source and proposing its `[[sources]]` block."""

from __future__ import annotations

import tomllib

import pytest

from core.plant.config_schema import Source
from core.sync.source_connection import make_source_engine
from core.sync.source_inspect import (InspectionProblem, guess_state, inspect_source, inspection_text,
                                      propose_source_block, suggested_code)
from tests.support.cimco_source import REALISTIC_ROWS, REALISTIC_SOURCE_BLOCK


@pytest.fixture
def cimco_engine(cimco):
    """A read-only engine on a CIMCO-style database holding REALISTIC_ROWS."""
    cimco.insert_rows(REALISTIC_ROWS)
    engine = make_source_engine(cimco.url)
    yield engine
    engine.dispose()


def proposed_source(block: str) -> Source:
    return Source.model_validate(tomllib.loads(block)["sources"][0])


@pytest.mark.mysql
def test_inspection_lists_both_tables_and_samples_the_job_log(cimco_engine):
    inspection = inspect_source(cimco_engine)

    assert [table.name for table in inspection.tables] == ["JobLogOB", "Operators"]
    assert inspection.job_log_table == "JobLogOB"
    log = inspection.table("joblogob")
    assert [c.name for c in log.columns][:4] == ["ID", "MachineName", "State", "StartTime"]
    assert [c.name for c in log.columns if c.primary_key] == ["ID"]
    assert log.row_estimate is not None and log.row_estimate >= 0
    assert log.distinct_values["State"] == ("DOWN", "IDLE", "RUN", "SETUP", "WARMUP")
    assert set(log.distinct_values["MachineName"]) == {"Haas VF-2 #1", "Mazak QTN-200 Ü", "Okuma LB3000"}
    assert inspection.table("Operators").distinct_values == {}
    shown = inspection_text(inspection)
    assert "JobLogOB" in shown and "Operators" in shown and "looks like the job log" in shown
    assert "State values: DOWN, IDLE, RUN, SETUP, WARMUP" in shown


@pytest.mark.mysql
def test_the_proposed_block_matches_the_cimco_table_and_validates(cimco_engine):
    block = propose_source_block(inspect_source(cimco_engine), "cimco", "CIMCO_TEST_URL")
    source = proposed_source(block)

    assert source.table == "JobLogOB" and source.id_column == "ID" and source.updated_column == "Modified"
    assert source.columns.model_dump() == REALISTIC_SOURCE_BLOCK["columns"]
    assert source.states == REALISTIC_SOURCE_BLOCK["states"]
    assert '# WARMUP = "?"' in block  # not guessed: left for a person to map
    assert source.equipment == {}  # names are not codes: only suggested, in comments
    assert '# "Mazak QTN-200 Ü" = "Mazak_QTN-200_U"' in block


@pytest.mark.mysql
def test_machines_whose_code_the_plant_has_are_mapped(cimco_engine):
    inspection = inspect_source(cimco_engine, table_hint="JobLogOB")
    block = propose_source_block(inspection, "cimco", "CIMCO_TEST_URL", equipment_codes=["okuma_lb3000", "CNC1"])

    assert proposed_source(block).equipment == {"Okuma LB3000": "okuma_lb3000"}
    assert '# "Haas VF-2 #1" = "Haas_VF-2_1"' in block


@pytest.mark.mysql
def test_a_table_that_is_no_job_log_gets_its_missing_columns_as_comments(cimco_engine):
    inspection = inspect_source(cimco_engine)
    block = propose_source_block(inspection, "cimco", "CIMCO_TEST_URL", table="Operators")

    for key in ("id_column", "equipment", "state", "start"):
        assert f'# {key} = "?"' in block
    tomllib.loads(block)  # still TOML, to fill in
    with pytest.raises(InspectionProblem, match="no table 'JobLog'"):
        inspect_source(cimco_engine, table_hint="JobLog")


@pytest.mark.parametrize("value, state", [
    ("RUN", "running"), ("In Cycle", "running"), ("AUTO", "running"), ("ALARM", "down"), ("CYCLE STOP", "down"),
    ("Set-Up", "changeover"), ("WAIT", "idle"), ("Lunch break", "planned_stop"), ("PLANNED STOP", "planned_stop"),
    ("WARMUP", None), ("", None),
])
def test_state_values_are_guessed_by_their_words(value, state):
    assert guess_state(value) == state


def test_suggested_codes_are_equipment_codes():
    assert suggested_code("Mazak QTN-200 Ü") == "Mazak_QTN-200_U"
    assert suggested_code("Haas VF-2 #1") == "Haas_VF-2_1"
    assert suggested_code("###") == "MACHINE"
