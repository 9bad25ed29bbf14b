"""Benchmark: the PLC tag scanner.

(a) Against a cpppo EtherNet/IP controller holding 20 tags: tag reads per
    second by pycomm3 used directly and through the scanner (a worker reading
    as fast as it can, interpreting, sampling and spooling every read, with the
    drainer storing into SQLite), in four turns each, alternating, within one run
    (cpppo's own speed wanders by 20 % or more between seconds). Goal: ratio >= 0.9.
(b) 50 PLCs whose drivers answer after 20 ms, each read at 1 Hz, for 60 s,
    stored into SQLite: cycle-start lateness p50/p99/max (goal p99 <= 100 ms),
    missed cycles (goal 0), and the process's CPU share (CPU seconds / wall
    seconds; 1.0 = one core).

    .venv/bin/python benchmarks/plc_scan.py [--seconds 60] [--turn-seconds 8]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from core.clock import utc_now  # noqa: E402
from core.database_setup import prepare_database  # noqa: E402
from core.persistence.database import make_engine, make_session_factory  # noqa: E402
from core.plant.config_schema import PlantConfig  # noqa: E402
from core.plant.config_store import apply_plant_config  # noqa: E402
from core.plant.equipment import fault_catalog, machines, site_calendar  # noqa: E402
from core.plc.connection_worker import ConnectionWorker  # noqa: E402
from core.plc.connections import make_driver, plc_connections  # noqa: E402
from core.plc.driver import TagValue  # noqa: E402
from core.plc.scanner import PlantView, TagScanner, interpreter  # noqa: E402
from core.plc.spool import ReadingSpool  # noqa: E402
from tests.support.enip_server import EnipServer, raw_logix_driver  # noqa: E402

TAGS = 20


def tag_map(prefix: str = "") -> tuple[dict[str, str], list[str], dict[str, str]]:
    roles = {"running": f"{prefix}Running", "good": f"{prefix}Good", "reject": f"{prefix}Reject",
             "faults": f"{prefix}Faults"}
    trend = [f"{prefix}Analog{i}" for i in range(TAGS - len(roles))]
    types = {roles["running"]: "BOOL", roles["good"]: "DINT", roles["reject"]: "DINT", roles["faults"]: "DINT",
             **{tag: "REAL" for tag in trend}}
    return roles, trend, types


def plant_with(db, equipment: list[dict]) -> None:
    apply_plant_config(db, PlantConfig.model_validate({
        "site": {"name": "Bench", "timezone": "UTC"}, "lines": [{"code": "L1", "name": "Line", "equipment": equipment}],
        "faults": [{"code": "F01", "bit": 0, "text": "Fault"}]}))


def fresh_db(folder: str):
    engine = make_engine(f"sqlite:///{folder}/bench.db")
    prepare_database(engine)
    return make_session_factory(engine)


def view_of(db) -> PlantView:
    return PlantView(tuple(machines(db)), tuple(fault_catalog(db)), site_calendar(db))


def reads_against_cpppo(turn_seconds: float) -> dict:
    roles, trend, types = tag_map()
    server = EnipServer(dict(types))
    server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = fresh_db(folder)
            plant_with(db, [{"code": "M1", "name": "M1", "ideal_cycle_time_s": 1.0, "tags": roles, "trend_tags": trend,
                             "tag_types": types, "plc": {"driver": "logix", "address": server.address}}])
            view = view_of(db)
            connection = plc_connections(view.machines)[0]
            raw, scanned = [], []
            for _ in range(4):  # alternate, so a drift of the machine's speed hits both alike
                raw.append(_raw_rate(server, types, connection.tags, turn_seconds))
                scanned.append(_scanner_rate(db, view, connection, folder, turn_seconds))
    finally:
        server.stop()
    raw_rate, scanner_rate = statistics.mean(raw), statistics.mean(scanned)
    return {"tags_per_read": TAGS, "raw_pycomm3_tags_per_s": round(raw_rate, 1),
            "scanner_tags_per_s": round(scanner_rate, 1), "ratio": round(scanner_rate / raw_rate, 3),
            "turns": {"raw": [round(r, 1) for r in raw], "scanner": [round(s, 1) for s in scanned]}}


def _raw_rate(server, types, tags, seconds) -> float:
    plc = raw_logix_driver(server, types)
    reads, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        plc.read(*tags)
        reads += 1
    elapsed = time.perf_counter() - started
    plc.close()
    return reads * len(tags) / elapsed


def _scanner_rate(db, view, connection, folder, seconds) -> float:
    spool = ReadingSpool(Path(folder) / f"spool-{time.monotonic_ns()}.sqlite")
    scanner = TagScanner(db, spool, utc_now, simulator=None)  # its drainer stores what the worker spools
    fastest = type(connection)(**{**connection.__dict__, "rate_s": 0.0})  # no pause between reads
    worker = ConnectionWorker(fastest, lambda c: make_driver(c, None), spool, interpreter(view), utc_now,
                              on_spooled=scanner.drainer.wake.set)
    worker.start()
    started = time.perf_counter()
    time.sleep(seconds)
    reads = worker.status.reads
    elapsed = time.perf_counter() - started
    worker.stop()
    scanner.stop()
    spool.close()
    return reads * len(connection.tags) / elapsed


class SlowPlc:
    """Answers every read after 20 ms, with a counter that grows and analog values that move."""

    def __init__(self, tags: list[str]):
        self.tags, self.count = tags, 0

    def open(self):
        pass

    def read(self, tags):
        time.sleep(0.020)
        self.count += 3
        return {tag: TagValue(self.count if "Good" in tag else (True if "Running" in tag else
                                                                 (0 if "Faults" in tag or "Reject" in tag
                                                                  else float(self.count % 50)))) for tag in tags}

    def write(self, values):
        pass

    def close(self):
        pass


def fifty_plcs(seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        db = fresh_db(folder)
        equipment = []
        for index in range(50):
            roles, trend, types = tag_map(f"M{index}_")
            equipment.append({"code": f"M{index}", "name": f"Machine {index}", "ideal_cycle_time_s": 1.0,
                              "tags": roles, "trend_tags": trend,
                              "plc": {"driver": "logix", "address": f"10.0.{index // 250}.{index % 250 + 1}",
                                      "rate_s": 1.0}})
        plant_with(db, equipment)
        view = view_of(db)
        spool = ReadingSpool(Path(folder) / "spool.sqlite")
        scanner = TagScanner(db, spool, utc_now, simulator=None, driver_for=lambda c: SlowPlc(c.tags),
                             count_every=timedelta(seconds=10))
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        scanner.reconcile(view)
        time.sleep(seconds)
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
        workers = list(scanner.workers.values())
        lateness_ms = sorted(1000 * late for w in workers for late in list(w.status.lateness_s)[1:])
        missed = sum(w.status.missed_cycles for w in workers)
        reads = sum(w.status.reads for w in workers)
        scanner.stop()
        depth_left = spool.depth
        spool.close()
    return {"plcs": 50, "rate_hz": 1, "driver_delay_ms": 20, "seconds": seconds, "reads": reads,
            "expected_reads": 50 * int(seconds), "missed_cycles": missed,
            "lateness_ms": {"p50": round(statistics.median(lateness_ms), 2),
                            "p99": round(lateness_ms[int(0.99 * (len(lateness_ms) - 1))], 2),
                            "max": round(lateness_ms[-1], 2)},
            "cpu_share": round(cpu / wall, 3), "spool_depth_at_end": depth_left}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--turn-seconds", type=float, default=8.0)
    args = parser.parse_args()
    result = {"benchmark": "plc_scan", "a_cpppo": reads_against_cpppo(args.turn_seconds),
              "b_fifty_plcs": fifty_plcs(args.seconds), "goals": {"ratio": 0.9, "lateness_p99_ms": 100,
                                                                 "missed_cycles": 0}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
