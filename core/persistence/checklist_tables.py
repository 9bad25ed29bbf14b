"""Pre-start checklists: the templates loaded from the plant file, and each completion on the floor.

A template removed from the plant file is deactivated, never deleted: its completions keep their meaning.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime, code_column

# MariaDB's TEXT holds 64 kB; a signature may take up to 200 kB (core.checklists.signature)
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


class ChecklistTemplateRow(Base):
    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    line_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the whole line, or
    equipment: Mapped[str] = mapped_column(Text)  # JSON list of equipment codes
    required: Mapped[str] = mapped_column(String(24))  # every_job | first_job_of_shift | operator_change
    items: Mapped[str] = mapped_column(Text)  # JSON list of items, as the plant file writes them
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class ChecklistCompletion(Base):
    """One checklist filled in at one machine by one operator: answers, signature, and whether it passed."""

    __tablename__ = "checklist_completions"
    __table_args__ = (Index("ix_checklist_completions_machine", "equipment_id", "template_id", "completed_at"),
                      Index("ix_checklist_completions_shift", "shift_day", "shift_name"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_by: Mapped[str] = mapped_column(String(64))
    shift_day: Mapped[date] = mapped_column(Date)  # local day the shift started (or the local day, no shift)
    shift_name: Mapped[str | None] = mapped_column(String(40), nullable=True)  # None: outside every shift
    answers: Mapped[str] = mapped_column(Text)  # JSON {item code: answer}
    failed: Mapped[str] = mapped_column(Text)  # JSON [{"code", "text", "critical", "andon", "reason"}]
    signature: Mapped[str | None] = mapped_column(LongText, nullable=True)  # PNG data URL
    passed: Mapped[bool] = mapped_column(Boolean)
    andon_call_id: Mapped[int | None] = mapped_column(ForeignKey("andon_calls.id"), nullable=True)
