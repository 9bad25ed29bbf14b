"""`floorboard ml train|evaluate` in-process with click's runner, and the plant file's [ml] through `plant load` and
`plant dump`: evaluate --json prints the numbers stored with the active version and the accuracy its predictions
achieved, the same object the model page is built from (core.ml.service.evaluate_active)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.clock import utc_now
from core.database_setup import prepare_database
from core.ml import service
from core.ml.predictions import NewPrediction, record_outcomes, store_predictions
from core.ml.promotion import AgainstActive
from core.ml.registry import NewVersion
from core.ml.service_versions import register_trained
from core.ml.views import Driver, Metrics
from core.persistence.database import make_engine, make_session_factory
from core.persistence.ml_tables import MlPrediction
from core.plant.equipment import machines
from dashapp.cli import main
from tests.conftest import EXAMPLE_PLANT
from tests.support.ml_store import write_simulated_plant

NOW = utc_now().replace(microsecond=0)
HOLDOUT = Metrics(rows=1200, positives=300, roc_auc=0.71, brier=0.161, precision_at_k=0.52, k=3)
BASELINE = Metrics(rows=1200, positives=300, roc_auc=0.62, brier=0.175, precision_at_k=0.41, k=3)


@pytest.fixture
def invoke(monkeypatch, tmp_path):
    def run(url: str, *args: str):
        monkeypatch.setenv("FLOORBOARD_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("FLOORBOARD_DATABASE_URL", url)
        return CliRunner().invoke(main, list(args))
    return run


def active_version_with_predictions(db) -> None:
    verdict = ("beats the baseline: ROC-AUC 0.71 against 0.62 (higher in 100% of 500 resamples), Brier 0.161 "
               "against 0.175")
    new = NewVersion(
        model="downtime_risk", trained_by="job:retrain_models", train_start=NOW - timedelta(days=40),
        train_end=NOW - timedelta(days=11), holdout_start=NOW - timedelta(days=10), holdout_end=NOW - timedelta(days=1),
        features=("hour_of_day", "faults_1h:F12"), metrics={**asdict(HOLDOUT), "beats_baseline": True,
                                                           "verdict": verdict},
        baseline_metrics=asdict(BASELINE), artefact={"stands for": "a trained model"},
        parameters={"stop_minutes": 10.0, "horizon_hours": 4.0, "top_k": 3, "retrain_psi": 0.25})
    version = register_trained(db, new, True, verdict, lambda *_: AgainstActive(0, False, ""), NOW)
    plant = machines(db)
    with db.begin() as session:
        for hours_ago, chances in ((30, (0.8, 0.3, 0.1, 0.05)), (20, (0.2, 0.7, 0.4, 0.1))):
            made = NOW - timedelta(hours=hours_ago)
            store_predictions(session, version.id, made, made + timedelta(hours=4), [
                NewPrediction(m.id, p, 0.2, (Driver("faults_1h:F12", "fault F12 (Photo-eye fault) twice", 0.1),))
                for m, p in zip(plant, chances)])
        # what happened: the machine the model gave more than even odds stopped, the others did not
        rows = session.scalars(select(MlPrediction)).all()
        record_outcomes(session, {row.id: row.probability > 0.5 for row in rows}, NOW)


def test_evaluate_json_prints_the_numbers_stored_with_the_active_version(database_url, plant, invoke):
    result = invoke(database_url, "ml", "evaluate", "--json")
    assert result.exit_code == 1 and json.loads(result.output) == {
        "model": "downtime_risk", "active": False, "version": None,
        "note": "No downtime_risk model has been trained yet: run `floorboard ml train` once the plant has a week "
                "or more of history (the nightly retraining tries every night)."}

    active_version_with_predictions(plant)
    result = invoke(database_url, "ml", "evaluate", "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert result.output.count("\n") == 1  # one JSON object on one line
    assert printed["model_metrics"] == asdict(HOLDOUT) and printed["baseline_metrics"] == asdict(BASELINE)
    assert printed["beats_baseline"] is True and printed["version"] == 1
    assert printed["holdout_window"] == {"start": (NOW - timedelta(days=10)).isoformat(),
                                         "end": (NOW - timedelta(days=1)).isoformat()}
    # 8 predictions joined to what happened: the model ranked the two stops first, the flat baseline could not
    achieved = printed["achieved"]
    assert (achieved["model"]["rows"], achieved["model"]["positives"]) == (8, 2)
    assert achieved["model"]["roc_auc"] == 1.0 and achieved["baseline"]["roc_auc"] == 0.5
    assert achieved["model"]["precision_at_k"] == pytest.approx(1 / 3)
    page = json.loads(json.dumps(service.evaluate_active(plant, clock=NOW)))  # what the model page reads
    for reading in (printed, page):  # the command read the wall clock a moment after NOW
        del reading["achieved"]["since"], reading["achieved"]["until"]
    assert printed == page

    text = invoke(database_url, "ml", "evaluate").output
    assert "ROC-AUC (higher is better)                 0.710     0.620" in text
    assert "Beats the baseline: yes (on the holdout it beats the baseline: ROC-AUC 0.71 against 0.62" in text


def test_train_prints_what_it_stored_and_too_little_history_is_one_line(tmp_path, invoke):
    url = f"sqlite:///{tmp_path / 'floorboard.db'}"
    engine = make_engine(url)
    prepare_database(engine)
    db = make_session_factory(engine)
    end = NOW.replace(second=0)
    write_simulated_plant(db, 4, end - timedelta(days=3), end, counts="hour")
    refused = invoke(url, "ml", "train")
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: Too little history to train and test: the outcomes known so far cover")
    assert refused.output.count("\n") == 1

    write_simulated_plant(db, 4, end - timedelta(days=14), end - timedelta(days=3), counts="hour")
    result = invoke(url, "ml", "train", "--model", "downtime_risk")
    assert result.exit_code == 0, result.output
    version = service.model_overview(db, "downtime_risk", utc_now()).versions[0]
    assert result.output.startswith(f"Trained downtime_risk version 1 ({len(version.features)} features): learned on "
                                    f"{version.train_start:%Y-%m-%d} to {version.train_end:%Y-%m-%d}, tested on "
                                    f"{version.holdout_start:%Y-%m-%d} to {version.holdout_end:%Y-%m-%d}.")
    m, b = version.metrics, version.baseline_metrics
    assert f"ROC-AUC (higher is better)                 {m['roc_auc']:.3f}     {b['roc_auc']:.3f}" in result.output
    assert f"Brier score (lower is better)              {m['brier']:.3f}     {b['brier']:.3f}" in result.output
    assert f"Status: {version.status}. {version.decision}" in result.output
    assert version.trained_by.startswith("cli")
    engine.dispose()


def test_plant_load_stores_the_ml_section_and_dump_writes_it_back(database_url, engine, invoke, tmp_path):
    plant = tmp_path / "plant.toml"
    example = Path(EXAMPLE_PLANT).read_text(encoding="utf-8")
    ours = "[ml]\nstop_minutes = 15\nhorizon_hours = 8\ntop_k = 5\nretrain_psi = 0.3\n"
    assert example.count("[ml]\nstop_minutes = 10\nhorizon_hours = 4\ntop_k = 3\nretrain_psi = 0.25\n") == 1
    plant.write_text(example.replace("[ml]\nstop_minutes = 10\nhorizon_hours = 4\ntop_k = 3\nretrain_psi = 0.25\n",
                                     ours), encoding="utf-8")
    loaded = invoke(database_url, "plant", "load", str(plant))
    assert loaded.exit_code == 0, loaded.output
    assert "ml settings" in loaded.output
    dumped = invoke(database_url, "plant", "dump")
    assert tomllib.loads(dumped.output)["ml"] == {"stop_minutes": 15.0, "horizon_hours": 8.0, "top_k": 5,
                                                  "retrain_psi": 0.3}

    plant.write_text(plant.read_text(encoding="utf-8").replace("top_k = 5", "top_k = 0"), encoding="utf-8")
    refused = invoke(database_url, "plant", "load", str(plant))
    assert refused.exit_code == 1
    assert f"Error: {plant}: ml.top_k: Input should be greater than or equal to 1" in refused.output
