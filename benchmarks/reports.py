"""Benchmark: the daily plant report of a 50-machine plant as a PDF, in seconds and peak memory.

Builds 5 lines x 10 simulated machines (benchmarks/oee.py's plant) in a temporary SQLite database, writes a
day of simulated states and per-minute counts (breakdowns, changeovers, small stops, rejects), then times
building the daily plant report from the OEE service and rendering it as a PDF, as `floorboard report build
daily` does. Peak memory: tracemalloc's peak of the Python heap during build and render, and the process's
maximum resident set (ru_maxrss, which includes the interpreter and the loaded libraries).

    .venv/bin/python benchmarks/reports.py [--machines-per-line 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone

from instance import database, prepare
from pypdf import PdfReader
from oee import big_plant

from core.plant.config_store import apply_plant_config
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.sim_plant import backfill_history
from core.reports.build import build_report
from core.reports.render_pdf import render_pdf
from core.reports.windows import ReportRequest

DAY = date(2026, 3, 3)  # a Tuesday: three shifts


def measure(per_line: int, runs: int) -> dict:
    with database("sqlite") as (url, _home):
        db, _ = prepare(url)
        apply_plant_config(db, big_plant(per_line))
        plant, calendar = machines(db), site_calendar(db)
        start = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)  # from the day before: the night shift runs in
        summary = backfill_history(db, plant, calendar, fault_catalog(db), start, start + timedelta(days=2))
        now = start + timedelta(days=3)
        request = ReportRequest("daily", DAY)
        seconds, build_s = [], []
        for _ in range(runs):  # timed without tracemalloc, which slows allocation down
            began = time.perf_counter()
            report = build_report(db, request, now)
            built = time.perf_counter()
            pdf = render_pdf(report)
            seconds.append(time.perf_counter() - began)
            build_s.append(built - began)
        tracemalloc.start()
        render_pdf(build_report(db, request, now))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        return {"machines": len(plant), "state_changes": summary.state_changes, "count_rows": summary.count_rows,
                "runs": runs, "seconds_best": round(min(seconds), 3), "seconds_worst": round(max(seconds), 3),
                "content_s": round(min(build_s), 3), "pdf_bytes": len(pdf), "pdf_pages": pages,
                "plant_oee": round(report.sections[0].kpis[0].value, 4),
                "peak_python_heap_mb": round(peak / 2**20, 1),
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machines-per-line", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = measure(args.machines_per_line, args.runs)
    print(json.dumps({"benchmark": "reports", "report": "daily", "sqlite": result,
                      "goals": {"seconds": 3.0, "peak_mb": 300}}))


if __name__ == "__main__":
    main()
