"""The scanner's view of each PLC connection, published to the database for the engineers' pages
(the scanner runs in the jobs process, the pages in the web workers)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plc_tables import PlcConnectionStatus, PlcOutage
from core.persistence.plant_tables import EquipmentRow


@dataclass(frozen=True)
class ConnectionReport:
    connection: str
    state: str
    machines: tuple[str, ...]
    last_good_read_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    errors: int
    reads: int
    latency_ms: float | None
    values: dict[str, dict[str, tuple[Any, str | None]]]  # machine code -> tag -> (value, error)
    spool_depth: int
    spool_overflow: int
    updated_at: datetime
    spool_refused: int = 0


def publish_connection_reports(db: sessionmaker[Session], reports: Sequence[ConnectionReport]) -> None:
    """Replace the stored reports with these (a connection no longer configured disappears)."""
    with db.begin() as session:
        session.execute(delete(PlcConnectionStatus).where(
            PlcConnectionStatus.connection.not_in([r.connection for r in reports])))
        stored = {row.connection: row for row in session.scalars(select(PlcConnectionStatus))}
        for report in reports:
            row = stored.get(report.connection) or PlcConnectionStatus(connection=report.connection)
            row.state, row.machines = report.state, json.dumps(list(report.machines))
            row.last_good_read_at, row.last_error, row.last_error_at = (
                report.last_good_read_at, report.last_error, report.last_error_at)
            row.errors, row.reads, row.latency_ms = report.errors, report.reads, report.latency_ms
            row.values = json.dumps(report.values, default=str)
            row.spool_depth, row.spool_overflow, row.spool_refused, row.updated_at = (
                report.spool_depth, report.spool_overflow, report.spool_refused, report.updated_at)
            session.add(row)


def connection_reports(db: sessionmaker[Session]) -> list[ConnectionReport]:
    with db() as session:
        rows = session.scalars(select(PlcConnectionStatus).order_by(PlcConnectionStatus.connection)).all()
        return [ConnectionReport(
            row.connection, row.state, tuple(json.loads(row.machines)), row.last_good_read_at, row.last_error,
            row.last_error_at, row.errors, row.reads, row.latency_ms,
            {code: {tag: tuple(pair) for tag, pair in tags.items()} for code, tags in json.loads(row.values).items()},
            row.spool_depth, row.spool_overflow, row.updated_at, row.spool_refused) for row in rows]


@dataclass(frozen=True)
class Outage:
    equipment_code: str
    started_at: datetime
    ended_at: datetime | None
    error: str


def recent_outages(db: sessionmaker[Session], limit: int = 50) -> list[Outage]:
    with db() as session:
        rows = session.execute(select(PlcOutage, EquipmentRow.code).join(EquipmentRow, EquipmentRow.id ==
                                                                         PlcOutage.equipment_id)
                               .order_by(PlcOutage.started_at.desc()).limit(limit)).all()
        return [Outage(code, outage.started_at, outage.ended_at, outage.error) for outage, code in rows]
