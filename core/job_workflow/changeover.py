"""A changeover started or ended by a job, written into the machine's timeline so its data still decides.

The rule:

- Starting a job for another product than the one in force writes a
  `changeover` state change (source "job") at the start time.
- The changeover holds until the machine's own data reports another state, or
  until the operator taps "Changeover done", which writes `running` (source
  "job") at that time.
- A machine that sends events (REST API) reports a state with each state
  event; the first one after the changeover ends it, as any later change does.
- A PLC-polled machine reports its state at every reading, but core.plc.reading_store
  writes a state change only when a reading differs from the machine's
  PollBaseline (the last state it stored). So the job sets the baseline's state
  to what it wrote: the next reading that says anything else (running, down,
  idle, a fault) is then written at its time and ends the changeover, and a
  reading that says changeover (a machine with a changeover tag) keeps it. A
  machine whose PLC is not answering (baseline `no_data`) keeps its baseline:
  silence does not end the changeover, and the first answer does.
- A reading older than the job's write (a spool drained late) is still stored
  by its own time, before the changeover, and the changeover holds until a
  newer reading differs from it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.persistence.timeline_tables import PollBaseline, StateChange
from core.timeline import StateAt, add_state_changes

JOB_SOURCE = "job"


def machine_state(session: Session, equipment_id: int, at: datetime) -> tuple[str | None, datetime | None]:
    """The machine's state at `at` and when that change was written (None: nothing heard yet)."""
    row = session.execute(select(StateChange.state, StateChange.at)
                          .where(StateChange.equipment_id == equipment_id, StateChange.at <= at)
                          .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(1)).first()
    return (row.state, row.at) if row else (None, None)


def write_job_state(session: Session, equipment_id: int, state: str, at: datetime) -> None:
    """Write `state` (changeover or running) into the timeline at `at`, and make the PLC poller compare its next
    reading with it (see the module's rule)."""
    add_state_changes(session, [StateAt(equipment_id, at, state, None, JOB_SOURCE)])
    baseline = session.scalars(select(PollBaseline).where(PollBaseline.equipment_id == equipment_id)
                               .with_for_update()).first()
    if baseline is not None and baseline.state not in ("", "no_data"):
        baseline.state, baseline.reason_code, baseline.fault_code = state, None, None
        baseline.state_since, baseline.andon_call_id = at, None
