"""Moving spooled readings into the database, oldest first, in batches; waiting and retrying while it is away."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Callable

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.plc.connection_worker import backoff_s
from core.plc.reading_store import COUNT_EVERY, StoreRules, StoreSummary, store_spooled
from core.plc.spool import ReadingSpool

log = logging.getLogger(__name__)

BATCH = 5_000
GATHER_S = 0.25  # after a wake-up, let the other workers' readings arrive: one transaction stores them all


class SpoolDrainer:
    def __init__(self, db: sessionmaker[Session], spool: ReadingSpool, store_rules: Callable[[], StoreRules],
                 after_drain: Callable[[], None] = lambda: None, batch: int = BATCH,
                 count_every: timedelta = COUNT_EVERY):
        self.db, self.spool, self.store_rules, self.after_drain = db, spool, store_rules, after_drain
        self.batch, self.count_every = batch, count_every
        self.wake = threading.Event()
        self.failures_in_row = 0
        self.refused = 0  # entries the database refused as data, set aside
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="plc spool drain", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait_s: float = 10.0) -> None:
        """Stop after a last drain, so a clean shutdown leaves nothing behind in the spool."""
        self._stop.set()
        self.wake.set()
        if self._thread.is_alive():
            self._thread.join(wait_s)
        try:
            while self.spool.depth:
                self.drain_once()
        except Exception as exc:  # the database is away: the next start drains what is left
            log.warning("stopping with %d readings spooled: %s", self.spool.depth, exc)

    def drain_once(self) -> StoreSummary:
        """Store one batch and forget it here; raises when the database is away (the batch stays spooled).

        A batch the database refuses as data (an integrity or data error) is
        stored entry by entry instead: an entry refused on its own is logged
        with its content, counted, and passed over, so one bad value never
        stops every machine's readings behind it.
        """
        entries = self.spool.oldest(self.batch)
        if not entries:
            return StoreSummary()
        with self.spool.exclusive():  # one drainer per spool file, even with two processes on one instance
            try:
                summary = store_spooled(self.db, self.spool.spool_id, entries, self.store_rules(), self.count_every)
            except (IntegrityError, DataError):
                summary = self._store_one_by_one(entries)
            self.spool.remove_through(entries[-1][0])
        return summary

    def _store_one_by_one(self, entries: list[tuple[int, dict]]) -> StoreSummary:
        total = StoreSummary()
        for seq, entry in entries:
            try:
                summary = store_spooled(self.db, self.spool.spool_id, [(seq, entry)], self.store_rules(),
                                        self.count_every)
            except (IntegrityError, DataError) as exc:
                self.refused += 1
                log.error("the database refused spooled reading %d, set aside: %s; entry: %s", seq, exc, entry)
                store_spooled(self.db, self.spool.spool_id, [(seq, {"kind": "refused"})], self.store_rules())
                continue
            total.readings += summary.readings
            total.state_changes += summary.state_changes
            total.count_rows += summary.count_rows
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.wake.wait(1.0):
                self._stop.wait(GATHER_S)
            self.wake.clear()
            try:
                while self.spool.depth and not self._stop.is_set():
                    self.drain_once()
                self.after_drain()
                if self.failures_in_row:
                    log.info("database back: spool drained after %d failed attempts", self.failures_in_row)
                self.failures_in_row, self.last_error = 0, None
            except Exception as exc:  # the database is away (or refused the batch): keep it spooled, retry later
                self.failures_in_row += 1
                self.last_error = str(exc)
                if self.failures_in_row == 1:
                    log.warning("cannot store PLC readings (%s); %d spooled, retrying", exc, self.spool.depth)
                self._stop.wait(backoff_s(self.failures_in_row))
