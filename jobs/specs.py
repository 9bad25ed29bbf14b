"""The list of background jobs: what runs, how often, and how a late run is treated.

misfire_grace_time and coalesce are chosen per job on purpose:
- poll_plcs every second, coalesce=True and a 2 s grace: PLC counters are
  cumulative, so one late poll catches up everything a skipped one would have
  seen; running a backlog of missed polls would only write the same moment twice.
- roll_up_oee every minute, coalesce=True and a 5 minute grace: a run recomputes
  everything written since the last one, so one run after a pause replaces all
  the missed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from jobs.context import JobContext
from jobs.oee_rollups import roll_up_oee
from jobs.plc_polling import poll_plcs


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[[JobContext], None]
    seconds: float
    misfire_grace_time: int
    coalesce: bool


JOB_SPECS: tuple[JobSpec, ...] = (
    JobSpec("poll_plcs", poll_plcs, seconds=1, misfire_grace_time=2, coalesce=True),
    JobSpec("roll_up_oee", roll_up_oee, seconds=60, misfire_grace_time=300, coalesce=True),
)
