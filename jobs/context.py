"""What the jobs are handed: the database, a clock, and the machines' drivers (made once, kept per process)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.driver import PlcDriver
from core.plc.sim_plant import DEMO_SEED, sim_drivers
from core.polling import PollTarget


@dataclass
class JobContext:
    db: sessionmaker[Session]
    clock: Callable[[], datetime]
    sim_seed: int = DEMO_SEED
    _drivers: dict[str, PlcDriver] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def poll_targets(self) -> list[PollTarget]:
        """The machines with a driver, with their drivers (simulated ones for `sim`; PLC drivers come later).

        The plant is read on every call, so a machine added or removed by
        `floorboard plant load` is polled, or no longer, without a restart.
        """
        plant = machines(self.db)
        with self._lock:
            drivers = self._drivers if self._drivers is not None else {}
            missing = [m for m in plant if m.code not in drivers]
            if missing:
                drivers.update(sim_drivers(missing, site_calendar(self.db), fault_catalog(self.db), self.clock,
                                           self.sim_seed))
            current = {m.code for m in plant}
            for code in [code for code in drivers if code not in current]:
                drivers.pop(code).close()
            self._drivers = drivers
            return [PollTarget(m, drivers[m.code]) for m in plant if m.code in drivers]
