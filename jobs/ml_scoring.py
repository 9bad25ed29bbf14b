"""Job: the prediction work of every hour — score the machines with the active downtime-risk version, join past
predictions to what happened, check the features for drift (which may retrain) — and the anomaly scan.

Ticks every 5 minutes and asks the store what is due (core.ml.service: a version not scored since the site's
clock hour began — the scoring is made as of the hour's start, like the training rows — a drift check an hour
old), so a newly active version scores within minutes and a restart neither skips nor doubles an hour. Nothing
to do (no active version, no machine in a shift) is silence; a failing step is logged (a refusal in words as one
line, anything else with its traceback) and the others still run.
"""

from __future__ import annotations

import logging

from jobs.context import JobContext

log = logging.getLogger(__name__)


def score_predictions(context: JobContext) -> None:
    # Imported when the job runs: scikit-learn takes seconds to import, and every `floorboard` command loads the
    # list of jobs.
    from core.ml import service

    db, clock = context.db, context.clock
    for name, step in (("scoring", _score), ("outcomes", _join), ("drift", _drift), ("anomalies", _anomalies)):
        if not context.lease_held():
            return
        try:
            step(service, db, clock)
        except ValueError as exc:  # a damaged artefact, a refused request: said in words
            log.error("predictions, %s: %s", name, exc)
        except Exception:  # e.g. an artefact joblib cannot read after a scikit-learn upgrade: the other steps run
            log.exception("predictions, %s failed", name)


def _score(service, db, clock) -> None:
    if service.scoring_due(db, clock):
        log.info("predictions: %d machine(s) scored", service.score_machines(db, clock))


def _join(service, db, clock) -> None:
    joined = service.join_outcomes(db, clock)
    if joined:
        log.info("predictions: %d outcome(s) joined to what happened", joined)


def _drift(service, db, clock) -> None:
    if service.drift_due(db, clock):
        log.info("predictions: %s", service.check_drift(db, clock)["note"])


def _anomalies(service, db, clock) -> None:
    found = service.find_new_anomalies(db, clock)
    if found:
        log.info("anomalies: %d new stretch(es) of odd minutes", found)
