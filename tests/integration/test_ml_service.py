"""The prediction use cases end to end on a real SQLite store holding a simulated plant (the example plant's eight
machines, five weeks, hidden causes on): train, score every machine, join the predictions to what happened,
achieved accuracy, evaluate, drift (and retraining on drift); and what happens with too little history, where
the jobs log a line and carry on.

The store is written once per module (counts stored per hour, the totals downtime risk reads) and copied for
each test, so every test starts from the same data in a second.
"""

import logging
import shutil
from datetime import datetime, timedelta

import pytest

from core.audit import AuditFilter, find_entries
from core.database_setup import prepare_database
from core.ml import service
from core.ml.schedule import retraining_due
from core.persistence.database import make_engine, make_session_factory
from core.plant.config_ml import MlSettings, apply_ml_settings
from core.plant.equipment import machines, site_zone
from core.timeline import state_changes
from jobs.context import JobContext
from jobs.ml_retraining import retrain_models
from jobs.ml_scoring import score_predictions
from tests.support.ml_plant import END
from tests.support.ml_store import write_simulated_plant

DAYS = 35  # with the demo seed, enough for the planted causes to show (28 days of it are not, by luck)
AFTER = timedelta(hours=32)  # the store goes on after END (the moment of training) so outcomes can be joined
STOP, HORIZON = timedelta(minutes=10), timedelta(hours=4)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("ml") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    write_simulated_plant(make_session_factory(engine), 8, END - timedelta(days=DAYS), END + AFTER, counts="hour")
    engine.dispose()
    return path


@pytest.fixture
def store(template, tmp_path):
    path = tmp_path / "floorboard.db"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine)
    engine.dispose()


def stopped_within(changes, t: datetime) -> bool:
    """An unplanned stop (a run of "down", however its fault codes change) of 10 minutes or more began in
    (t, t + 4 h]: worked out here from the stored state changes, one by one."""
    runs, begun = [], None
    for change in changes:
        if change.state == "down" and begun is None:
            begun = change.at
        elif change.state != "down" and begun is not None:
            runs.append((begun, change.at))
            begun = None
    return any(t < start <= t + HORIZON and end - start >= STOP for start, end in runs)


def test_train_score_join_evaluate_on_a_simulated_plant(store):
    version = service.train_model(store, END, by="cli:test")
    assert (version.version, version.status, version.trained_by) == (1, "active", "cli:test")
    assert version.metrics["beats_baseline"] is True and version.decision.startswith("Made active: on its holdout")
    assert version.holdout_end <= END and version.train_end < version.holdout_start

    plant = machines(store)
    assert service.scoring_due(store, END)
    # made active: put to work at once, not at the next hourly tick (06:00 on a Monday: every machine is in a shift)
    assert service.put_to_work(store, END, version) == len(plant)
    assert not service.scoring_due(store, END + timedelta(minutes=59))
    assert service.score_machines(store, END + timedelta(minutes=30)) == 0  # that hour is scored: never twice
    # the next hour's first tick, however late in it, scores as of 07:00: a moment like those the model learned on
    late = END + timedelta(hours=1, minutes=36)
    assert service.scoring_due(store, late)
    assert service.score_machines(store, late) == len(plant)
    assert not service.scoring_due(store, late)

    board = service.risk_board(store, END + timedelta(hours=1))
    assert board.note == "" and board.version.version == 1 and board.beats_baseline is True
    assert (board.stop_minutes, board.horizon_hours) == (10, 4)
    assert [r.probability for r in board.rows] == sorted((r.probability for r in board.rows), reverse=True)
    assert {r.made_at for r in board.rows} == {END + timedelta(hours=1)}
    # only what raises the chance by two points or more is a reason: a machine at its usual risk may have none
    assert all(0 <= r.probability <= 1 and len(r.drivers) <= 3 and all(d.text for d in r.drivers)
               for r in board.rows) and any(r.drivers for r in board.rows)

    # END + 5 h 10 min: the first scoring's outcomes are known, the second's not yet
    assert service.join_outcomes(store, END + HORIZON + STOP) == len(plant)
    assert service.join_outcomes(store, END + timedelta(hours=6)) == len(plant)
    changes = state_changes(store, [m.id for m in plant], END - timedelta(hours=1), END + AFTER)
    overview = service.model_overview(store, "downtime_risk", END + timedelta(hours=6))
    stops = sum(stopped_within(changes[m.id], t) for m in plant for t in (END, END + timedelta(hours=1)))
    assert (overview.achieved.model.rows, overview.achieved.model.positives) == (2 * len(plant), stops)
    assert overview.achieved.baseline.positives == stops

    evaluation = service.evaluate_active(store, clock=END + timedelta(hours=6))
    assert evaluation["version"] == 1 and evaluation["beats_baseline"] is True
    assert evaluation["model_metrics"] == {k: v for k, v in version.metrics.items()
                                           if k not in ("beats_baseline", "verdict")}
    assert evaluation["baseline_metrics"] == version.baseline_metrics
    assert evaluation["holdout_window"] == {"start": version.holdout_start.isoformat(),
                                            "end": version.holdout_end.isoformat()}
    assert evaluation["achieved"]["model"]["roc_auc"] == overview.achieved.model.roc_auc
    assert evaluation["achieved"]["model"]["rows"] == 2 * len(plant)


def test_drift_is_stored_and_retrains_once_past_the_threshold(store):
    service.train_model(store, END, by="cli:test")
    checked = service.check_drift(store, END + timedelta(hours=2))
    assert checked["checked"] and checked["psi"] and checked["max_psi"] == max(checked["psi"].values())
    assert not service.drift_due(store, END + timedelta(hours=2, minutes=30))
    overview = service.model_overview(store, "downtime_risk", END + timedelta(hours=2))
    assert overview.drift == checked["psi"] and overview.drift_checked_at == END + timedelta(hours=2)

    with store.begin() as session:  # a threshold every check reaches
        apply_ml_settings(session, MlSettings(retrain_psi=1e-6))
    soon = service.check_drift(store, END + timedelta(hours=3))
    assert not soon["retrain"] and "retraining waits" in soon["note"]  # trained 3 hours ago
    later = service.check_drift(store, END + timedelta(hours=30))
    assert later["retrain"] and later["retrained"] == 2 and later["note"].startswith("Drift: the largest")
    newest = service.model_overview(store, "downtime_risk", END + timedelta(hours=30)).versions[0]
    assert (newest.version, newest.trained_by) == (2, "job:drift")


def test_too_little_history_is_said_in_words_and_the_jobs_carry_on(tmp_path, caplog):
    engine = make_engine(f"sqlite:///{tmp_path / 'short.db'}")
    prepare_database(engine)
    db = make_session_factory(engine)
    write_simulated_plant(db, 2, END - timedelta(days=3), END, counts="hour")
    with pytest.raises(ValueError, match="Too little history to train and test: .* at least 7 days are needed"):
        service.train_model(db, END, by="cli:test")
    failed = find_entries(db, AuditFilter(action="ml.train_failed")).records
    assert [(r.actor, r.target) for r in failed] == [("cli:test", "downtime_risk")]
    attempted = service.last_training_attempt(db, "downtime_risk")
    assert not retraining_due(END + timedelta(hours=1), site_zone(db), attempted)
    assert retraining_due(END + timedelta(days=1), site_zone(db), attempted)

    board = service.risk_board(db, END)
    assert board.rows == () and board.note.startswith("No downtime_risk model has been trained yet: run `floorboard")
    assert service.evaluate_active(db, clock=END)["active"] is False

    context = JobContext(db=db, clock=lambda: END + timedelta(days=1), home=tmp_path)
    with caplog.at_level(logging.INFO, logger="jobs"):
        retrain_models(context)
        score_predictions(context)
        retrain_models(context)  # tonight's attempt was made: nothing more until tomorrow night
    lines = [r.getMessage() for r in caplog.records if r.name == "jobs.ml_retraining"]
    assert len(lines) == 2  # one a model: the anomaly model learns from three days (and is judged on them)
    assert lines[0].startswith("nightly retraining of downtime_risk: not trained: Too little history")
    assert lines[1].startswith("nightly retraining of anomaly: version 1 is ")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    engine.dispose()
