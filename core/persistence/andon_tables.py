"""Andon calls: a request for help at a machine, raised by a PLC fault or by a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Double, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime, code_column


class AndonCall(Base):
    __tablename__ = "andon_calls"
    __table_args__ = (Index("ix_andon_calls_status_raised", "status", "raised_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    priority: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # maintenance | quality | material | safety | help
    source: Mapped[str] = mapped_column(String(16))  # plc | tablet | api | checklist | quality
    raised_by: Mapped[str] = mapped_column(String(64))  # user name, API key name, or "plc"
    fault_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # open | acknowledged | resolved
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)


class AndonNotice(Base):
    """One notification of one escalation level to one recipient on one channel: stored before it is sent,
    so a restart of the jobs process neither loses nor repeats it. Channel `app` rows are the in-app feed."""

    __tablename__ = "andon_notices"
    __table_args__ = (UniqueConstraint("call_id", "phase", "after_minutes", "channel", "recipient",
                                       name="uq_andon_notice"),
                      Index("ix_andon_notices_status_next", "status", "next_attempt_at"),
                      Index("ix_andon_notices_recipient", "channel", "recipient"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("andon_calls.id"))
    phase: Mapped[str] = mapped_column(String(16))  # raised | acknowledged
    level: Mapped[int] = mapped_column(Integer)  # index of the level within its phase, for people
    after_minutes: Mapped[float] = mapped_column(Double)  # identifies the level (see core.andon_escalation)
    channel: Mapped[str] = mapped_column(String(8))  # app | email | webhook | - (a skipped level)
    recipient: Mapped[str] = mapped_column(code_column(254))  # user name (app), lower-case email address, URL
    # pending | sending | sent | failed | void (call moved on) | skipped (the rules changed after its time)
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # app: seen by the user
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
