"""The local spool: every PLC reading is written here first and leaves only after the database has it.

A SQLite file in the instance folder (the standard library's sqlite3: a local
queue needs no ORM). Entries keep their order by sequence number; the spool
has an id, and the last sequence number stored in the database is written in
the same transaction as the entries (`spool_watermarks`), so a crash between
the database commit and the removal here stores nothing twice.

The spool is bounded. When it is full (the database away for a long time) new
readings are refused and counted as overflow: a PLC's counters are cumulative,
so the first reading stored after the outage still carries every unit made;
what is lost is the detail of the states in between.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

DEFAULT_CAPACITY = 500_000  # about a day of 6 machines read every second


class ReadingSpool:
    def __init__(self, path: Path, capacity: int = DEFAULT_CAPACITY):
        self.path = Path(path)
        self.capacity = capacity
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a power cut must not take back commits (and sequence numbers) the database has already seen
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('spool_id', ?)", (uuid.uuid4().hex,))
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('overflow', '0')")
        self.spool_id = self._meta("spool_id")

    def append(self, entries: list[dict[str, Any]]) -> int:
        """Store `entries` in order; returns how many were taken (the rest overflowed)."""
        if not entries:
            return 0
        with self._lock:
            room = max(self.capacity - self._count(), 0)
            taken, refused = entries[:room], len(entries) - min(room, len(entries))
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT INTO entries (body) VALUES (?)",
                                     [(json.dumps(entry, separators=(",", ":")),) for entry in taken])
                if refused:
                    self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'overflow'",
                                     (refused,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return len(taken)

    def oldest(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        with self._lock:
            rows = self._db.execute("SELECT seq, body FROM entries ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [(seq, json.loads(body)) for seq, body in rows]

    def remove_through(self, seq: int) -> None:
        """Forget every entry up to `seq`, once the database has committed them."""
        with self._lock:
            self._db.execute("DELETE FROM entries WHERE seq <= ?", (seq,))

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the spool's drain lock (a lock file beside it): one drainer at a time, across processes."""
        with open(self.path.with_suffix(".lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    @property
    def depth(self) -> int:
        with self._lock:
            return self._count()

    @property
    def overflow(self) -> int:
        with self._lock:
            return int(self._meta("overflow"))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _count(self) -> int:
        # Entries only ever leave as a prefix (remove_through), so the sequence numbers left are contiguous:
        # the span is the count, without scanning the table. Several processes may share the file.
        low, high = self._db.execute("SELECT min(seq), max(seq) FROM entries").fetchone()
        return 0 if low is None else high - low + 1

    def _meta(self, key: str) -> str:
        return self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]
