"""The history of stops edited by people: a reason given, a reason changed, a stop split in two.

Each row also tells the OEE roll-ups that the machine's timeline changed from
`at` on (they follow this table's ids like those of new state changes).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime


class StopEdit(Base):
    __tablename__ = "stop_edits"
    __table_args__ = (Index("ix_stop_edits_equipment_at", "equipment_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # the start of the stop that was edited
    action: Mapped[str] = mapped_column(String(16))  # "reason", "change" or "split"
    edited_by: Mapped[str] = mapped_column(String(64))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[str] = mapped_column(Text)  # JSON: before and after
