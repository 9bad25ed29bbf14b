"""Job: the nightly retraining of the prediction models (downtime risk, then anomalies).

Ticks every 15 minutes; core.ml.schedule.retraining_due says from the stored versions and failed attempts whether
tonight's run (02:30 site time) is still to do. Too little history is one log line per model and night (the
attempt is recorded as ml.train_failed), never an exception per tick. Any other failure of one model (a crash in
scikit-learn, out of memory, the database gone) is one logged traceback: it is recorded as an attempt too, and
the next model is still trained. A version that cannot be put to work at once is scored at the next hourly tick.
"""

from __future__ import annotations

import logging

from core.ml.registry import MODELS
from core.ml.schedule import retraining_due
from core.plant.equipment import site_zone
from jobs.context import JobContext

log = logging.getLogger(__name__)
TRAINED_BY = "job:retrain_models"


def retrain_models(context: JobContext) -> None:
    zone = site_zone(context.db)
    for model in MODELS:
        if context.lease_held():
            _retrain(context, model, zone)


def _retrain(context: JobContext, model: str, zone) -> None:
    # Imported when the job runs: scikit-learn takes seconds to import, and every `floorboard` command loads the
    # list of jobs.
    from core.ml.service import last_training_attempt, put_to_work, train_model

    now = context.clock()
    if not retraining_due(now, zone, last_training_attempt(context.db, model)):
        return
    try:
        version = train_model(context.db, now, model, by=TRAINED_BY)
    except ValueError as exc:  # too little history, too few stops: said in words, tried again tomorrow
        log.info("nightly retraining of %s: not trained: %s", model, exc)
        return
    except Exception:  # recorded as tonight's attempt by train_model: tried again tomorrow, not every tick
        log.exception("nightly retraining of %s failed", model)
        return
    log.info("nightly retraining of %s: version %d is %s. %s", model, version.version, version.status,
             version.decision)
    if version.status != "active":
        return
    try:
        log.info("%s version %d put to work: %d stored", model, version.version, put_to_work(context.db, now, version))
    except Exception:  # the hourly job scores it (or scans with it) at its next tick
        log.exception("%s version %d is active but could not be put to work at once", model, version.version)
