"""A small plant with two `[[sources]]` blocks, and sync figures and quarantined rows written straight into the
database as the jobs process would leave them (no real source needed)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from core.persistence.sync_tables import QuarantinedRow, SyncSourceRow
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config

PLANT_WITH_SOURCES = """
[site]
name = "Machining hall"
timezone = "Europe/Berlin"
currency = "EUR"

[[lines]]
code = "MCH"
name = "Machining"

[[lines.equipment]]
code = "CNC1"
name = "Haas VF-2"
ideal_cycle_time_s = 30.0

[[sources]]
name = "cimco"
url_env = "CIMCO_URL"
table = "JobLogOB"
id_column = "ID"
every_s = 60
columns = { equipment = "MachineName", state = "State", start = "StartTime", end = "EndTime" }
states = { RUN = "running", DOWN = "down" }
equipment = { "Haas VF-2" = "CNC1" }

[[sources]]
name = "erp"
url_env = "ERP_URL"
table = "MachineLog"
id_column = "LogId"
columns = { equipment = "Machine", state = "Status", start = "Began" }
states = { R = "running" }
"""

PLANT_WITHOUT_SOURCES = PLANT_WITH_SOURCES.split("[[sources]]")[0]

WARMUP_ROW = {"ID": 1042, "MachineName": "Haas VF-2", "State": "WARMUP", "StartTime": "2026-03-02 06:00:00",
              "EndTime": "2026-03-02 06:12:00"}


def load_plant(db, text: str = PLANT_WITH_SOURCES) -> None:
    apply_plant_config(db, parse_plant_toml(text))


def set_figures(db, name: str, **values) -> None:
    with db.begin() as session:
        session.execute(update(SyncSourceRow).where(SyncSourceRow.name == name).values(**values))


def source_row(db, name: str) -> SyncSourceRow:
    with db() as session:
        return session.scalar(select(SyncSourceRow).where(SyncSourceRow.name == name))


def quarantine(db, name: str, row: dict, reason: str, seen: datetime, times_seen: int = 1) -> None:
    with db.begin() as session:
        source_id = session.scalar(select(SyncSourceRow.id).where(SyncSourceRow.name == name))
        session.add(QuarantinedRow(source_id=source_id, source_row_id=row["ID"], reason=reason,
                                   raw=json.dumps(row), first_seen_at=seen - timedelta(hours=1), last_seen_at=seen,
                                   times_seen=times_seen))


def a_failing_source(db, now: datetime) -> None:
    """cimco: its last good run 10 minutes ago, the last run failed just now; a row in quarantine; erp never ran."""
    good = now - timedelta(minutes=10)
    set_figures(db, "cimco", run_started_at=now - timedelta(seconds=40), run_finished_at=now - timedelta(seconds=30),
                run_ok=False, rows_read=1234, rows_written=1200, rows_quarantined=3, watermark_id=98765,
                watermark_updated=good, lag_rows=87, lag_seconds=420.0, last_success_at=good,
                failing_since=good + timedelta(minutes=1),
                last_error="Can't connect to MySQL server on 'cimco-db' (MySQL error 2003)",
                last_error_at=now - timedelta(seconds=30), total_read=50_000, total_written=49_500, runs_failed=4)
    quarantine(db, "cimco", WARMUP_ROW, "state 'WARMUP' is not in the states map", now - timedelta(minutes=5), 3)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
