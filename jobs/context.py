"""What the jobs are handed: the database, a clock, where the PLC spool lives, the mailer and webhook poster,
the engines of the source databases, and the tag scanner (made once per process, when the first scan job runs)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from core.andon_webhook import WebhookPoster
from core.mail import Mailer
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.scanner import PlantView, TagScanner
from core.plc.sim_plant import DEMO_SEED, simulator
from core.plc.spool import ReadingSpool
from core.sync.plc_precedence import taken_from_plcs
from core.sync.source_connection import SourceEngines

SPOOL_FILE = "plc-spool.sqlite"


@dataclass
class JobContext:
    db: sessionmaker[Session]
    clock: Callable[[], datetime]
    home: Path  # instance folder: the PLC spool is kept here
    sim_seed: int = DEMO_SEED
    mailer: Mailer | None = None  # None: email notices are recorded as failed (no SMTP server configured)
    webhook_poster: WebhookPoster | None = None  # None: webhook notices are recorded as failed
    lease_held: Callable[[], bool] = lambda: True  # set by the scheduler: PLCs are read only while the lease is ours
    source_engines: SourceEngines = field(default_factory=SourceEngines)  # URLs from the environment
    _scanner: TagScanner | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def plant_view(self) -> PlantView:
        return PlantView(tuple(machines(self.db)), tuple(fault_catalog(self.db)), site_calendar(self.db),
                         taken_from_plcs(self.db))

    def scanner(self, view: PlantView) -> TagScanner:
        with self._lock:
            if self._scanner is None:
                self._scanner = TagScanner(
                    self.db, ReadingSpool(self.home / SPOOL_FILE), self.clock,
                    simulator(view.calendar, view.faults, self.clock, self.sim_seed), active=self.lease_held)
            return self._scanner

    def close(self) -> None:
        self.source_engines.dispose()
        with self._lock:
            if self._scanner is not None:
                self._scanner.stop()
                self._scanner.spool.close()
                self._scanner = None
