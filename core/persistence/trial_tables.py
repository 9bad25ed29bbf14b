"""Line trials (experiments): what is tried on a line, with which parameters, when, and what came of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime


class TrialRow(Base):
    """One trial on one line; its state moves as core.trials.lifecycle allows."""

    __tablename__ = "trials"
    __table_args__ = (Index("ix_trials_line_state", "line_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"))
    parameters: Mapped[str] = mapped_column(Text)  # a JSON object: parameter name -> value, in the order given
    expected_outcome: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # planned | in_progress | completed | cancelled
    planned_start: Mapped[datetime] = mapped_column(UTCDateTime)
    planned_end: Mapped[datetime] = mapped_column(UTCDateTime)
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # completed or cancelled
    results: Mapped[str | None] = mapped_column(Text, nullable=True)
    learnings: Mapped[str | None] = mapped_column(Text, nullable=True)
    success: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None until completed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
