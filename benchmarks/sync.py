"""Benchmark: syncing a CIMCO-style MySQL job log into the store, against a bare copy of the same rows.

Makes a fresh CIMCO-style database on the MariaDB server (tests/support/cimco_source.py) holding `--rows`
generated rows of 20 machines, then for each store (a SQLite file, a fresh MariaDB database) times in the same
run:
  - the sync: a fresh store with the generated plant and its `[[sources]]` block, a first `sync_source` of all
    rows (batches of 5000), then a second run that finds nothing new (what the overlap re-read costs);
  - a bare copy: pymysql `SELECT` of the columns the sync reads, in keyset batches of 5000, `executemany`
    `INSERT` into a plain table with those columns in the same store (sqlite3 for the SQLite file, pymysql for
    MariaDB), one commit per batch as the sync does;
and prints one JSON line with rows per second, the ratio sync / bare and what the sync wrote. The source is
made in a child process, so the peak RSS (ru_maxrss) is that of the syncs and copies only.

    .venv/bin/python benchmarks/sync.py [--rows 200000] [--only sqlite|mariadb]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sqlite3
import time
from datetime import datetime
from contextlib import closing

import pymysql
from instance import database
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from core.database_setup import prepare_database
from core.persistence.database import make_engine, make_session_factory
from core.persistence.product_tables import ProductChange
from core.persistence.sync_tables import MachineJobRow, OperatorRow, QuarantinedRow, SyncedRow
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config
from core.sync.source_connection import SourceEngines
from core.sync.source_plan import SyncReport
from core.sync.source_sync import sync_source
from tests.support.cimco_source import (CimcoSource, create_cimco_database, generate_rows, generated_plant_toml,
                                        generated_source_block)

MACHINES = 20
BATCH = 5000  # the source block's default batch_size, used by the bare copy too
SERVER = os.environ.get("FLOORBOARD_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
BLOCK = generated_source_block()
# The columns the sync reads, in its order: the id, the mapped columns, the updated column
READ = tuple(dict.fromkeys([BLOCK["id_column"], *BLOCK["columns"].values(), BLOCK["updated_column"]]))
BARE_TABLE = ("CREATE TABLE bare_joblog (ID INTEGER PRIMARY KEY, MachineName VARCHAR(80) NOT NULL, "
              "State VARCHAR(20), StartTime DATETIME, EndTime DATETIME, JobNumber VARCHAR(40), PartNumber VARCHAR(60), "
              "EmpID VARCHAR(20), PartsGood INT, PartsBad INT, Modified DATETIME)")
GOAL_ROWS_PER_S, GOAL_RATIO = 20_000, 0.5


def fill_source(source: CimcoSource, rows: int) -> None:
    # A year of rows that ends before today: a row stamped in the future is read again by every run
    source.bulk_insert(generate_rows(rows, MACHINES, start=datetime(2025, 1, 6, 6, 0)))


def make_source(rows: int) -> CimcoSource:
    """The source database, filled in a child process: the 200,000 generated dicts never count in our RSS."""
    source = create_cimco_database(SERVER)
    child = multiprocessing.get_context("fork").Process(target=fill_source, args=(source, rows))
    child.start()
    child.join()
    if child.exitcode != 0 or source.count_rows() != rows:
        source.drop()
        raise SystemExit(f"filling the source failed (exit code {child.exitcode})")
    return source


def timed_sync(db, engines: SourceEngines) -> tuple[float, SyncReport]:
    began = time.perf_counter()
    report = sync_source(db, BLOCK["name"], engines)
    seconds = time.perf_counter() - began
    if report.error:
        raise SystemExit(f"the sync failed: {report.error}")
    return seconds, report


def written(db) -> dict:
    with db() as session:
        def count(table, *where):
            return session.scalar(select(func.count()).select_from(table).where(*where))
        return {"state_changes": count(StateChange), "count_rows": count(CountIncrement),
                "product_changes": count(ProductChange), "synced_rows": count(SyncedRow),
                "quarantined": count(QuarantinedRow), "operators": count(OperatorRow), "jobs": count(MachineJobRow)}


def source_batches(source: CimcoSource):
    """The source's rows in keyset batches of BATCH, as tuples of READ (the sync's query, done by hand)."""
    query = (f"SELECT {', '.join(READ)} FROM JobLogOB WHERE ID > %s ORDER BY ID LIMIT {BATCH}")
    with closing(source.connect()) as connection, connection.cursor() as cursor:
        after = -1
        while True:
            cursor.execute(query, (after,))
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]
            if len(rows) < BATCH:
                return


def bare_copy(source: CimcoSource, store_url: str) -> float:
    """Seconds to copy every source row into bare_joblog of the store, one commit per batch."""
    url = make_url(store_url)
    if url.get_backend_name() == "sqlite":
        target = sqlite3.connect(url.database)
        marker = "?"
    else:
        target = pymysql.connect(host=url.host, port=url.port or 3306, user=url.username, password=url.password or "",
                                 database=url.database, charset="utf8mb4")
        marker = "%s"
    insert = f"INSERT INTO bare_joblog ({', '.join(READ)}) VALUES ({', '.join([marker] * len(READ))})"
    with closing(target):
        cursor = target.cursor()
        cursor.execute(BARE_TABLE)
        target.commit()
        began = time.perf_counter()
        copied = 0
        for rows in source_batches(source):
            cursor.executemany(insert, rows)
            target.commit()
            copied += len(rows)
        seconds = time.perf_counter() - began
        cursor.close()
    assert copied == source.count_rows(), copied
    return seconds


def measure(kind: str, source: CimcoSource, rows: int) -> dict:
    with database(kind) as (url, _home):
        engine = make_engine(url)
        prepare_database(engine)
        db = make_session_factory(engine)
        apply_plant_config(db, parse_plant_toml(generated_plant_toml(MACHINES)))
        engines = SourceEngines({BLOCK["url_env"]: source.url})
        try:
            sync_s, first = timed_sync(db, engines)
            rerun_s, again = timed_sync(db, engines)
        finally:
            engines.dispose()
        wrote = written(db)
        engine.dispose()
        bare_s = bare_copy(source, url)
    sync_rate, bare_rate = rows / sync_s, rows / bare_s
    return {"sync_rows_per_s": round(sync_rate), "sync_s": round(sync_s, 2), "batches": first.batches,
            "bare_rows_per_s": round(bare_rate), "bare_s": round(bare_s, 2), "ratio": round(sync_rate / bare_rate, 3),
            "rerun_s": round(rerun_s, 2), "rerun_read": again.read, "rerun_written": again.written,
            "first_run": {"read": first.read, "written": first.written, "quarantined": first.quarantined},
            "wrote": wrote,
            "goals_met": sync_rate >= GOAL_ROWS_PER_S and sync_rate / bare_rate >= GOAL_RATIO
            and wrote["quarantined"] == 0 and wrote["synced_rows"] == rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--only", choices=("sqlite", "mariadb"))
    args = parser.parse_args()
    began = time.perf_counter()
    with make_source(args.rows) as source:
        source_s = time.perf_counter() - began
        results = {kind: measure(kind, source, args.rows) for kind in ("sqlite", "mariadb")
                   if args.only in (None, kind)}
    print(json.dumps({"benchmark": "sync", "rows": args.rows, "machines": MACHINES, "batch_size": BATCH,
                      "source_fill_s": round(source_s, 1), **results,
                      "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "goal_rows_per_s": GOAL_ROWS_PER_S, "goal_ratio": GOAL_RATIO}))


if __name__ == "__main__":
    main()
