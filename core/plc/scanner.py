"""The tag scanner: a worker per PLC connection, one spool, one drainer into the database.

`reconcile` is called with the plant as stored (by the jobs process, every few
seconds): a connection added, removed or changed in the plant file gets its
worker started, stopped or replaced without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from core.plant.equipment import Machine, SiteCalendar
from core.plc.connection_status import ConnectionReport, publish_connection_reports
from core.plc.connection_worker import ConnectionWorker, Interpret
from core.plc.connections import PlcConnection, make_driver, plc_connections
from core.plc.driver import PlcDriver
from core.plc.reading_store import COUNT_EVERY, StoreRules
from core.plc.spool import ReadingSpool
from core.plc.spool_drain import SpoolDrainer
from core.plc.tag_rules import FaultDefinition, read_machine
from core.shift_calendar import not_scheduled
from core.sync.plc_precedence import Claims

log = logging.getLogger(__name__)

PUBLISH_EVERY_S = 2.0


@dataclass(frozen=True)
class PlantView:
    machines: tuple[Machine, ...]
    faults: tuple[FaultDefinition, ...]
    calendar: SiteCalendar | None
    from_sources: Claims = Claims()  # machines whose states or counts a synced source writes, not the PLC


def interpreter(view: PlantView) -> Interpret:
    """Tag values -> a machine's reading, with the plant's fault catalog and shift calendar."""
    calendar = view.calendar

    def planned_now(now: datetime) -> bool:
        return bool(calendar and not_scheduled(list(calendar.shifts), calendar.zone, now, now + timedelta(seconds=1)))

    return lambda machine, values, now: read_machine(values, machine.tags, machine.code, view.faults,
                                                     planned_now(now))


def store_rules(view: PlantView) -> StoreRules:
    return StoreRules({f.code: f.priority for f in view.faults},
                      {m.id: m.micro_stop_threshold_s for m in view.machines},
                      {m.id: m.ideal_cycle_time_s for m in view.machines},
                      view.from_sources.states, view.from_sources.counts)


class TagScanner:
    def __init__(self, db: sessionmaker[Session], spool: ReadingSpool, clock: Callable[[], datetime],
                 simulator: Callable[[Machine], PlcDriver], active: Callable[[], bool] = lambda: True,
                 driver_for: Callable[[PlcConnection], PlcDriver] | None = None,
                 count_every: timedelta = COUNT_EVERY):
        self.db, self.spool, self.clock, self.active = db, spool, clock, active
        self.driver_for = driver_for or (lambda connection: make_driver(connection, simulator))
        self.workers: dict[str, ConnectionWorker] = {}
        self._retiring: list[ConnectionWorker] = []  # stopped, but still inside a PLC call
        self._view: PlantView | None = None
        self._rules = StoreRules()
        self._lock = threading.Lock()
        self._published = 0.0
        self.drainer = SpoolDrainer(db, spool, lambda: self._rules, after_drain=self._publish_if_due,
                                    count_every=count_every)
        self.drainer.start()

    def reconcile(self, view: PlantView) -> None:
        with self._lock:
            plant_changed = self._view is None or (view.faults, view.calendar) != (self._view.faults,
                                                                                  self._view.calendar)
            self._view, self._rules = view, store_rules(view)
            interpret = interpreter(view)
            wanted = {c.key: c for c in plc_connections(view.machines)}
            for key in list(self.workers):
                worker = self.workers[key]
                if key not in wanted or worker.connection != wanted[key] or plant_changed or not worker.alive:
                    del self.workers[key]
                    if not worker.stop():
                        self._retiring.append(worker)
            self._retiring = [worker for worker in self._retiring if worker.alive]
            busy = {worker.connection.key for worker in self._retiring}  # one worker per PLC, ever
            for key, connection in wanted.items():
                if key not in self.workers and key not in busy:
                    worker = ConnectionWorker(connection, self.driver_for, self.spool, interpret, self.clock,
                                              self.active, on_spooled=self.drainer.wake.set)
                    worker.start()
                    self.workers[key] = worker

    def reports(self) -> list[ConnectionReport]:
        now = self.clock()
        return [ConnectionReport(
            key, w.status.state, tuple(m.code for m in w.connection.machines), w.status.last_good_read_at,
            w.status.last_error, w.status.last_error_at, w.status.errors, w.status.reads, w.status.latency_ms,
            dict(w.status.values), self.spool.depth, self.spool.overflow, now, self.drainer.refused)
            for key, w in list(self.workers.items())]

    def stop(self) -> None:
        with self._lock:
            for worker in self.workers.values():
                worker.stop()
            self.workers.clear()
        self.drainer.stop()

    def _publish_if_due(self) -> None:
        if not self.active() or time.monotonic() - self._published < PUBLISH_EVERY_S:
            return  # a process that lost the lease leaves the reports to the one that holds it
        self._published = time.monotonic()
        publish_connection_reports(self.db, self.reports())
