"""The CIMCO-style source of tests/support/cimco_source.py makes what it says, on a real MariaDB."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pymysql
import pytest
from sqlalchemy import text

from core.plant.config_file import parse_plant_toml
from core.sync.source_connection import make_source_engine
from tests.support.cimco_source import (COLUMNS, REALISTIC_PLANT_TOML, REALISTIC_ROWS, REALISTIC_SOURCE_BLOCK,
                                        ZERO_DATE, generate_rows, generated_plant_toml,
                                        kill_other_connections)

@pytest.mark.mysql
def test_realistic_rows_go_in_whole_with_their_zero_date(cimco):
    ids = cimco.insert_rows(REALISTIC_ROWS)

    assert ids == list(range(1, len(REALISTIC_ROWS) + 1))
    assert cimco.count_rows() == len(REALISTIC_ROWS)
    zero_id = ids[next(i for i, row in enumerate(REALISTIC_ROWS) if row["StartTime"] == ZERO_DATE)]
    with cimco.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT StartTime, MachineName FROM JobLogOB WHERE ID = %s", (zero_id,))
        start, machine = cursor.fetchone()
        cursor.execute("SELECT MachineName FROM JobLogOB WHERE MachineName LIKE 'Mazak%%' LIMIT 1")
        assert cursor.fetchone()[0] == "Mazak QTN-200 Ü"
    assert not isinstance(start, datetime) and start == ZERO_DATE
    assert machine == "Haas VF-2 #1"
    # the sync reads through SQLAlchemy on a read-only engine: the zero date arrives there as a string too
    engine = make_source_engine(cimco.url)
    try:
        with engine.connect() as connection:
            value = connection.execute(text("SELECT StartTime FROM JobLogOB WHERE ID = :id"), {"id": zero_id}).scalar()
    finally:
        engine.dispose()
    assert not isinstance(value, datetime)


@pytest.mark.mysql
def test_update_row_changes_one_row(cimco):
    first, second = cimco.insert_rows(REALISTIC_ROWS[:2])
    cimco.update_row(first, PartsGood=999, Modified=datetime(2026, 3, 4, 8, 0))

    with cimco.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT ID, PartsGood, Modified FROM JobLogOB ORDER BY ID")
        rows = cursor.fetchall()
    assert rows[0] == (first, 999, datetime(2026, 3, 4, 8, 0))
    assert rows[1][1] == REALISTIC_ROWS[1]["PartsGood"]


@pytest.mark.mysql
def test_kill_other_connections_ends_a_reader(cimco):
    reader = cimco.connect()
    bystander = cimco.connect()
    try:
        with bystander.cursor() as cursor:
            cursor.execute("SELECT CONNECTION_ID()")
            spared = cursor.fetchone()[0]

        assert kill_other_connections(cimco.server_url, cimco.database, keep=[spared]) == 1

        with pytest.raises(pymysql.err.OperationalError):
            with reader.cursor() as cursor:
                cursor.execute("SELECT 1")
        with bystander.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        bystander.close()
        with contextlib.suppress(pymysql.err.Error):  # already closed by the kill
            reader.close()


@pytest.mark.mysql
def test_generated_rows_are_contiguous_and_bulk_insert(cimco):
    rows = generate_rows(2_000, machines=5, seed=3)

    assert generate_rows(2_000, machines=5, seed=3) == rows
    for machine in {row["MachineName"] for row in rows}:
        own = [row for row in rows if row["MachineName"] == machine]
        assert all(a["EndTime"] == b["StartTime"] for a, b in zip(own, own[1:]))
        assert own[-1]["EndTime"] is None and all(row["EndTime"] for row in own[:-1])
    assert cimco.bulk_insert(rows, chunk=300) == 2_000
    assert cimco.count_rows() == 2_000
    with cimco.connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM JobLogOB WHERE ID = 1234")
        assert dict(zip(COLUMNS, cursor.fetchone())) == rows[1233]


def test_the_plant_files_read_the_source_block():
    source = parse_plant_toml(REALISTIC_PLANT_TOML).sources[0]
    assert source.model_dump(exclude_defaults=True) == REALISTIC_SOURCE_BLOCK
    assert source.timezone is None
    assert parse_plant_toml(generated_plant_toml(20)).sources[0].equipment == {}
