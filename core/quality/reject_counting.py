"""Does a machine count its own rejects? The rule that keeps scrap from being counted twice.

A machine counts its own rejects at a moment when either
- its PLC has a `reject` tag and the poller writes its counts (no `[[sources]]` took its counts over), or
- counts that another writer than scrap stored for it (PLC, API, sync, simulator) in the
  REJECTS_SEEN_WITHIN before that moment hold at least one reject unit.
Then its scrap was already counted as rejects, and a scrap entry only classifies those units (defect code);
otherwise a scrap entry moves its units from good to reject (core.quality.scrap).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.persistence.plant_tables import EquipmentRow
from core.persistence.timeline_tables import CountIncrement

SCRAP_SOURCE = "scrap"  # count_increments.source of the moves scrap entries make
REJECTS_SEEN_WITHIN = timedelta(days=7)
MACHINE, SCRAP = "machine", "scrap"  # scrap_entries.counted_by


@dataclass(frozen=True)
class RejectCounting:
    plc_reject_tag: bool  # a PLC reject tag whose counts the poller writes
    rejects_seen: bool  # another writer stored rejects for it lately

    @property
    def counted_by(self) -> str:
        """MACHINE: scrap only classifies rejects already counted; SCRAP: scrap moves good units to reject."""
        return MACHINE if self.plc_reject_tag or self.rejects_seen else SCRAP

    def explanation(self, machine: str) -> str:
        if self.plc_reject_tag:
            return f"{machine} counts its rejects through its PLC: the scrap is classified, not counted again"
        if self.rejects_seen:
            return (f"{machine} reported rejects of its own in the last {REJECTS_SEEN_WITHIN.days} days: the scrap "
                    "is classified, not counted again")
        return f"{machine} counts no rejects of its own: the scrap moved from good to reject"


def reject_counting(session: Session, machine: EquipmentRow, at: datetime,
                    counts_taken_by_sources: frozenset[int]) -> RejectCounting:
    """The facts of the rule for `machine` at `at`; `counts_taken_by_sources` are the PLC machines whose
    counts a source writes instead of the poller (core.sync.plc_precedence.taken_from_plcs)."""
    plc_tag = bool(machine.plc_driver) and "reject" in json.loads(machine.tags or "{}") \
        and machine.id not in counts_taken_by_sources
    seen = session.scalar(select(CountIncrement.id).where(
        CountIncrement.equipment_id == machine.id, CountIncrement.at >= at - REJECTS_SEEN_WITHIN,
        CountIncrement.at <= at, CountIncrement.reject > 0, CountIncrement.source != SCRAP_SOURCE).limit(1))
    return RejectCounting(plc_tag, seen is not None)
