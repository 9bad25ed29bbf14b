"""The machine and job a quality record belongs to, and the error every quality use case refuses with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from core.persistence.job_tables import JobRow
from core.persistence.plant_tables import EquipmentRow


class QualityError(ValueError):
    """A check or scrap entry that cannot be stored as sent; the message says what to do instead."""


def active_machine(session: Session, equipment_code: str | None) -> EquipmentRow:
    machine = session.scalars(select(EquipmentRow).where(EquipmentRow.code == (equipment_code or ""),
                                                         EquipmentRow.active)).first()
    if machine is None:
        raise QualityError(f"no active machine {equipment_code!r}: choose a machine")
    return machine


def job_at(session: Session, equipment_id: int, at: datetime) -> int | None:
    """The job that was running on the machine at `at` (started at or before it, not finished by then)."""
    return session.scalar(select(JobRow.id).where(
        JobRow.equipment_id == equipment_id, JobRow.started_at.is_not(None), JobRow.started_at <= at,
        or_(JobRow.finished_at.is_(None), JobRow.finished_at > at)).order_by(JobRow.started_at.desc()).limit(1))


def locked_machine(session: Session, equipment_code: str | None) -> EquipmentRow:
    """`active_machine`, locked for the rest of the transaction so that two people recording against one machine
    at once go one after the other. Call it first in the transaction: on MariaDB the later plain reads then see
    what the other committed (the snapshot starts after the lock); on SQLite the no-op write takes the database's
    write lock (other writers wait for it), as BEGIN IMMEDIATE would."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(EquipmentRow).where(EquipmentRow.code == (equipment_code or ""))
                        .values(active=EquipmentRow.active).execution_options(synchronize_session=False))
        return active_machine(session, equipment_code)
    machine = session.scalars(select(EquipmentRow).where(EquipmentRow.code == (equipment_code or ""),
                                                         EquipmentRow.active).with_for_update()).first()
    if machine is None:
        raise QualityError(f"no active machine {equipment_code!r}: choose a machine")
    return machine
