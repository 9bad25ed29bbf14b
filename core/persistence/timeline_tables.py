"""Tables for machine data: state changes, count increments, ingest ids, API keys, the jobs lease.

A machine's timeline is its ordered state changes: each state holds until the
next change, so a late event slots into place by its time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Double, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime, code_column

BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite only auto-increments INTEGER keys


class StateChange(Base):
    __tablename__ = "state_changes"
    __table_args__ = (Index("ix_state_changes_equipment_at", "equipment_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    at_epoch: Mapped[float] = mapped_column(Double)  # `at` in seconds since 1970, for fast arithmetic in bulk
    state: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    fault_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # from the fault catalog
    source: Mapped[str] = mapped_column(String(8))
    sync_row_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)  # synced_rows.id


class CountIncrement(Base):
    __tablename__ = "count_increments"
    __table_args__ = (Index("ix_count_increments_equipment_at", "equipment_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    at_epoch: Mapped[int] = mapped_column(BigInteger)  # `at` in whole seconds since 1970, for grouping in SQL
    good: Mapped[int] = mapped_column(Integer)
    reject: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8))
    sync_row_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)  # synced_rows.id


class IngestedEvent(Base):
    """Ids of events already stored, so that a replayed batch stores nothing twice."""

    __tablename__ = "ingested_events"

    event_id: Mapped[str] = mapped_column(code_column(200), primary_key=True)  # "<api key name>:<id>"
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    api_key: Mapped[str] = mapped_column(String(64))  # who sent it


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SchedulerLease(Base):
    """One row per lease; whoever holds an unexpired lease runs the jobs."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PollBaseline(Base):
    """The counters and state the poller last stored for a machine, so a restart or takeover counts exactly."""

    __tablename__ = "poll_baselines"

    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"), primary_key=True)
    good_counter: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # None: never read yet
    reject_counter: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    state: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    fault_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when counts were last written
    state_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # start of the current state
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # time of the last reading applied
    andon_call_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # call raised for the current fault
    # a job's changeover is open: idle readings are stored as changeover (core.job_workflow.changeover)
    job_changeover: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
