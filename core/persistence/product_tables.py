"""Tables for products: the plant file's products with their ideal cycle per machine, and each machine's
product timeline (the product in force at a moment is the latest change at or before it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, Number, UTCDateTime, code_column
from core.persistence.timeline_tables import BigId


class ProductRow(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(code_column(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_cost: Mapped[float | None] = mapped_column(Number, nullable=True)
    # "plant": from the plant file; "sync:<source>": first seen in a source's machine data (a plant load neither
    # deactivates nor dumps it; naming it in the plant file makes it the file's)
    origin: Mapped[str] = mapped_column(String(40), default="plant", server_default="plant")
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class ProductCycleRow(Base):
    """A product's ideal cycle on one machine: overrides the machine's own while the product runs."""

    __tablename__ = "product_ideal_cycles"
    __table_args__ = (UniqueConstraint("product_id", "equipment_id", name="uq_product_ideal_cycle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    ideal_cycle_time_s: Mapped[float] = mapped_column(Number)


class ProductChange(Base):
    """From `at` on, the machine makes `product_code` (until its next change), at `ideal_cycle_time_s`: the
    product's cycle on the machine when the change was written (None: the machine's own), so that a later edit
    of the plant file does not rewrite past OEE."""

    __tablename__ = "product_changes"
    __table_args__ = (Index("ix_product_changes_equipment_at", "equipment_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    product_code: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(8))  # job | plc | api | manual | sync
    sync_row_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)  # synced_rows.id
    ideal_cycle_time_s: Mapped[float | None] = mapped_column(Number, nullable=True)
