"""Two trials for the demo plant: one completed over part of the simulated history, one running now."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from core.accounts import Actor
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
    hour = now.replace(minute=0, second=0, microsecond=0)
    added = 0
    if FINISHED_TITLE not in known:
        start = hour - timedelta(days=3)
        plan = trial_plan(FINISHED_TITLE, "L1", "film tension = 40 N\nsealing temperature = 165 °C",
                          "Fewer film breaks on Bagger 1: availability up by 3 points", start, start + timedelta(hours=8))
        trial = create_trial(db, plan, DEMO_PLANNER, start - timedelta(days=2))
        start_trial(db, trial.id, DEMO_PLANNER, start)
        complete_trial(db, trial.id, "Two film breaks in eight hours instead of the usual five.",
                       "Keep 40 N; check the dancer arm spring at the next service.", True, DEMO_PLANNER,
                       start + timedelta(hours=8))
        added += 1
    if RUNNING_TITLE not in known:
        start = hour - timedelta(hours=5)
        plan = trial_plan(RUNNING_TITLE, "L2", "purge interval = 2 h\npurge time = 20 s",
                          "Fewer short stops on the filler for drips", start, start + timedelta(hours=24))
        trial = create_trial(db, plan, DEMO_PLANNER, start - timedelta(days=1))
        start_trial(db, trial.id, DEMO_PLANNER, now, at=start)
        added += 1
    return added
