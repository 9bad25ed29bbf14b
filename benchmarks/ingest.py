"""Benchmark: events per second through POST /api/v1/events in batches of 500, SQLite and MariaDB side by side.

Each database gets a fresh instance behind `gunicorn -w 2`; one client posts
batches back to back for a fixed number of batches (half state, half count
events, each with an id), over loopback HTTP. Prints one JSON line.

    .venv/bin/python benchmarks/ingest.py [--batches 40]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timedelta, timezone

import requests

from instance import database, gunicorn, prepare

MACHINES = ("MIX1", "BAG1", "CHK1", "PAL1", "DEP2", "FIL2", "CAP2", "LAB2")
STATES = ("running", "down", "running", "idle")


def batch(number: int, size: int, start: datetime, prefix: str = "b") -> dict:
    events = []
    for i in range(size):
        n = number * size + i
        at = (start + timedelta(seconds=n)).isoformat()
        machine = MACHINES[n % len(MACHINES)]
        if n % 2:
            events.append({"id": f"{prefix}{n}", "type": "count", "equipment": machine, "at": at, "good": 5, "reject": n % 2})
        else:
            events.append({"id": f"{prefix}{n}", "type": "state", "equipment": machine, "at": at,
                           "state": STATES[(n // 2) % len(STATES)]})
    return {"events": events}


def measure(kind: str, batches: int, size: int) -> dict:
    with database(kind) as (url, home):
        _, key = prepare(url)
        with gunicorn(url, home, workers=2) as base:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {key}"
            start = datetime.now(timezone.utc) - timedelta(days=3)
            bodies = [batch(n, size, start) for n in range(batches)]
            session.post(f"{base}/api/v1/events", json=batch(0, 10, start - timedelta(days=1), prefix="warm"))
            began = time.perf_counter()
            for body in bodies:
                response = session.post(f"{base}/api/v1/events", json=body, timeout=60)
                assert response.status_code == 200 and response.json()["stored"] == size, response.text
            elapsed = time.perf_counter() - began
            replay = time.perf_counter()
            response = session.post(f"{base}/api/v1/events", json=bodies[0], timeout=60)
            assert response.json()["duplicates"] == size
            replay_s = time.perf_counter() - replay
    return {"events_per_s": round(batches * size / elapsed), "seconds": round(elapsed, 2),
            "replayed_batch_ms": round(replay_s * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--size", type=int, default=500)
    args = parser.parse_args()
    sqlite = measure("sqlite", args.batches, args.size)
    mariadb = measure("mariadb", args.batches, args.size)
    print(json.dumps({"benchmark": "ingest", "batch_size": args.size, "batches": args.batches,
                      "sqlite": sqlite, "mariadb": mariadb,
                      "mariadb_over_sqlite": round(mariadb["events_per_s"] / sqlite["events_per_s"], 2),
                      "goal_sqlite_events_per_s": 5000}))


if __name__ == "__main__":
    main()
