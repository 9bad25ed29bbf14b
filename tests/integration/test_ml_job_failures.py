"""The prediction jobs when something fails that is not a refusal in words: a crash inside a training run, a version
that cannot be put to work, an artefact joblib can no longer read, a retraining on drift that crashes. Each is
recorded or logged once, and the rest of the job's work still runs.

A crash inside scikit-learn (or running out of memory) cannot be brought on at will, so where a test needs one,
the trainer (core.ml.service_training._train_downtime_risk) is replaced by a function that raises, and says so;
everything around it (the audit log, the schedule, the registry, the jobs) is the real thing on a real store.
"""

import logging
import pickle
import sys
import types
from datetime import timedelta

import pytest
from sqlalchemy import update

from core.audit import AuditFilter, find_entries
from core.database_setup import prepare_database
from core.ml import service, service_training
from core.ml.drift import drift_reference
from core.ml.registry import NewVersion, checksum_of
from core.ml.service_versions import register_trained
from core.persistence.database import make_engine, make_session_factory
from core.persistence.ml_tables import MlModelVersion
from core.plant.config_ml import MlSettings, apply_ml_settings
from core.plant.config_store import apply_plant_config
from jobs.context import JobContext
from jobs.ml_retraining import retrain_models
from jobs.ml_scoring import score_predictions
from tests.support.ml_plant import END
from tests.support.ml_store import plant_with, write_simulated_plant

NIGHT = END + timedelta(days=1)  # a night after END: tonight's retraining is due


@pytest.fixture
def store(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'floorboard.db'}")
    prepare_database(engine)
    yield make_session_factory(engine)
    engine.dispose()


def crash(*_args):
    raise RuntimeError("scikit-learn crashed")  # stands for a crash inside the library (see the module docstring)


def version_of(model: str, artefact, drift: dict | None = None) -> NewVersion:
    return NewVersion(model=model, trained_by="cli:test", train_start=END - timedelta(days=14),
                      train_end=END - timedelta(days=4), holdout_start=END - timedelta(days=3), holdout_end=END,
                      features=("machine",), metrics={"roc_auc": 0.7}, baseline_metrics={"roc_auc": 0.6},
                      artefact=artefact, parameters=MlSettings().model_dump(),
                      drift_reference=drift or {"rows": 0, "features": {}})


def register_active(db, model: str, artefact, drift: dict | None = None):
    version = register_trained(db, version_of(model, artefact, drift), True, "beats the baseline", None, END)
    assert version.status == "active"
    return version


def errors(caplog, logger: str):
    return [r for r in caplog.records if r.name == logger and r.levelno >= logging.ERROR]


def test_a_training_that_crashes_is_one_attempt_a_night_and_the_anomaly_model_is_still_trained(
        store, monkeypatch, caplog):
    apply_plant_config(store, plant_with(2))  # machines, no history: the anomaly model refuses in words
    tried = []
    monkeypatch.setattr(service_training, "_train_downtime_risk", lambda *args: tried.append(args) or crash())
    context = JobContext(db=store, clock=lambda: NIGHT, home=None)
    with caplog.at_level(logging.INFO, logger="jobs"):
        for _tick in range(3):  # three ticks of 15 minutes, same night
            retrain_models(context)
    assert len(tried) == 1
    failed = errors(caplog, "jobs.ml_retraining")
    assert [r.getMessage() for r in failed] == ["nightly retraining of downtime_risk failed"]
    assert failed[0].exc_info[0] is RuntimeError
    lines = [r.getMessage() for r in caplog.records if r.name == "jobs.ml_retraining" and r.levelno == logging.INFO]
    assert len(lines) == 1 and lines[0].startswith("nightly retraining of anomaly: not trained: ")
    audited = find_entries(store, AuditFilter(action="ml.train_failed")).records
    assert sorted(r.target for r in audited) == ["anomaly", "downtime_risk"]
    crashed = next(r for r in audited if r.target == "downtime_risk")
    assert "RuntimeError: scikit-learn crashed" in crashed.detail
    assert service.last_training_attempt(store, "downtime_risk") == NIGHT


def test_a_version_that_cannot_be_put_to_work_does_not_stop_the_job(store, monkeypatch, caplog):
    apply_plant_config(store, plant_with(2))
    # the "training" registers an active version whose artefact is no risk model: putting it to work fails for real
    monkeypatch.setattr(service_training, "_train_downtime_risk",
                        lambda db, now, by: register_trained(db, version_of("downtime_risk", {"not": "a model"}),
                                                             True, "beats the baseline", None, now))
    with caplog.at_level(logging.INFO, logger="jobs"):
        retrain_models(JobContext(db=store, clock=lambda: NIGHT, home=None))
    failed = errors(caplog, "jobs.ml_retraining")
    assert [r.getMessage() for r in failed] == [
        "downtime_risk version 1 is active but could not be put to work at once"]
    assert any(r.getMessage().startswith("nightly retraining of anomaly: not trained: ") for r in caplog.records)


class _Gone:
    """A class pickled from a module that is then removed, as a scikit-learn upgrade removes private modules."""


def unreadable_artefact() -> bytes:
    module = types.ModuleType("sklearn_module_of_an_older_release")
    _Gone.__module__ = module.__name__
    module._Gone = _Gone
    sys.modules[module.__name__] = module
    try:
        return pickle.dumps(_Gone())
    finally:
        del sys.modules[module.__name__]
        _Gone.__module__ = __name__


def test_a_scoring_that_cannot_read_its_artefact_does_not_stop_the_other_steps(store, caplog):
    apply_plant_config(store, plant_with(2))
    version = register_active(store, "downtime_risk", {"replaced": "below"})
    data = unreadable_artefact()
    with store.begin() as session:  # as left by an older scikit-learn: stored whole, checksum right
        session.execute(update(MlModelVersion).where(MlModelVersion.id == version.id)
                        .values(artefact=data, checksum=checksum_of(data)))
    with caplog.at_level(logging.INFO, logger="jobs"):
        score_predictions(JobContext(db=store, clock=lambda: END + timedelta(hours=1), home=None))
    failed = [r for r in errors(caplog, "jobs.ml_scoring") if "scoring" in r.getMessage()]
    assert len(failed) == 1
    assert "sklearn_module_of_an_older_release" in (failed[0].getMessage() + str(failed[0].exc_info))
    # the drift step ran after it (and said in words that there was nothing to compare)
    assert any(r.getMessage().startswith("predictions: ") for r in caplog.records if r.name == "jobs.ml_scoring")


def test_a_retraining_on_drift_that_crashes_counts_as_the_days_retraining(store, monkeypatch, caplog):
    write_simulated_plant(store, 2, END - timedelta(days=10), END + timedelta(days=2), counts="hour")
    dataset = service_training.training_dataset(store, END, MlSettings(), days=10)
    register_active(store, "downtime_risk", {"auc": 0.7}, drift_reference(dataset.frame, dataset.specs))
    with store.begin() as session:  # a threshold every check reaches
        apply_ml_settings(session, MlSettings(retrain_psi=1e-6))
    monkeypatch.setattr(service_training, "_train_downtime_risk", crash)

    with caplog.at_level(logging.ERROR, logger="core.ml"):
        first = service.check_drift(store, END + timedelta(days=1))
    assert first["retrain"] and "retrained" not in first
    assert first["note"].endswith("Retraining failed (RuntimeError: scikit-learn crashed); see the log.")
    assert [r.getMessage() for r in caplog.records] == ["retraining on drift failed"]
    an_hour_later = service.check_drift(store, END + timedelta(days=1, hours=1))
    assert not an_hour_later["retrain"] and an_hour_later["note"].endswith("retraining waits.")
