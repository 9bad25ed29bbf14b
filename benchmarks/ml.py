"""Benchmark: downtime risk on 50 machines x 90 days — training through the registry, scoring every machine.

Writes the example plant grown to 50 machines (tests/support/ml_store.py: copies of its eight machines on copied
lines) with 90 days of simulated history (core.plc.sim_plant.simulated_history, hidden causes on: state changes
with fault codes, per-minute counts) into a SQLite file, in a child process so that its memory does not count
below; then, in this process, times:
  (a) core.ml.service.train_model: read the histories from the store (counts summed per hour in SQL), build the
      hourly dataset, train and test on the later days against the baseline, store the version (goal <= 60 s);
  (b) scoring all 50 machines as the hourly job does (core.ml.service_scoring.score_with_version with the version
      just trained, active or not: read the last two days, features now, probabilities, drivers, store; goal <= 1 s);
  (c) for the remarks, the parts of (a): reading and building the dataset again, and the fit alone;
  (d) the anomaly model (no goal in the issue): its training, the size of its stored artefact, one hourly scan;
and prints one JSON line, with the peak resident memory of this process after (a) and (b) (ru_maxrss).

    .venv/bin/python benchmarks/ml.py [--machines 50] [--days 90] [--store PATH (kept, reused when present)]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from core.database_setup import prepare_database  # noqa: E402
from core.persistence.database import make_engine, make_session_factory  # noqa: E402
from tests.support.ml_plant import END  # noqa: E402  (Monday 06:00 at the site: every machine in a shift)
from tests.support.ml_store import write_simulated_plant  # noqa: E402


def generate(path: str, machines: int, days: int) -> None:
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    written = write_simulated_plant(make_session_factory(engine), machines, END - timedelta(days=days), END)
    engine.dispose()
    print(json.dumps(written.__dict__), file=sys.stderr)


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machines", type=int, default=50)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--store", type=Path, default=None, help="SQLite file to keep (reused when it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = args.store or Path(folder) / "ml.db"
        result = run(store, args.machines, args.days)
    print(json.dumps(result))


def run(store: Path, n_machines: int, days: int) -> dict:
    generated_s = None
    if not store.exists():
        started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(target=generate, args=(str(store), n_machines, days))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"generating the store failed (exit code {child.exitcode})")
        generated_s = round(time.perf_counter() - started, 1)

    from sqlalchemy import func, select

    from core.ml import registry, service
    from core.ml.downtime_risk import train_downtime_risk
    from core.ml.service_scoring import score_with_version
    from core.ml.service_training import ml_settings, training_dataset
    from core.persistence.timeline_tables import CountIncrement, StateChange

    engine = make_engine(f"sqlite:///{store}")
    db = make_session_factory(engine)
    with db() as session:
        rows = {"state_changes": session.scalar(select(func.count()).select_from(StateChange)),
                "count_rows": session.scalar(select(func.count()).select_from(CountIncrement))}
    before_mb = peak_mb()

    started = time.perf_counter()
    version = service.train_model(db, END, by="benchmark")
    train_s = time.perf_counter() - started
    with db() as session:
        artefact = registry.load_artefact(session, version.id)
    started = time.perf_counter()
    scored = score_with_version(db, version.id, artefact, END)
    score_s = time.perf_counter() - started
    peak = peak_mb()

    settings = ml_settings(db)
    started = time.perf_counter()
    dataset = training_dataset(db, END, settings)
    dataset_s = time.perf_counter() - started
    started = time.perf_counter()
    train_downtime_risk(dataset, settings)
    fit_s = time.perf_counter() - started
    anomaly = anomaly_figures(db, service, registry)
    engine.dispose()
    return {
        "benchmark": "ml", "machines": n_machines, "days": days, **rows, "generate_s": generated_s,
        "dataset_rows": int(len(dataset.frame)), "features": len(dataset.specs),
        "train_model_s": round(train_s, 2), "of_which_read_and_build_s": round(dataset_s, 2),
        "of_which_fit_and_test_s": round(fit_s, 2), "machines_scored": scored, "score_all_s": round(score_s, 3),
        "peak_rss_mb": peak, "rss_before_training_mb": before_mb,
        "version": {"status": version.status, "roc_auc": version.metrics.get("roc_auc"),
                    "baseline_roc_auc": version.baseline_metrics.get("roc_auc"),
                    "brier": version.metrics.get("brier"), "baseline_brier": version.baseline_metrics.get("brier"),
                    "beats_baseline": version.metrics.get("beats_baseline")},
        "anomaly": anomaly,
        "goal": {"train_model_s": 60, "score_all_s": 1},
    }


def anomaly_figures(db, service, registry) -> dict:
    """The anomaly model on the same store (no goal in the issue; measured so its cost is known): training (per
    machine forests on 14 days of running minutes), the size of its stored artefact, one hourly scan of all
    machines, and the peak memory after it."""
    from sqlalchemy import func, select

    from core.persistence.ml_tables import MlModelVersion

    started = time.perf_counter()
    version = service.train_model(db, END, "anomaly", by="benchmark")
    train_s = time.perf_counter() - started
    with db() as session:
        size = session.scalar(select(func.length(MlModelVersion.artefact)).where(MlModelVersion.id == version.id))
        artefact = registry.load_artefact(session, version.id)
    started = time.perf_counter()
    found = service_anomaly_scan(db, artefact, version.id)
    scan_s = time.perf_counter() - started
    return {"train_s": round(train_s, 2), "artefact_mb": round(size / 1e6, 2), "status": version.status,
            "lift": version.metrics.get("lift"), "hourly_scan_s": round(scan_s, 2), "stretches_found": found,
            "peak_rss_mb": peak_mb()}


def service_anomaly_scan(db, artefact, version_id: int) -> int:
    from core.ml.anomaly import find_anomalies

    return find_anomalies(db, lambda: END, artefact, version_id, since=END - timedelta(hours=1))


if __name__ == "__main__":
    main()
