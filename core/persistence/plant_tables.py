"""Tables for the plant's configuration: site, shifts, lines, equipment, reasons, faults, rules, schedules.

Items removed from the plant file are deactivated (`active = False`), never
deleted, so their history keeps its meaning.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, Number, code_column


class SiteRow(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    target_oee: Mapped[float] = mapped_column(Number)
    oee_policy: Mapped[str] = mapped_column(String(8))  # oee_com or smrp
    startup_window_minutes: Mapped[float] = mapped_column(Number)


class ShiftRow(Base):
    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(code_column(40), unique=True)
    start: Mapped[str] = mapped_column(String(5))  # local "HH:MM"
    end: Mapped[str] = mapped_column(String(5))
    days: Mapped[str] = mapped_column(String(32))  # "mon,tue,..."
    breaks: Mapped[str] = mapped_column(Text)  # JSON [{"start": "HH:MM", "minutes": N}]
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class LineRow(Base):
    __tablename__ = "lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class EquipmentRow(Base):
    __tablename__ = "equipment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ideal_cycle_time_s: Mapped[float] = mapped_column(Number)
    micro_stop_threshold_s: Mapped[float] = mapped_column(Number)
    cost_per_hour: Mapped[float] = mapped_column(Number)
    unit_cost: Mapped[float] = mapped_column(Number)
    plc_driver: Mapped[str | None] = mapped_column(String(16), nullable=True)
    plc_address: Mapped[str] = mapped_column(String(120))
    plc_slot: Mapped[int] = mapped_column(Integer)
    plc_rate_s: Mapped[float] = mapped_column(Number, default=1.0)
    plc_timeout_s: Mapped[float] = mapped_column(Number, default=2.0)
    tags: Mapped[str] = mapped_column(Text)  # JSON {role: tag name}
    trend_tags: Mapped[str] = mapped_column(Text, default="[]")  # JSON [tag name]
    tag_types: Mapped[str] = mapped_column(Text, default="{}")  # JSON {tag name: Logix type}
    deadbands: Mapped[str] = mapped_column(Text, default="{}")  # JSON {tag name: deadband}
    active: Mapped[bool] = mapped_column(Boolean)


class ReasonRow(Base):
    __tablename__ = "reason_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class FaultRow(Base):
    __tablename__ = "faults"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    bit: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    reason_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    priority: Mapped[str] = mapped_column(String(16))
    equipment: Mapped[str] = mapped_column(Text)  # JSON list of equipment codes; empty: all
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class EscalationRuleRow(Base):
    __tablename__ = "escalation_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    priority: Mapped[str] = mapped_column(code_column(16), unique=True)
    levels: Mapped[str] = mapped_column(Text)  # JSON [{"after_minutes": N, "notify": [...]}]
    active: Mapped[bool] = mapped_column(Boolean)


class ReportScheduleRow(Base):
    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(code_column(80), unique=True)
    type: Mapped[str] = mapped_column(String(16))
    line_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    cron: Mapped[str] = mapped_column(String(200))
    recipients: Mapped[str] = mapped_column(Text)  # JSON list
    sections: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list of section keys; custom only
    lines: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list of line codes; custom only
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
