"""`floorboard sync inspect|run|retry` against a real CIMCO-style MariaDB source, in-process with click's runner."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.audit import AuditFilter, find_entries
from core.persistence.database import make_engine, make_session_factory
from core.persistence.sync_tables import QuarantinedRow
from core.plant.config_schema import Source
from dashapp.cli import main
from tests.support.cimco_source import REALISTIC_PLANT_TOML, REALISTIC_ROWS

pytestmark = pytest.mark.mysql


@pytest.fixture
def run(tmp_path, monkeypatch, cimco):
    monkeypatch.setenv("FLOORBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FLOORBOARD_DATABASE_URL", raising=False)
    monkeypatch.setenv("CIMCO_TEST_URL", cimco.url)
    cimco.insert_rows(REALISTIC_ROWS)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    plant = tmp_path / "plant.toml"
    plant.write_text(REALISTIC_PLANT_TOML, encoding="utf-8")
    assert runner.invoke(main, ["plant", "load", str(plant)]).exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'floorboard.db'}")
    yield lambda *args: runner.invoke(main, list(args)), make_session_factory(engine), plant
    engine.dispose()


def test_inspect_lists_the_tables_and_proposes_a_block_that_validates(run):
    invoke, _, _ = run
    result = invoke("sync", "inspect", "cimco")
    assert result.exit_code == 0, result.output
    assert "JobLogOB" in result.output and "Operators" in result.output
    block = result.output[result.output.index("[[sources]]"):]
    source = Source.model_validate(tomllib.loads(block)["sources"][0])
    assert (source.url_env, source.table, source.columns.start) == ("CIMCO_TEST_URL", "JobLogOB", "StartTime")


def test_inspect_of_a_source_whose_variable_is_unset_says_which_variable(run):
    invoke, _, _ = run
    result = invoke("sync", "inspect", "erp")
    assert result.exit_code == 1
    assert "ERP_DATABASE_URL is not set" in result.output


def test_run_then_retry_after_the_mapping_is_fixed(run):
    invoke, db, plant = run
    result = invoke("sync", "run", "cimco")
    assert result.exit_code == 0, result.output
    assert "read 27, written 20, unchanged 0, newly quarantined 7" in result.output

    plant.write_text(REALISTIC_PLANT_TOML.replace('IDLE = "idle"', 'IDLE = "idle"\nWARMUP = "changeover"'),
                     encoding="utf-8")
    assert invoke("plant", "load", str(plant)).exit_code == 0
    retried = invoke("sync", "retry", "cimco")
    assert retried.exit_code == 0, retried.output
    assert "1 rows taken from the quarantine, 6 still there" in retried.output
    with db() as session:
        assert 13 not in set(session.scalars(select(QuarantinedRow.source_row_id)))
    actions = {record.action for record in find_entries(db, AuditFilter(text="cimco")).records}
    assert {"sync.run", "sync.retry"} <= actions


def test_run_of_an_unknown_source_or_a_broken_url_fails_in_one_line(run, monkeypatch):
    invoke, _, _ = run
    unknown = invoke("sync", "run", "nosuch")
    assert unknown.exit_code == 1 and "no source named 'nosuch'" in unknown.output
    monkeypatch.setenv("CIMCO_TEST_URL", "mysql+pymysql://root@127.0.0.1:1/none")
    broken = invoke("sync", "run", "cimco")
    assert broken.exit_code == 1 and "failed: " in broken.output and "Traceback" not in broken.output
