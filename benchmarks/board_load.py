"""Benchmark: 50 tablets polling the operator board's refresh callback every 2 s for 60 s.

Against `gunicorn -w 2 --threads 4 wsgi:app` on a SQLite instance with the
example plant, 14 days of simulated history and the jobs process polling the
simulated PLCs live. Each tablet is a logged-in operator session that sends
what dash-renderer sends (the fields it shows as State) and keeps what comes
back. The clients run on the same 2-core machine as the server. Prints one
JSON line: latency p50/p95/p99 in ms, errors, response sizes.

    .venv/bin/python benchmarks/board_load.py [--tablets 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from datetime import timedelta

from instance import database, gunicorn, jobs_process, logged_in_session, prepare

from core.clock import utc_now
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.sim_plant import backfill_history
from pages.ids import Board as ids


def refresh_request(callback_id: str, line: str, codes: list[str], tick: int, shown: dict) -> dict:
    field_ids = [{"type": ids.FIELD, "machine": code, "field": field} for code in codes for field in ids.FIELDS]
    tile_ids = [{"type": ids.TILE, "machine": code} for code in codes]
    return {
        "output": callback_id,
        "outputs": [[{"id": i, "property": "children"} for i in field_ids],
                    [{"id": i, "property": "className"} for i in tile_ids],
                    {"id": ids.SHIFT, "property": "children"}, {"id": ids.UPDATED, "property": "children"}],
        "inputs": [{"id": ids.TICK, "property": "n_intervals", "value": tick},
                   {"id": ids.SHOWN_LINE, "property": "data", "value": line}],
        "state": [[{"id": i, "property": "children", "value": shown.get(_key(i))} for i in field_ids],
                  [{"id": i, "property": "className", "value": shown.get(_key(i))} for i in tile_ids]],
        "changedPropIds": [f"{ids.TICK}.n_intervals"],
    }


def _key(component_id: dict) -> str:
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def tablet(base, username, line, codes, seconds, results, lock, start_at):
    session = logged_in_session(base, username)
    callback_id = next(d["output"] for d in session.get(f"{base}/_dash-dependencies", timeout=10).json()
                       if "board-field" in d["output"])
    shown: dict = {}
    tick = 0
    while time.monotonic() < start_at:
        time.sleep(0.01)
    deadline = start_at + seconds
    next_poll = time.monotonic()
    while next_poll < deadline:
        began = time.perf_counter()
        try:
            response = session.post(f"{base}/_dash-update-component",
                                    json=refresh_request(callback_id, line, codes, tick, shown), timeout=10)
            ok = response.status_code == 200
            if ok:
                for key, props in response.json()["response"].items():
                    shown[key] = next(iter(props.values()))
            size = len(response.content)
        except Exception:  # noqa: BLE001 - a failed request is counted, not raised
            ok, size = False, 0
        latency = time.perf_counter() - began
        with lock:
            results.append((latency, ok, size, tick))
        tick += 1
        next_poll += 2.0
        time.sleep(max(0.0, next_poll - time.monotonic()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tablets", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    users = [(f"tablet{n:02d}", "operator") for n in range(args.tablets)]
    with database("sqlite") as (url, home):
        db, _ = prepare(url, users)
        now = utc_now()
        backfill_history(db, machines(db), site_calendar(db), fault_catalog(db), now - timedelta(days=14), now)
        lines = {line: [m.code for m in machines(db, line)] for line in ("L1", "L2")}
        with jobs_process(url, home), gunicorn(url, home, workers=2, threads=4) as base:
            results, lock = [], threading.Lock()
            start_at = time.monotonic() + 15  # every tablet logged in before the clock starts
            threads = [threading.Thread(target=tablet, args=(base, name, line, lines[line], args.seconds, results,
                                                             lock, start_at + (n % 20) * 0.1))
                       for n, (name, _) in enumerate(users) for line in [("L1", "L2")[n % 2]]]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    latencies = sorted(r[0] * 1000 for r in results)
    steady = [r for r in results if r[3] > 0]  # after each tablet's first, full answer
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(json.dumps({
        "benchmark": "board_load", "tablets": args.tablets, "seconds": args.seconds, "server": "gunicorn -w 2 --threads 4",
        "requests": len(results), "errors": sum(not r[1] for r in results),
        "latency_ms": {"p50": round(q[49], 1), "p95": round(q[94], 1), "p99": round(q[98], 1),
                       "max": round(latencies[-1], 1)},
        "response_bytes": {"first": max((r[2] for r in results if r[3] == 0), default=0),
                           "steady_median": statistics.median(r[2] for r in steady) if steady else 0,
                           "max": max(r[2] for r in results)},
        "goal": {"p95_ms": 150, "errors": 0, "max_response_bytes": 50_000},
    }))


if __name__ == "__main__":
    main()
