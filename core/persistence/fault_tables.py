"""The fault analysis rules of the plant file ([fault_rules]): one row, written by `plant load`."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, Number


class FaultRuleRow(Base):
    __tablename__ = "fault_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: the site's rules
    repeat_count: Mapped[int] = mapped_column(Integer)  # the same fault this many times on one machine ...
    repeat_within_hours: Mapped[float] = mapped_column(Number)  # ... within this many hours is a repeat fault
