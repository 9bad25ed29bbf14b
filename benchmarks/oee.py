"""Benchmark: the OEE engine on a month of a 50-machine plant, against bare SQL sums over the same rows.

Generates 5 lines x 10 simulated machines x 30 days (state changes with small
stops, breakdowns and changeovers; per-minute counts: about 1.8 million count
rows) on SQLite and on MariaDB, then times in the same run:
  (a) the plant's OEE for the month (core.oee.service.oee_for),
  (b) per-shift OEE of every machine for the month (oee_trend by machine: the trend page's query),
  (c) bare `SELECT equipment_id, SUM(good), SUM(reject) ... GROUP BY` over the same rows (per machine for a,
      per machine and hour for b),
both through the service as the pages and the API use it (hourly roll-ups for the whole hours, built once by
`refresh_rollups` as the jobs process does every minute, the engine for the rest) and straight from the
timelines with the engine alone;
  (d) the OEE page's callbacks for the month through gunicorn (summary + trend + waterfall, Pareto, lines), one
      after another and all three at once as the browser sends them,
  (e) (a) straight from the timelines again after 4 job starts per machine at fractional seconds,
and prints one JSON line with the ratios engine / bare.

    .venv/bin/python benchmarks/oee.py [--days 30] [--machines-per-line 10] [--only sqlite|mariadb]
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from instance import PROJECT, database, gunicorn, logged_in_session, prepare
from sqlalchemy import func, literal_column, select

from core.oee.engine import machine_totals
from core.oee.rollups import refresh_rollups
from core.oee.service import Scope, local_day_window, oee_for, oee_trend
from core.oee.store_queries import integer_division
from core.persistence.timeline_tables import CountIncrement
from core.plant.config_file import read_plant_file
from core.plant.config_schema import PlantConfig
from core.plant.config_store import apply_plant_config
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.sim_plant import backfill_history


def big_plant(per_line: int) -> PlantConfig:
    example = read_plant_file(PROJECT / "examples" / "plant.toml").model_dump()
    template = example["lines"][0]["equipment"][1]  # Bagger 1
    example["lines"] = [
        {"code": f"L{n}", "name": f"Line {n}", "equipment": [
            {**template, "code": f"M{n}{k:02d}", "name": f"Machine {n}.{k}", "ideal_cycle_time_s": 0.5 + 0.25 * k,
             "tags": {role: f"M{n}{k:02d}.{tag}" for role, tag in template["tags"].items()},
             "trend_tags": [f"M{n}{k:02d}.{tag}" for tag in template.get("trend_tags") or []],
             "deadbands": {f"M{n}{k:02d}.{tag}": v for tag, v in (template.get("deadbands") or {}).items()}}
            for k in range(per_line)]}
        for n in range(1, 6)]
    example["faults"] = [{**f, "equipment": []} for f in example["faults"] if not f["equipment"]]
    example["reports"] = [r for r in example["reports"] if not r.get("line")]
    example["products"] = [{**p, "ideal_cycles": {}} for p in example.get("products") or []]
    return PlantConfig.model_validate(example)


def timed(call):
    began = time.perf_counter()
    result = call()
    return time.perf_counter() - began, result


def bare_sums(db, start, end, bucket_s=None):
    columns = [CountIncrement.equipment_id]
    if bucket_s:
        columns.append(integer_division(CountIncrement.at_epoch, literal_column(str(bucket_s))))
    query = (select(*columns, func.sum(CountIncrement.good), func.sum(CountIncrement.reject))
             .where(CountIncrement.at >= start, CountIncrement.at < end).group_by(*columns))
    with db() as session:
        return session.execute(query).all()


def measure(kind: str, days: int, per_line: int) -> dict:
    with database(kind) as (url, home):
        db, _ = prepare(url, [("bench.manager", "production_manager")])
        apply_plant_config(db, big_plant(per_line))
        plant = [m for m in machines(db) if m.code.startswith("M")]
        calendar = site_calendar(db)
        now = datetime.now(timezone.utc)
        first_day = (now - timedelta(days=days + 1)).astimezone(calendar.zone).date()
        window = local_day_window(calendar, first_day, first_day + timedelta(days=days - 1))
        generate_s, summary = timed(lambda: backfill_history(db, plant, calendar, fault_catalog(db),
                                                             window.start - timedelta(hours=1), window.end))
        with db() as session:
            rows = session.scalar(select(func.count()).select_from(CountIncrement))
        bare_a_s, _ = timed(lambda: bare_sums(db, window.start, window.end))
        direct_a_s, _ = timed(lambda: machine_totals(db, plant, [window.start, window.end], now, calendar))
        bare_b_s, _ = timed(lambda: bare_sums(db, window.start, window.end, 3600))
        direct_b_s, _ = timed(lambda: oee_trend_direct(db, plant, window, now, calendar))
        rollup_s, _ = timed(lambda: refresh_rollups(db, now))
        plant_s, result = timed(lambda: oee_for(db, Scope(), window, now))
        shifts_s, trend = timed(lambda: oee_trend(db, Scope(), window, now, "shift", by_machine=True))
        page = page_timings(url, home, first_day, days)
        changes = add_product_changes(db, plant, window)
        products_a_s, _ = timed(lambda: machine_totals(db, plant, [window.start, window.end], now, calendar))
    return {"count_rows": rows, "state_changes": summary.state_changes, "machines": len(plant),
            "generate_s": round(generate_s, 1),
            "rollup_build_s": round(rollup_s, 1),
            "a_plant_month_s": round(plant_s, 3), "a_engine_without_rollups_s": round(direct_a_s, 3),
            "a_bare_sql_s": round(bare_a_s, 3), "a_ratio": round(plant_s / bare_a_s, 2),
            "a_ratio_without_rollups": round(direct_a_s / bare_a_s, 2),
            "b_per_shift_per_machine_s": round(shifts_s, 3), "b_engine_without_rollups_s": round(direct_b_s, 3),
            "b_rows": len(trend), "b_bare_sql_s": round(bare_b_s, 3), "b_ratio": round(shifts_s / bare_b_s, 2),
            "b_ratio_without_rollups": round(direct_b_s / bare_b_s, 2),
            "plant_oee": round(result.figures.oee, 4), "page_callbacks_s": page,
            "product_changes": changes, "a_engine_with_product_changes_s": round(products_a_s, 3)}


def add_product_changes(db, plant, window) -> int:
    """(e) a few job starts per machine over the month, at fractional seconds (as a tablet's clock gives them),
    measured last so the figures above stay comparable with earlier runs."""
    from core.products import record_product_change

    with db.begin() as session:
        for k, machine in enumerate(plant):
            for n in range(4):
                moment = window.start + timedelta(days=3 + 7 * n, hours=k % 9, seconds=17.4 + n * 1.3)
                record_product_change(session, machine.id, moment, "P-100" if n % 2 else "P-200", "job")
    return 4 * len(plant)


def oee_trend_direct(db, plant, window, now, calendar):
    """(b) computed straight from the timelines, no roll-ups: per-shift totals of every machine."""
    from core.shift_calendar import shift_instances

    shifts = shift_instances(list(calendar.shifts), calendar.zone, window.start, window.end)
    edges = sorted({max(s.start, window.start) for s in shifts} | {min(s.end, window.end) for s in shifts})
    return machine_totals(db, plant, edges, now, calendar)


def page_timings(url: str, home: str, first_day, days: int) -> dict:
    """Server time of the OEE page's callbacks for the month, through gunicorn as the browser calls them."""
    search = f"?start={first_day.isoformat()}&end={(first_day + timedelta(days=days - 1)).isoformat()}&granularity=shift"
    timings = {}
    with gunicorn(url, home, workers=2, threads=4) as base:
        session = logged_in_session(base, "bench.manager")
        outputs_known = [d["output"] for d in session.get(f"{base}/_dash-dependencies", timeout=30).json()]
        requests_ = {}
        for name, prefix in (("summary_trend_waterfall", "..oee-summary"), ("pareto", "..oee-pareto"),
                             ("lines", "oee-lines")):
            output = next(k for k in outputs_known if k.startswith(prefix))
            outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
                       for o in output.strip(".").split("...")] if output.startswith("..") else \
                {"id": output.split(".")[0], "property": output.split(".")[1]}
            body = {"output": output, "outputs": outputs, "changedPropIds": ["oee-url.search"], "state": [],
                    "inputs": [{"id": "oee-url", "property": "search", "value": search}]}
            requests_[name] = body
            began = time.perf_counter()
            response = session.post(f"{base}/_dash-update-component", json=body, timeout=120)
            assert response.status_code == 200, response.text[:300]
            timings[name] = round(time.perf_counter() - began, 3)
        timings["one_after_another"] = round(sum(timings.values()), 3)
        # The browser sends the three at once; the page is ready when the slowest answers.
        with ThreadPoolExecutor(max_workers=3) as pool:
            began = time.perf_counter()
            answers = list(pool.map(lambda body: session.post(f"{base}/_dash-update-component", json=body,
                                                              timeout=120).status_code, requests_.values()))
            timings["page_wall"] = round(time.perf_counter() - began, 3)
        assert answers == [200, 200, 200]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--machines-per-line", type=int, default=10)
    parser.add_argument("--only", choices=("sqlite", "mariadb"))
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["sqlite", "mariadb"]
    results = {kind: measure(kind, args.days, args.machines_per_line) for kind in kinds}
    print(json.dumps({"benchmark": "oee", "days": args.days, **results,
                      "goals": {"a_s": 1.0, "b_s": 2.0, "ratio": 3.0, "page_s": 1.5}}))


if __name__ == "__main__":
    main()
