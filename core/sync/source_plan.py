"""What every sync run needs before it reads a row: the source's settings, its table as the source has it, the
row mapper, the PLC rule and the count spreader (a SourcePlan); and the run's report and errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow
from core.persistence.sync_tables import SyncSourceRow
from core.plant.config_schema import Source
from core.plant.equipment import site_calendar_in
from core.sync.count_spreading import CountSpreader
from core.sync.plc_precedence import source_claims
from core.sync.row_mapping import MappedRow, RefusedRow, RowMapper
from core.sync.source_connection import SourceUnavailable
from core.sync.synced_rows_store import BatchContext, BatchResult

MAX_ERROR_CHARS = 500


class SyncError(Exception):
    """A sync that cannot run as configured; the message is one line for a person."""


# Failures of the source, of the store or of the configuration: recorded on the source, and the run returns.
# Anything else (a bug) is recorded too, then raised.
EXPECTED_FAILURES = (SQLAlchemyError, SourceUnavailable, SyncError, OSError)


@dataclass
class SyncReport:
    source: str
    read: int = 0
    written: int = 0
    unchanged: int = 0
    refused: int = 0  # rows that could not be taken (again, for rows read again)
    quarantined: int = 0  # rows put in the quarantine by this run
    taken_from_quarantine: int = 0
    batches: int = 0
    seconds: float = 0.0
    watermark_id: int | None = None
    lag_rows: int | None = None
    lag_seconds: float | None = None
    error: str | None = None
    stopped: bool = False  # the jobs lease was lost: the run stopped between two batches

    def add(self, batch: BatchResult, read: int) -> None:
        self.read += read
        self.written += batch.written
        self.unchanged += batch.unchanged
        self.refused += batch.refused
        self.quarantined += batch.quarantined
        self.taken_from_quarantine += batch.taken_from_quarantine
        self.batches += 1

    def summary(self) -> str:
        text = (f"{self.source}: read {self.read}, written {self.written}, unchanged {self.unchanged}, "
                f"newly quarantined {self.quarantined} in {self.seconds:.1f} s")
        return text + (f"; failed: {self.error}" if self.error else "")


@dataclass(frozen=True)
class SourcePlan:
    source_id: int
    settings: Source
    mapper: RowMapper
    table: Table
    batch: BatchContext

    @property
    def columns(self) -> list[Column]:
        """The columns read, in the order the mapper expects."""
        return [self.table.c[name] for name in self.mapper.names]

    def mapped(self, rows: Sequence[Any]) -> list[MappedRow | RefusedRow]:
        return [self.mapper.map(row) for row in rows]


def source_settings(db: sessionmaker[Session], name: str) -> tuple[int, Source]:
    with db() as session:
        row = session.scalar(select(SyncSourceRow).where(SyncSourceRow.name == name))
    if row is None or not row.active:
        raise SyncError(f"no source named {name!r} in the plant file ([[sources]])")
    return row.id, Source.model_validate_json(row.settings)


def plan_source(db: sessionmaker[Session], connection: Connection, source_id: int, settings: Source) -> SourcePlan:
    """Read the source table's columns (each run: the source may have changed) and the plant as stored now."""
    try:
        table = Table(settings.table, MetaData(), autoload_with=connection)
    except NoSuchTableError:
        raise SyncError(f"the source has no table {settings.table!r}") from None
    with db() as session:
        equipment = dict(session.execute(select(EquipmentRow.code, EquipmentRow.id).where(EquipmentRow.active)).all())
        calendar = site_calendar_in(session)
        claims = source_claims(session, settings)
    mapper = RowMapper(settings, equipment, calendar.zone.key if calendar else "UTC")
    missing = [name for name in mapper.names if name not in table.c]
    if missing:
        raise SyncError(f"table {settings.table!r} has no column {', '.join(repr(name) for name in missing)} "
                        f"(columns: {', '.join(table.c.keys())})")
    if not isinstance(table.c[settings.id_column].type, Integer):
        raise SyncError(f"id_column {settings.id_column!r} is {table.c[settings.id_column].type}, not a whole-number "
                        "column: the watermark needs an increasing whole-number key")
    shift_times = [moment for shift in (calendar.shifts if calendar else ()) for moment in (shift.start, shift.end)]
    spreader = CountSpreader(calendar.zone if calendar else mapper.zone, shift_times)  # the site's days and shifts
    return SourcePlan(source_id, settings, mapper, table,
                      BatchContext(source_id, settings.name, claims, spreader, mapper.raw_json))


def one_line(exc: BaseException) -> str:
    """An error as one line for the admin page: a MySQL error as its message and its code."""
    reason = getattr(exc, "orig", None) or exc
    args = getattr(reason, "args", ())
    if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):  # pymysql: (code, message)
        text = f"{' '.join(args[1].split())} (MySQL error {args[0]})"
    else:
        text = " ".join(str(reason).split()) or type(reason).__name__
    return text[:MAX_ERROR_CHARS]

