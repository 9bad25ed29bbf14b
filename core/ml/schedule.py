"""When the prediction jobs' work is due: pure rules of `now` and what the store says was done last.

The scheduler only runs jobs at intervals (jobs/specs.py), so a nightly retraining is a job ticking every
15 minutes that asks `retraining_due`: due once the site's local clock has passed today's RETRAIN_AT and no
training of the model was attempted (trained or failed) since then. A jobs process that was down at 02:30
trains when it comes back; one attempt per night, whatever its outcome, so a plant with too little history
logs one line a night rather than failing every tick. A model never trained is due at once (a fresh demo gets
its first model within minutes, if its history is long enough).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

RETRAIN_AT = time(2, 30)  # site time: after the night shift's busiest hours, before the early shift


def nightly_slot(now: datetime, zone: ZoneInfo, at: time = RETRAIN_AT) -> datetime:
    """The latest `at` (site time) at or before `now`, in UTC. On a spring-forward night a missing 02:30 is
    read with the offset before the change (fold 0), so every day has exactly one slot."""
    local = now.astimezone(zone)
    slot = datetime.combine(local.date(), at, tzinfo=zone)
    if slot.astimezone(timezone.utc) > now:
        slot = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=zone)
    return slot.astimezone(timezone.utc)


def retraining_due(now: datetime, zone: ZoneInfo, last_attempt: datetime | None, at: time = RETRAIN_AT) -> bool:
    return last_attempt is None or last_attempt < nightly_slot(now, zone, at)
