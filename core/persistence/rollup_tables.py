"""Pre-aggregated OEE totals per machine and hour and per machine and shift, and what they were built from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Double, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime


class OeeRollup(Base):
    __tablename__ = "oee_rollups"
    __table_args__ = (UniqueConstraint("equipment_id", "period", "period_start"),
                      Index("ix_oee_rollups_period_start", "period", "period_start"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    period: Mapped[str] = mapped_column(String(8))  # hour or shift
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    label: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_s: Mapped[float] = mapped_column(Double)
    not_scheduled_s: Mapped[float] = mapped_column(Double)
    break_s: Mapped[float] = mapped_column(Double)
    planned_stop_s: Mapped[float] = mapped_column(Double)
    no_data_s: Mapped[float] = mapped_column(Double)
    running_s: Mapped[float] = mapped_column(Double)
    small_stop_s: Mapped[float] = mapped_column(Double)
    down_s: Mapped[float] = mapped_column(Double)
    changeover_s: Mapped[float] = mapped_column(Double)
    idle_s: Mapped[float] = mapped_column(Double)
    good: Mapped[int] = mapped_column(BigInteger)
    reject: Mapped[int] = mapped_column(BigInteger)
    startup_reject: Mapped[int] = mapped_column(BigInteger)
    ideal_total_s: Mapped[float] = mapped_column(Double)
    ideal_good_s: Mapped[float] = mapped_column(Double)
    ideal_startup_reject_s: Mapped[float] = mapped_column(Double)
    outside_good: Mapped[int] = mapped_column(BigInteger)
    outside_reject: Mapped[int] = mapped_column(BigInteger)


class RollupWatermark(Base):
    """The highest row id of a timeline table already folded into the roll-ups."""

    __tablename__ = "rollup_watermarks"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)


class StopRollup(Base):
    """Stop time and stops begun per machine, hour, state and reason (for the downtime Pareto)."""

    __tablename__ = "stop_rollups"
    __table_args__ = (Index("ix_stop_rollups_period_start", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str] = mapped_column(String(32))  # "" when no reason was given
    seconds: Mapped[float] = mapped_column(Double)
    began: Mapped[int] = mapped_column(Integer)


class RollupRequest(Base):
    """Roll-ups to recompute from `at` on, for a change that deleted timeline rows and wrote none in their place
    (new rows are found by their ids; a deletion leaves nothing to find)."""

    __tablename__ = "rollup_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(String(32))  # what asked, e.g. "sync:cimco"

