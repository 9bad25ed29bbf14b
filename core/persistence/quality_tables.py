"""Quality: the defect-code tree and check templates from the plant file, filled checks with their
measurements, and scrap entries.

Codes and templates removed from the plant file are deactivated, never deleted: the checks and scrap that
name them keep their meaning. A measurement keeps the limits it was judged by.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, Number, UTCDateTime, code_column


class DefectCodeRow(Base):
    __tablename__ = "defect_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class QualityCheckTemplateRow(Base):
    """A check to fill in: where it applies (machines, a whole line, or wherever a product runs)."""

    __tablename__ = "quality_check_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    equipment: Mapped[str] = mapped_column(Text)  # JSON list of equipment codes, or
    line_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # every machine of a line, or
    product_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # machines making the product
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class QualityCharacteristicRow(Base):
    """One measured characteristic of a template: unit, nominal, limits, and how many samples a check takes."""

    __tablename__ = "quality_characteristics"
    __table_args__ = (UniqueConstraint("template_id", "code", name="uq_quality_characteristic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("quality_check_templates.id"))
    code: Mapped[str] = mapped_column(code_column(32))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16))
    nominal: Mapped[float | None] = mapped_column(Number, nullable=True)
    lower_limit: Mapped[float | None] = mapped_column(Number, nullable=True)
    upper_limit: Mapped[float | None] = mapped_column(Number, nullable=True)
    samples: Mapped[int] = mapped_column(Integer)  # values per check: 1 (individuals) or a subgroup (X-bar/R)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class QualityCheckRow(Base):
    """One filled check at one machine: who, when, during which job, and whether every value was in limits."""

    __tablename__ = "quality_checks"
    __table_args__ = (Index("ix_quality_checks_equipment_at", "equipment_id", "checked_at"),
                      Index("ix_quality_checks_at", "checked_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("quality_check_templates.id"))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_by: Mapped[str] = mapped_column(String(64))
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    andon_call_id: Mapped[int | None] = mapped_column(ForeignKey("andon_calls.id"), nullable=True)


class QualityMeasurementRow(Base):
    __tablename__ = "quality_measurements"
    __table_args__ = (Index("ix_quality_measurements_characteristic", "characteristic_id", "check_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("quality_checks.id"), index=True)
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("quality_characteristics.id"))
    sample: Mapped[int] = mapped_column(Integer)  # 1..samples within the check
    value: Mapped[float] = mapped_column(Number)
    lower_limit: Mapped[float | None] = mapped_column(Number, nullable=True)  # as judged at the time
    upper_limit: Mapped[float | None] = mapped_column(Number, nullable=True)
    in_limits: Mapped[bool] = mapped_column(Boolean)


class ScrapEntryRow(Base):
    """Scrapped units of one machine with their defect code, booked at `at`: when the machine counted them
    (core.quality.reject_counting). Of `quantity`, `classified` units were rejects the machine counted itself in
    that period; `moved` units the entry moved from good to reject with the count increment `count_increment_id`
    (deleted again when the entry is voided; a plain id, no foreign key, for that)."""

    __tablename__ = "scrap_entries"
    __table_args__ = (Index("ix_scrap_entries_equipment_at", "equipment_id", "at"),
                      Index("ix_scrap_entries_at", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), nullable=True)
    defect_code: Mapped[str] = mapped_column(code_column(32))
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    classified: Mapped[int] = mapped_column(Integer)  # rejects the machine had counted itself
    moved: Mapped[int] = mapped_column(Integer)  # units moved from good to reject
    count_increment_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    voided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
