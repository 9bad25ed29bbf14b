"""One worker thread per PLC connection: read its tags at its rate, interpret them, spool the readings.

A dead PLC only ever stalls its own worker (each read is bounded by the
driver's timeout). A driver that raises is closed and thrown away; the next
attempt makes a new one after a backoff that doubles up to `BACKOFF_CAP_S`.
The first failed read already spools `no_data` for the connection's machines,
so the board shows "no signal" within two polls.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from core.plant.equipment import Machine
from core.plc.connections import PlcConnection
from core.plc.driver import DriverError, PlcDriver, TagValue
from core.plc.readings import TimedReading, minute_entry, reading_entry
from core.plc.spool import ReadingSpool
from core.plc.tag_rules import MachineReading, no_data
from core.plc.trend_sampler import TrendSampler

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 1.0
BACKOFF_CAP_S = 30.0

Interpret = Callable[[Machine, dict[str, TagValue], datetime], MachineReading]


def backoff_s(failures: int, first: float = BACKOFF_FIRST_S, cap: float = BACKOFF_CAP_S) -> float:
    """Wait before the next attempt after `failures` failures in a row: 1, 2, 4 ... seconds, capped."""
    return min(cap, first * 2 ** max(failures - 1, 0))


@dataclass
class WorkerStatus:
    state: str = "starting"  # connected | retrying | stopped
    reads: int = 0
    errors: int = 0
    failures_in_row: int = 0
    last_good_read_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    latency_ms: float | None = None
    values: dict[str, dict[str, tuple]] = field(default_factory=dict)  # machine code -> tag -> (value, error)
    missed_cycles: int = 0
    lateness_s: collections.deque = field(default_factory=lambda: collections.deque(maxlen=10_000))


class ConnectionWorker:
    def __init__(self, connection: PlcConnection, make_driver: Callable[[PlcConnection], PlcDriver],
                 spool: ReadingSpool, interpret: Interpret, clock: Callable[[], datetime],
                 active: Callable[[], bool] = lambda: True, on_spooled: Callable[[], None] = lambda: None):
        self.connection = connection
        self.make_driver, self.spool, self.interpret, self.clock = make_driver, spool, interpret, clock
        self.active, self.on_spooled = active, on_spooled
        self.source = "sim" if connection.driver == "sim" else "plc"
        self.status = WorkerStatus()
        self._driver: PlcDriver | None = None
        self._retry_at = 0.0
        self._sampler = TrendSampler()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"plc {connection.key}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> bool:
        """Ask the worker to stop and wait for it (a read in flight ends within its timeout); True once ended.

        The driver is closed by the worker's own thread, never from here while it may be in use.
        """
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2 * self.connection.timeout_s + 5)
        if self._thread.is_alive():
            log.warning("%s: the worker is still in a PLC call; it stops when the call returns", self.connection.key)
            return False
        self.status.state = "stopped"
        return True

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        period = self.connection.rate_s
        due = time.monotonic()
        try:
            while not self._stop.is_set():
                self.status.lateness_s.append(time.monotonic() - due)
                self.poll_once()
                due += period
                behind = time.monotonic() - due
                if behind > 0 and period > 0:  # the cycle overran: skip the slots it ate, don't bunch reads
                    skipped = int(behind // period) + 1
                    self.status.missed_cycles += skipped
                    due += skipped * period
                elif period <= 0:  # no pause between reads (benchmarks): lateness is measured from the cycle's end
                    due = time.monotonic()
                self._stop.wait(max(due - time.monotonic(), 0))
        finally:
            self._drop_driver()

    def poll_once(self) -> None:
        """One cycle: (re)connect if due, read every tag in one request, spool what was read.

        Whatever goes wrong (the PLC, or a value the rules cannot read, such as text in a counter tag)
        makes the machines `no_data` with the error, and the driver is made again after the backoff.
        """
        if not self.active():
            self._drop_driver()
            return
        if self._driver is None and time.monotonic() < self._retry_at:
            return
        asked_at = self.clock()
        try:
            self._poll(asked_at)
        except DriverError as exc:
            self._failed(exc, asked_at)
        except Exception as exc:
            log.exception("polling %s failed", self.connection.key)
            self._failed(DriverError(f"{self.connection.key}: {type(exc).__name__}: {exc}"), asked_at)

    def _poll(self, asked_at: datetime) -> None:
        if self._driver is None:
            driver = self.make_driver(self.connection)
            try:
                driver.open()
            except BaseException:
                driver.close()
                raise
            self._driver = driver
            if self._stop.is_set():  # stopped while connecting: let go at once
                return
        started = time.perf_counter()
        values = self._driver.read(self.connection.tags)
        latency_ms = (time.perf_counter() - started) * 1000
        read_at = self.clock()
        self._spool_values(values, read_at)
        status = self.status
        status.state, status.reads, status.failures_in_row = "connected", status.reads + 1, 0
        status.last_good_read_at, status.latency_ms = read_at, latency_ms

    def _spool_values(self, values: dict[str, TagValue], now: datetime) -> None:
        entries = []
        for machine in self.connection.machines:
            machine_values = {tag: values[tag] for tag in machine.read_tags if tag in values}
            reading = self.interpret(machine, machine_values, now)
            samples, minutes = self._sampler.observe(machine.id, machine_values, machine.deadbands, now.timestamp())
            entries.append(reading_entry(TimedReading(machine.id, now, reading, self.source, samples)))
            entries.extend(minute_entry(minute) for minute in minutes)
            self.status.values[machine.code] = {tag: (value.value, value.error) for tag, value in machine_values.items()}
        self.spool.append(entries)
        self.on_spooled()

    def _failed(self, exc: DriverError, asked_at: datetime) -> None:
        """No answer: the machines are `no_data` from the moment the read was asked for (spooled before the
        driver is closed, which may itself wait for a silent PLC), and the next attempt waits a backoff."""
        status = self.status
        status.errors, status.failures_in_row = status.errors + 1, status.failures_in_row + 1
        status.state, status.last_error, status.last_error_at = "retrying", str(exc), asked_at
        self._retry_at = time.monotonic() + backoff_s(status.failures_in_row)
        if status.failures_in_row == 1:
            log.warning("%s: %s; retrying with backoff", self.connection.key, exc)
        try:
            self.spool.append([reading_entry(TimedReading(machine.id, asked_at, no_data(str(exc)), self.source))
                               for machine in self.connection.machines])
            self.on_spooled()
        finally:
            self._drop_driver()

    def _drop_driver(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.close()
