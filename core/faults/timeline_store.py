"""What the fault analysis reads from the store: machines' state changes (with ids and fault codes) around a
window, the fault catalog's texts, and the repeat-fault rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.faults.repeats import RepeatRule
from core.persistence.plant_tables import FaultRow
from core.persistence.timeline_tables import StateChange
from core.plant.config_faults import stored_fault_rules
from core.timeline import changes_around


@dataclass(frozen=True)
class ChangeRow:
    id: int
    equipment_id: int
    at: datetime
    state: str
    reason_code: str | None
    fault_code: str | None


@dataclass(frozen=True)
class MachineChanges:
    """One machine's changes for a window: the one in force at its start and every one inside it, in time
    order; and `next_at`, when the machine next changed at or after the window's end (None: not since)."""

    rows: list[ChangeRow]
    next_at: datetime | None


def machine_changes(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime,
                    end: datetime) -> dict[int, MachineChanges]:
    """As the OEE engine reads them (core.oee.store_queries.state_changes_frame), with ids and fault codes."""
    ids = list(equipment_ids)
    if not ids:
        return {}
    columns = (StateChange.equipment_id, StateChange.id, StateChange.at, StateChange.state, StateChange.reason_code,
               StateChange.fault_code)
    with db() as session:
        found = changes_around(session, ids, start, end, columns)
        next_at = {equipment_id: session.execute(
            select(StateChange.at).where(StateChange.equipment_id == equipment_id, StateChange.at >= end)
            .order_by(StateChange.at, StateChange.id).limit(1)).scalar() for equipment_id in ids}
    return {i: MachineChanges([ChangeRow(row.id, *row[:1], *row[2:]) for row in found[i]], next_at[i]) for i in ids}


def fault_texts(db: sessionmaker[Session]) -> dict[str, str]:
    """Every fault code ever loaded and its text (inactive ones too: old stops keep their meaning)."""
    with db() as session:
        return dict(session.execute(select(FaultRow.code, FaultRow.text)).all())


def repeat_rule(db: sessionmaker[Session]) -> RepeatRule:
    with db() as session:
        rules = stored_fault_rules(session).repeat_faults
    return RepeatRule(rules.count, rules.within_hours)
