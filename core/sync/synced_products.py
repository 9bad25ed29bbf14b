"""A machine's product from synced rows: a product change where its part changes, not one a row.

A row whose part differs from the last part before it (among the source's rows of the machine, by start)
starts a product; a row with no part keeps the one in force. When rows are written, changed or leave for the
quarantine, the rows around them and the first row after them with a part are put right too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.persistence.bulk_insert import insert_many
from core.persistence.product_tables import ProductChange, ProductCycleRow, ProductRow
from core.persistence.sync_tables import SyncedRow
from core.sync.row_mapping import MappedRow
from core.sync.synced_keys import NEAR, SOURCE_TAG, chunks, synced_key

PRODUCT_COLUMNS = ("equipment_id", "at", "product_code", "source", "ideal_cycle_time_s", "sync_row_id")


class Place(NamedTuple):
    """Where a synced row stood before it changed or left: its neighbours there may need putting right."""

    equipment_id: int
    start: datetime


def places_of(session: Session, keys: list[int]) -> list[Place]:
    found = []
    for chunk in chunks(keys):
        found += [Place(*r) for r in session.execute(select(SyncedRow.equipment_id, SyncedRow.start_at)
                                                      .where(SyncedRow.id.in_(chunk)))]
    return found


def write_product_changes(session: Session, source_id: int, rows: list[MappedRow], vacated: list[Place],
                          memo: dict) -> None:
    """A product change where a machine's part changes: at a row whose part differs from the last part before
    it. Rows of the batch, and the places rows left, are placed among the machine's synced rows around them,
    and the first row after them with a part is put right too (a row changed in the source may change whether
    its successor starts a new product)."""
    synced = SyncedRow.__table__.c
    wanted, unwanted = [], []
    for equipment_id, cluster in _clusters([*rows, *vacated]):
        first, last = cluster[0].start, cluster[-1].start
        mine = (synced.source_id == source_id) & (synced.equipment_id == equipment_id)
        inside = mine & synced.start_at.between(first, last)
        if all(isinstance(row, MappedRow) for row in cluster) and \
                session.scalar(select(func.count()).where(inside)) == len(cluster):  # the batch's rows alone
            window = [(synced_key(source_id, row.row_id), row.start, row.part) for row in cluster]
        else:
            window = session.execute(select(synced.id, synced.start_at, synced.part_code)
                                     .where(inside).order_by(synced.start_at)).all()
        with_part = select(synced.id, synced.start_at, synced.part_code).where(mine, synced.part_code.is_not(None))
        # (a machine's rows start at different moments: a second row at the same start is a duplicate)
        before = session.execute(with_part.where(synced.start_at < first)
                                 .order_by(synced.start_at.desc()).limit(1)).first()
        after = session.execute(with_part.where(synced.start_at > last).order_by(synced.start_at).limit(1)).first()
        part = before.part_code if before else None
        for row in window + ([after] if after else []):  # (synced row id, start, part)
            if row[2] is not None:
                (wanted if row[2] != part else unwanted).append((equipment_id, row))
                part = row[2]
    written = {synced_key(source_id, row.row_id) for row in rows}  # their changes were deleted or never were
    have = set()
    for chunk in chunks([row[0] for _, row in wanted + unwanted if row[0] not in written]):
        have.update(session.scalars(select(ProductChange.sync_row_id).where(ProductChange.sync_row_id.in_(chunk))))
    for chunk in chunks([row[0] for _, row in unwanted if row[0] in have]):
        session.execute(delete(ProductChange).where(ProductChange.sync_row_id.in_(chunk)))
    missing = [(equipment_id, row) for equipment_id, row in wanted if row[0] not in have]
    cycles = _cycles(session, {part for _, (_, _, part) in missing})
    insert_many(session, ProductChange.__table__, PRODUCT_COLUMNS, [
        (equipment_id, start, part, SOURCE_TAG, cycles.get((part, equipment_id)), key)
        for equipment_id, (key, start, part) in missing], memo)


def _clusters(rows: list[MappedRow | Place]) -> Iterable[tuple[int, list[MappedRow | Place]]]:
    """(machine, its rows in time order) for each run of the rows, per machine, split where two starts lie more
    than NEAR apart (rows changed in the source, read again, may be years apart)."""
    by_machine: dict[int, list[MappedRow | Place]] = {}
    for row in rows:
        by_machine.setdefault(row.equipment_id, []).append(row)
    for equipment_id, machine_rows in sorted(by_machine.items()):
        machine_rows.sort(key=lambda row: row.start)
        cluster = [machine_rows[0]]
        for row in machine_rows[1:]:
            if row.start - cluster[-1].start > NEAR:
                yield equipment_id, cluster
                cluster = []
            cluster.append(row)
        yield equipment_id, cluster


def _cycles(session: Session, parts: set[str]) -> dict[tuple[str, int], float]:
    if not parts:
        return {}
    return {(code, equipment_id): seconds for code, equipment_id, seconds in session.execute(
        select(ProductRow.code, ProductCycleRow.equipment_id, ProductCycleRow.ideal_cycle_time_s)
        .join(ProductRow, ProductRow.id == ProductCycleRow.product_id).where(ProductRow.code.in_(parts)))}


