"""Settings the plant file keeps in a table of one row (fault rules, [ml]): written by `plant load` as one upsert."""

from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy.orm import Session


def upsert_site_row(session: Session, table: type, row_id: int, wanted: Mapping[str, Any]) -> tuple[int, int]:
    """Make row `row_id` of `table` hold `wanted`; (created, updated) rows, for the plant load's summary."""
    row = session.get(table, row_id)
    if row is None:
        session.add(table(id=row_id, **wanted))
        return 1, 0
    if any(getattr(row, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(row, key, value)
        return 0, 1
    return 0, 0
