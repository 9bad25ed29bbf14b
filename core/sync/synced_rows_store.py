"""Writing a batch of mapped source rows into the timelines, in the caller's transaction (core.sync's rules).

`write_batch` upserts by (source, source row id): a row seen before with the same digest is left alone; a
changed one has what it wrote deleted and written again; a new one is written. Refused rows go to the
quarantine, and a row that passes leaves it. A synced row's id is `synced_key(source, row id)`, so the
timeline rows it writes carry it without a lookup; product changes are core.sync.synced_products'. Everything is done in bulk, a few statements per batch, and
lookups ask for a range when the batch's rows lie close together (benchmarks/sync.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from core.persistence.bulk_insert import insert_many
from core.persistence.product_tables import ProductChange, ProductRow
from core.persistence.rollup_tables import RollupRequest
from core.persistence.sync_tables import MachineJobRow, OperatorRow, QuarantinedRow, SyncedRow
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.sync.count_spreading import CountSpreader
from core.sync.plc_precedence import Claims
from core.sync.row_mapping import MAX_ROW_ID, MappedRow, RefusedRow
from core.sync.synced_keys import NEAR, SOURCE_TAG, chunks, synced_key
from core.sync.synced_products import Place, places_of, write_product_changes

SYNCED_COLUMNS = ("id", "source_id", "source_row_id", "equipment_id", "start_at", "end_at", "state", "job_number",
                  "part_code", "operator_code", "good", "reject", "digest", "synced_at")
STATE_COLUMNS = ("equipment_id", "at", "at_epoch", "state", "source", "sync_row_id")
COUNT_COLUMNS = ("equipment_id", "at", "at_epoch", "good", "reject", "source", "sync_row_id")


@dataclass
class BatchResult:
    written: int = 0  # new or changed rows written
    unchanged: int = 0
    refused: int = 0  # rows that could not be taken, whether in the quarantine already or not
    quarantined: int = 0  # of them, rows not in the quarantine before
    taken_from_quarantine: int = 0


@dataclass(frozen=True)
class BatchContext:
    source_id: int
    source_name: str
    claims: Claims  # the machines whose states and counts this source writes
    spreader: CountSpreader
    raw_json: Callable[[tuple], str]  # a row as read, for the quarantine


def write_batch(session: Session, context: BatchContext, rows: Sequence[MappedRow | RefusedRow],
                now: datetime) -> BatchResult:
    result = BatchResult()
    source_id = context.source_id
    mapped = [row for row in rows if isinstance(row, MappedRow)]
    refused = [row for row in rows if isinstance(row, RefusedRow)]
    stored = _stored_digests(session, [synced_key(source_id, row.row_id) for row in rows
                                       if 0 < row.row_id <= MAX_ROW_ID])
    mapped, duplicates = _without_duplicates(session, context, mapped)
    refused += duplicates
    # A refused row that was synced before: what it wrote goes; the quarantine keeps the row as it is now.
    gone = [key for key in (synced_key(source_id, row.row_id) for row in refused if 0 < row.row_id <= MAX_ROW_ID)
            if key in stored]
    changed = [row for row in mapped if stored.get(synced_key(source_id, row.row_id), row.digest) != row.digest]
    new = [row for row in mapped if synced_key(source_id, row.row_id) not in stored]
    result.unchanged = len(mapped) - len(changed) - len(new)
    vacated = places_of(session, gone + [synced_key(source_id, row.row_id) for row in changed])
    _delete_written(session, [synced_key(source_id, row.row_id) for row in changed] + gone)
    if gone or changed:
        for chunk in chunks(gone + [synced_key(source_id, row.row_id) for row in changed]):
            session.execute(delete(SyncedRow).where(SyncedRow.id.in_(chunk)))
    written = changed + new
    memo: dict = {}  # the batch's moments, converted for the store once
    insert_many(session, SyncedRow.__table__, SYNCED_COLUMNS, [
        (synced_key(source_id, row.row_id), source_id, row.row_id, row.equipment_id, row.start, row.end, row.state,
         row.job, row.part, row.operator, row.good, row.reject, row.digest, now) for row in written], memo)
    if written:
        _write_timelines(session, context, written, now, memo)
        _first_seen(session, context, written, now)
    if written or vacated:
        write_product_changes(session, source_id, written, vacated, memo)
    if vacated:
        _mark_gaps_left(session, context, vacated, memo)
        # What those rows wrote is gone, maybe with nothing written in its place: the roll-ups are told
        session.add(RollupRequest(at=min(place.start for place in vacated), made_by=f"sync:{context.source_name}"))
    result.written = len(written)
    result.refused, result.quarantined = len(refused), _quarantine(session, source_id, refused, now)
    result.taken_from_quarantine = _leave_quarantine(session, source_id, [row.row_id for row in mapped])
    return result


def _stored_digests(session: Session, keys: list[int]) -> dict[int, str]:
    """synced row id -> digest, of the batch's rows already synced."""
    if not keys:
        return {}
    if max(keys) - min(keys) <= 4 * len(keys):  # the usual batch: ids close together
        query = select(SyncedRow.id, SyncedRow.digest).where(SyncedRow.id.between(min(keys), max(keys)))
        wanted = set(keys)
        return {key: digest for key, digest in session.execute(query) if key in wanted}
    found = {}
    for chunk in chunks(keys):
        found.update(session.execute(select(SyncedRow.id, SyncedRow.digest).where(SyncedRow.id.in_(chunk))).all())
    return found


def _near_starts(session: Session, source_id: int, places: set[tuple[int, datetime]]) -> dict:
    """(machine, start) -> source row id, of the source's synced rows starting at any of `places` (rows of no
    length leave no mark on the timeline and hold no place)."""
    found: dict[tuple[int, datetime], int] = {}
    lasting = SyncedRow.end_at.is_(None) | (SyncedRow.end_at != SyncedRow.start_at)
    for equipment_id, condition in _per_machine(places, SyncedRow.start_at):
        for row in session.execute(select(SyncedRow.start_at, SyncedRow.source_row_id)
                                   .where(SyncedRow.source_id == source_id, SyncedRow.equipment_id == equipment_id,
                                          condition, lasting)):
            if (equipment_id, row.start_at) in places:
                found[(equipment_id, row.start_at)] = row.source_row_id
    return found


def _per_machine(places: set[tuple[int, datetime]], column) -> Iterable[tuple[int, Any]]:
    """(machine, condition on `column`) covering `places`: a range where a machine's moments lie close together
    (a batch of new rows), else the moments themselves."""
    by_machine: dict[int, list[datetime]] = {}
    for equipment_id, at in places:
        by_machine.setdefault(equipment_id, []).append(at)
    for equipment_id, moments in sorted(by_machine.items()):
        if max(moments) - min(moments) <= NEAR:
            yield equipment_id, column.between(min(moments), max(moments))
        else:
            for chunk in chunks(sorted(moments)):
                yield equipment_id, column.in_(chunk)


def _without_duplicates(session: Session, context: BatchContext,
                        rows: list[MappedRow]) -> tuple[list[MappedRow], list[RefusedRow]]:
    """Two rows of one machine starting at the same moment are one stop or run written twice: the first one
    taken (the synced one, else the lowest id) stays, the other is refused with the first's id. A row of no
    length (end = start, a logger's stub) is taken but holds no place."""
    in_batch = {row.row_id for row in rows}  # their stored starts may be the ones they are leaving
    holder = {place: row_id for place, row_id in
              _near_starts(session, context.source_id, {(row.equipment_id, row.start) for row in rows}).items()
              if row_id not in in_batch}
    kept, refused = [], []
    for row in sorted(rows, key=lambda row: row.row_id):
        if row.end == row.start:
            kept.append(row)
            continue
        first = holder.setdefault((row.equipment_id, row.start), row.row_id)
        if first == row.row_id:
            kept.append(row)
        else:
            refused.append(RefusedRow(row.row_id, f"a duplicate: the same machine and start time as source row "
                                                  f"{first}", context.raw_json(row.raw)))
    return kept, refused


def _delete_written(session: Session, keys: list[int]) -> None:
    for chunk in chunks(keys):
        for table in (StateChange, CountIncrement, ProductChange):
            session.execute(delete(table).where(table.sync_row_id.in_(chunk)))


def _write_timelines(session: Session, context: BatchContext, rows: list[MappedRow], now: datetime,
                     memo: dict) -> None:
    source_id = context.source_id
    with_states = [row for row in rows if row.equipment_id in context.claims.states and row.end != row.start]
    _drop_gap_markers_at_starts(session, with_states, {synced_key(source_id, row.row_id) for row in rows})
    # Where a row ends, does another start? The batch's own rows answer most; the store the rest.
    starts = {(row.equipment_id, row.start) for row in with_states}
    open_ends = {(row.equipment_id, row.end) for row in with_states if row.end is not None} - starts
    starts |= set(_near_starts(session, source_id, open_ends))
    states = []
    for row in with_states:
        key = synced_key(source_id, row.row_id)
        states.append((row.equipment_id, row.start, row.start.timestamp(), row.state, SOURCE_TAG, key))
        if row.end is not None and (row.equipment_id, row.end) not in starts:
            states.append((row.equipment_id, row.end, row.end.timestamp(), "no_data", SOURCE_TAG, key))
    insert_many(session, StateChange.__table__, STATE_COLUMNS, states, memo)
    spread = context.spreader.pieces
    insert_many(session, CountIncrement.__table__, COUNT_COLUMNS, [
        (row.equipment_id, at, int(at.timestamp() // 1), good, reject, SOURCE_TAG, synced_key(source_id, row.row_id))
        for row in rows if row.equipment_id in context.claims.counts and (row.good or row.reject)
        for at, good, reject in spread(row.start, row.end or max(row.updated or now, row.start), row.good,
                                       row.reject)], memo)


def _drop_gap_markers_at_starts(session: Session, rows: list[MappedRow], own: set[int]) -> None:
    """A row starting where an earlier row's gap marker (no_data at its end) stands closes that gap."""
    places = {(row.equipment_id, row.start) for row in rows}
    doomed = []
    for equipment_id, condition in _per_machine(places, StateChange.at):
        doomed += [r.id for r in session.execute(
            select(StateChange.id, StateChange.at, StateChange.sync_row_id)
            .where(StateChange.equipment_id == equipment_id, condition, StateChange.state == "no_data",
                   StateChange.source == SOURCE_TAG))
            if (equipment_id, r.at) in places and r.sync_row_id not in own]
    for chunk in chunks(doomed):
        session.execute(delete(StateChange).where(StateChange.id.in_(chunk)))


def _mark_gaps_left(session: Session, context: BatchContext, vacated: list[Place], memo: dict) -> None:
    """Where a row that changed its start, or left for the quarantine, used to start, the row ending there now
    ends in a gap, unless another row starts there: it gets its no_data change."""
    places = {(place.equipment_id, place.start) for place in vacated
              if place.equipment_id in context.claims.states}
    places -= set(_near_starts(session, context.source_id, places))
    markers = []
    for equipment_id, at in sorted(places):
        for key in session.scalars(select(SyncedRow.id).where(
                SyncedRow.source_id == context.source_id, SyncedRow.equipment_id == equipment_id,
                SyncedRow.end_at == at)):
            has = session.scalar(select(func.count()).select_from(StateChange).where(
                StateChange.sync_row_id == key, StateChange.at == at, StateChange.state == "no_data"))
            if not has:
                markers.append((equipment_id, at, at.timestamp(), "no_data", SOURCE_TAG, key))
    insert_many(session, StateChange.__table__, STATE_COLUMNS, markers, memo)


def _first_seen(session: Session, context: BatchContext, rows: list[MappedRow], now: datetime) -> None:
    """Parts become products, employee ids operators and job numbers machine jobs, the first time they are seen."""
    origin = f"sync:{context.source_name}"
    parts = {row.part for row in rows if row.part}
    if parts:
        known = set(session.scalars(select(ProductRow.code).where(ProductRow.code.in_(parts))))
        position = (session.scalar(select(func.max(ProductRow.position))) or 0) + 1
        if missing := sorted(parts - known):
            session.execute(insert(ProductRow), [
                {"code": code, "name": code, "unit_cost": None, "origin": origin, "position": position + index,
                 "active": True} for index, code in enumerate(missing)])
    operators = {row.operator for row in rows if row.operator}
    if operators:
        known = set(session.scalars(select(OperatorRow.code).where(OperatorRow.code.in_(operators))))
        if missing := sorted(operators - known):
            session.execute(insert(OperatorRow), [{"code": code, "first_seen_at": now, "seen_by": origin}
                                                  for code in missing])
    jobs: dict[str, str | None] = {}
    for row in sorted(rows, key=lambda row: row.start):
        if row.job:
            jobs.setdefault(row.job, row.part)
    if jobs:
        known = set(session.scalars(select(MachineJobRow.number).where(MachineJobRow.source_id == context.source_id,
                                                                        MachineJobRow.number.in_(jobs))))
        if missing := sorted(set(jobs) - known):
            session.execute(insert(MachineJobRow), [{"source_id": context.source_id, "number": number,
                                                     "part_code": jobs[number], "first_seen_at": now}
                                                    for number in missing])


def _quarantine(session: Session, source_id: int, refused: list[RefusedRow], now: datetime) -> int:
    """Put the refused rows in the quarantine, or bring their entry up to date; how many are new there."""
    if not refused:
        return 0
    known = {}
    for chunk in chunks([row.row_id for row in refused]):
        known.update(session.execute(
            select(QuarantinedRow.source_row_id, QuarantinedRow.id)
            .where(QuarantinedRow.source_id == source_id, QuarantinedRow.source_row_id.in_(chunk))).all())
    fresh = [row for row in refused if row.row_id not in known]
    if fresh:
        session.execute(insert(QuarantinedRow), [
            {"source_id": source_id, "source_row_id": row.row_id, "reason": row.reason, "raw": row.raw or "{}",
             "first_seen_at": now, "last_seen_at": now, "times_seen": 1} for row in fresh])
    seen_again = [row for row in refused if row.row_id in known]
    if seen_again:
        table = QuarantinedRow.__table__
        session.execute(update(table).where(table.c.id == bindparam("row")).values(
            reason=bindparam("why"), raw=func.coalesce(bindparam("as_read"), table.c.raw), last_seen_at=now,
            times_seen=table.c.times_seen + 1),
            [{"row": known[row.row_id], "why": row.reason, "as_read": row.raw} for row in seen_again])
    return len(fresh)


def _leave_quarantine(session: Session, source_id: int, row_ids: list[int]) -> int:
    """Rows that pass now leave the quarantine; one query finds out whether any of the batch is in it."""
    if not row_ids:
        return 0
    held = session.scalar(select(func.count()).select_from(QuarantinedRow)
                          .where(QuarantinedRow.source_id == source_id,
                                 QuarantinedRow.source_row_id.between(min(row_ids), max(row_ids))))
    if not held:
        return 0
    taken = 0
    for chunk in chunks(row_ids):
        taken += session.execute(delete(QuarantinedRow).where(QuarantinedRow.source_id == source_id,
                                                              QuarantinedRow.source_row_id.in_(chunk))).rowcount or 0
    return taken
