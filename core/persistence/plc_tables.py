"""Tables for PLC acquisition: tag trends, connection status, comm outages, the spool's applied watermark."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Double, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime
from core.persistence.timeline_tables import BigId


class TagSample(Base):
    """A raw tag value kept because it moved beyond the tag's deadband since the last kept one."""

    __tablename__ = "tag_samples"
    __table_args__ = (Index("ix_tag_samples_equipment_tag_at", "equipment_id", "tag", "at_epoch"),
                      Index("ix_tag_samples_at", "at_epoch"))  # for pruning by age

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    tag: Mapped[str] = mapped_column(String(120))
    at_epoch: Mapped[float] = mapped_column(Double)
    value: Mapped[float] = mapped_column(Double)


class TagMinute(Base):
    """Minimum, maximum and mean of every read of a tag within one minute."""

    __tablename__ = "tag_minutes"
    __table_args__ = (Index("ix_tag_minutes_equipment_tag_minute", "equipment_id", "tag", "minute_epoch", unique=True),
                      Index("ix_tag_minutes_minute", "minute_epoch"))  # for pruning by age

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    tag: Mapped[str] = mapped_column(String(120))
    minute_epoch: Mapped[int] = mapped_column(BigInteger)  # start of the minute, seconds since 1970
    minimum: Mapped[float] = mapped_column(Double)
    maximum: Mapped[float] = mapped_column(Double)
    mean: Mapped[float] = mapped_column(Double)
    reads: Mapped[int] = mapped_column(Integer)


class PlcConnectionStatus(Base):
    """What the scanner last said about one PLC connection, for the engineers' page (the scanner runs elsewhere)."""

    __tablename__ = "plc_connections"

    connection: Mapped[str] = mapped_column(String(200), primary_key=True)  # "logix://10.0.0.5/0"
    state: Mapped[str] = mapped_column(String(16))  # connected | retrying | stopped
    machines: Mapped[str] = mapped_column(Text)  # JSON [equipment code]
    last_good_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    errors: Mapped[int] = mapped_column(Integer)  # failed reads since the scanner started
    reads: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float | None] = mapped_column(Double, nullable=True)  # of the last good read
    values: Mapped[str] = mapped_column(Text)  # JSON {equipment code: {tag: [value, error]}}
    spool_depth: Mapped[int] = mapped_column(Integer)
    spool_overflow: Mapped[int] = mapped_column(Integer)  # readings refused because the spool was full
    spool_refused: Mapped[int] = mapped_column(Integer)  # readings the database refused as data, set aside
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlcOutage(Base):
    """A stretch during which a machine's PLC did not answer."""

    __tablename__ = "plc_outages"
    __table_args__ = (Index("ix_plc_outages_equipment_started", "equipment_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str] = mapped_column(Text)


class SpoolWatermark(Base):
    """The last spool entry stored, per spool file, written in the same transaction as the entries."""

    __tablename__ = "spool_watermarks"

    spool_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    applied_seq: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
