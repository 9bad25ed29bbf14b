"""A changeover started or ended by a job, written into the machine's timeline so its data still decides.

The rule:

- Starting a job for another product than the one in force writes a
  `changeover` state change (source "job") at the start time, and opens the
  job's changeover on the machine.
- A machine that sends events (REST API) reports a state with each state
  event; the first one after the changeover ends it, as any later change does.
- A PLC-polled machine reports its state at every reading; core.plc.reading_store
  writes a state change only when the state to store differs from the
  machine's PollBaseline (the last state stored). While the job's changeover is
  open, `held_state` below decides what a reading is stored as: idle and down
  without a fault are the setup itself (a PLC without a changeover tag reports
  them while the tools are changed) and are stored as changeover; running or
  a fault end the changeover and are stored as they are; a changeover tag
  keeps it. no_data (a silent PLC) and a planned stop (a break) are stored as
  they are, and the changeover resumes after them: silence never counts as
  anything known, nor does it say the setup is over.
- The operator's "Changeover done" writes `running` (source "job") and closes
  the job's changeover.
- Whatever the job writes becomes the baseline's state, so the poller's next
  reading that says anything else is written at its time: no_data after a job
  wrote `running` is written, so a dead PLC never counts as running.
- A machine whose PLC is silent (baseline no_data) stays no_data: a job started
  then writes no changeover (nobody knows what the machine does; the outage is
  not booked as changeover) but opens it, so the PLC's first idle answer is
  stored as changeover; "Changeover done" is refused until the PLC answers.
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


def held_state(state: str, fault_code: str | None, changeover_open: bool) -> tuple[str, bool]:
    """What a PLC reading of `state` (with `fault_code`) is stored as, and whether the job's changeover is still
    open after it (see the module's rule)."""
    if not changeover_open:
        return state, False
    if state in ("changeover", "idle") or (state == "down" and not fault_code):
        return "changeover", True
    return state, state in ("no_data", "planned_stop")


def plc_silent(session: Session, equipment_id: int) -> bool:
    """Whether the machine's PLC is not answering (its poll baseline is no_data)."""
    return session.scalar(select(PollBaseline.state).where(PollBaseline.equipment_id == equipment_id)) == "no_data"


def write_job_state(session: Session, equipment_id: int, state: str, at: datetime) -> None:
    """Write `state` (changeover or running) into the timeline at `at`, opening or closing the job's changeover,
    and make the PLC poller compare its next reading with it (see the module's rule)."""
    baseline = session.scalars(select(PollBaseline).where(PollBaseline.equipment_id == equipment_id)
                               .with_for_update()).first()
    if baseline is not None:
        baseline.job_changeover = state == "changeover"
        if baseline.state == "no_data":  # silent: the timeline stays no_data until the PLC answers
            return
        baseline.state, baseline.reason_code, baseline.fault_code = state, None, None
        baseline.state_since, baseline.andon_call_id = at, None
    add_state_changes(session, [StateAt(equipment_id, at, state, None, JOB_SOURCE)])
