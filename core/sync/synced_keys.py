"""What the sync's writers share: a synced row's key, the tag on the timeline rows it writes, and how lookups
are cut into statements."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable, Sequence

CHUNK = 500  # values in one IN (...) list
NEAR = timedelta(days=31)  # a machine's rows starting within this span are looked up by range
SOURCE_TAG = "sync"  # the `source` of the timeline rows the sync writes
KEY_BITS = 40


def synced_key(source_id: int, row_id: int) -> int:
    """synced_rows.id of a source's row: unique, and known before the row is written."""
    return (source_id << KEY_BITS) | row_id


def chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]
