"""The history of built reports: one row per report built, on demand or by a schedule, and its email delivery.

A scheduled run is unique per (schedule_name, due_at), so a cron slot is built once
even when two jobs processes race for it; a run built on demand has no schedule.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Double, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime, code_column


class ReportRun(Base):
    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("schedule_name", "due_at", name="uq_report_runs_slot"),
                      Index("ix_report_runs_created_at", "created_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_name: Mapped[str | None] = mapped_column(code_column(80), nullable=True)  # None: built on demand
    kind: Mapped[str] = mapped_column(String(16))  # shift | daily | weekly | downtime | custom
    line_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    shift_name: Mapped[str | None] = mapped_column(String(32), nullable=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # the cron slot of a scheduled run
    requested_by: Mapped[str] = mapped_column(String(64))  # user name, or "system" for a schedule
    # building | built | sending | retrying | sent | failed | skipped  (built = stored, nothing (more) to send;
    # skipped = a slot whose report was already made for the same window, error says by which run)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    build_s: Mapped[float | None] = mapped_column(Double, nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_name: Mapped[str | None] = mapped_column(String(200), nullable=True)  # under the instance's reports/
    recipients: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of addresses, resolved at build time
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
