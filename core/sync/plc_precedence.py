"""The rule for a machine that a PLC reads and a source also logs: which one writes its states, which its counts.

Per source, `[sources.plc]` says "plc" (the default) or "source" for states and for counts. "plc": the sync
leaves that kind out for every machine with a PLC. "source": the sync writes it for the PLC machines named in
the source's `[sources.equipment]` map, and the PLC poller stops writing it for them (it still reads their
tags, keeps their trends and raises andon calls for their faults). A machine without a PLC takes both kinds
from the source. One writer per kind and machine: no unit or stop is ever counted twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow
from core.persistence.sync_tables import SyncSourceRow
from core.plant.config_schema import Source


@dataclass(frozen=True)
class Claims:
    """The machines (ids) whose states, and whose counts, one writer stores."""

    states: frozenset[int] = frozenset()
    counts: frozenset[int] = frozenset()


def source_claims(session: Session, source: Source) -> Claims:
    """What the sync of `source` writes: every machine without a PLC, and the named PLC machines for the kinds
    whose precedence is "source"."""
    plain, taken = _machines(session, source)
    return Claims(states=frozenset(plain | (taken if source.plc.states == "source" else set())),
                  counts=frozenset(plain | (taken if source.plc.counts == "source" else set())))


def taken_from_plcs(db: sessionmaker[Session]) -> Claims:
    """The PLC machines whose states, and whose counts, a source writes instead of the poller."""
    states: set[int] = set()
    counts: set[int] = set()
    with db() as session:
        for settings in session.scalars(select(SyncSourceRow.settings).where(SyncSourceRow.active)):
            source = Source.model_validate(json.loads(settings))
            _, taken = _machines(session, source)
            states |= taken if source.plc.states == "source" else set()
            counts |= taken if source.plc.counts == "source" else set()
    return Claims(frozenset(states), frozenset(counts))


def _machines(session: Session, source: Source) -> tuple[set[int], set[int]]:
    """(machines without a PLC, PLC machines the source's equipment map names)."""
    rows = session.execute(select(EquipmentRow.id, EquipmentRow.code, EquipmentRow.plc_driver)
                           .where(EquipmentRow.active)).all()
    named = set(source.equipment.values())
    return ({row.id for row in rows if not row.plc_driver},
            {row.id for row in rows if row.plc_driver and row.code in named})
