"""Two trials for the demo plant: one completed over a shift of the simulated history, one running now.

Both sit on the site's shifts (a trial over a Sunday morning without a shift would have nothing to measure):
the finished one over the last shift that ended two days ago or earlier, the running one since the start of
the last shift that began an hour ago or earlier."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from core.accounts import Actor
from core.plant.equipment import site_calendar
from core.shift_calendar import shift_instances
from core.trials.planning import create_trial
from core.trials.progress import complete_trial, start_trial
from core.trials.trial_input import trial_plan
from core.trials.views import list_trials

DEMO_PLANNER = Actor("engineer")  # the demo's engineer (core.demo_users), who holds trials.manage
FINISHED_TITLE = "Bagger film tension 40 N"
RUNNING_TITLE = "Filler nozzle purge every 2 h"


def seed_demo_trials(db: sessionmaker[Session], now: datetime) -> int:
    """Add the demo's trials on lines L1 and L2 unless they are there already; return how many were added."""
    known = {t.title for t in list_trials(db)}
    added = 0
    if FINISHED_TITLE not in known:
        start, end = _last_shift(db, now - timedelta(days=2), ended=True)
        plan = trial_plan(FINISHED_TITLE, "L1", "film tension = 40 N\nsealing temperature = 165 °C",
                          "Fewer film breaks on Bagger 1: availability up by 3 points", start, end)
        trial = create_trial(db, plan, DEMO_PLANNER, start - timedelta(days=2))
        start_trial(db, trial.id, DEMO_PLANNER, start)
        complete_trial(db, trial.id, "Two film breaks in the shift instead of the usual five.",
                       "Keep 40 N; check the dancer arm spring at the next service.", True, DEMO_PLANNER, end)
        added += 1
    if RUNNING_TITLE not in known:
        start, _end = _last_shift(db, now - timedelta(hours=1), ended=False)
        plan = trial_plan(RUNNING_TITLE, "L2", "purge interval = 2 h\npurge time = 20 s",
                          "Fewer short stops on the filler for drips", start, start + timedelta(days=1))
        trial = create_trial(db, plan, DEMO_PLANNER, start - timedelta(days=1))
        start_trial(db, trial.id, DEMO_PLANNER, now, at=start)
        added += 1
    return added


def _last_shift(db: sessionmaker[Session], moment: datetime, ended: bool) -> tuple[datetime, datetime]:
    """The last shift that ended (or began) at `moment` or before, within a week; eight hours up to (from)
    the hour of `moment` when the site has no shift then."""
    calendar = site_calendar(db)
    found = shift_instances(list(calendar.shifts), calendar.zone, moment - timedelta(days=7), moment) \
        if calendar else []
    found = [s for s in found if (s.end if ended else s.start) <= moment]
    if found:
        return found[-1].start, found[-1].end
    hour = moment.replace(minute=0, second=0, microsecond=0)
    return (hour - timedelta(hours=8), hour) if ended else (hour, hour + timedelta(hours=8))
