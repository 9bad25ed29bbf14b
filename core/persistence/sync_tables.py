"""Tables for syncing machine data from other databases (a CIMCO-style job/state log in MySQL).

`sync_sources` holds each `[[sources]]` block of the plant file and how its last
runs went; `synced_rows` one row per source row taken in, keyed by (source,
source row id), so that a rerun or an updated row replaces what it wrote
instead of adding to it; the timeline rows it wrote carry its id
(`sync_row_id`). `sync_quarantine` keeps the rows that could not be taken in,
with the reason and the raw row, until a retry takes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, Number, UTCDateTime, code_column
from core.persistence.timeline_tables import BigId


class SyncSourceRow(Base):
    __tablename__ = "sync_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(code_column(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    settings: Mapped[str] = mapped_column(Text)  # JSON: the [[sources]] block as written (never the URL itself)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
    # Where the sync stands: the largest id taken in, and the newest `updated_column` value taken in
    watermark_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    watermark_updated: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Asked for on the admin page; the jobs process (which has the source's URL) does it on its next tick
    run_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retry_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # None once done
    requested_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The last run, whole or failed
    run_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    run_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    run_alive_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # a running run's last batch
    run_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # first failed run in a row
    lag_rows: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # source rows past the watermark
    lag_seconds: Mapped[float | None] = mapped_column(Number, nullable=True)  # source's newest start - ours
    # Totals since the source was first synced
    total_read: Mapped[int] = mapped_column(BigInteger, default=0)
    total_written: Mapped[int] = mapped_column(BigInteger, default=0)
    runs_failed: Mapped[int] = mapped_column(Integer, default=0)


class SyncedRow(Base):
    __tablename__ = "synced_rows"
    __table_args__ = (UniqueConstraint("source_id", "source_row_id", name="uq_synced_rows_source_row"),
                      Index("ix_synced_rows_machine_start", "source_id", "equipment_id", "start_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)  # synced_key(source, row id)
    source_id: Mapped[int] = mapped_column(ForeignKey("sync_sources.id"))
    source_row_id: Mapped[int] = mapped_column(BigInteger)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # None: the row is still open
    state: Mapped[str] = mapped_column(String(16))
    job_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    part_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    operator_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    good: Mapped[int] = mapped_column(Integer)
    reject: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(32))  # of the mapped values: an unchanged row is not rewritten
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuarantinedRow(Base):
    __tablename__ = "sync_quarantine"
    __table_args__ = (UniqueConstraint("source_id", "source_row_id", name="uq_sync_quarantine_source_row"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sync_sources.id"))
    source_row_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)  # JSON of the source row as read
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    times_seen: Mapped[int] = mapped_column(Integer, default=1)


class OperatorRow(Base):
    """A person named in machine data (a badge or employee id), created when first seen."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(64), unique=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_by: Mapped[str] = mapped_column(String(40))  # "sync:<source>"


class MachineJobRow(Base):
    """A job number named in a source's machine data, created when first seen (its rows are in synced_rows)."""

    __tablename__ = "machine_jobs"
    __table_args__ = (UniqueConstraint("source_id", "number", name="uq_machine_jobs_source_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sync_sources.id"))
    number: Mapped[str] = mapped_column(code_column(64))
    part_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the part when first seen
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
