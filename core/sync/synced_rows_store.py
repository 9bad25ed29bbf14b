"""Writing a batch of mapped source rows into the timelines, in the caller's transaction (core.sync's rules).

`write_batch` upserts by (source, source row id): a row seen before with the same digest is left alone; a
changed one has what it wrote deleted and written again; a new one is written. Refused rows go to the
quarantine, and a row that passes leaves it. Everything is done in bulk, a few statements per batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from core.persistence.product_tables import ProductChange, ProductCycleRow, ProductRow
from core.persistence.sync_tables import MachineJobRow, OperatorRow, QuarantinedRow, SyncedRow
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.sync.plc_precedence import Claims
from core.sync.row_mapping import MappedRow, RefusedRow, count_pieces, raw_json

CHUNK = 500  # values in one IN (...) list
SOURCE_TAG = "sync"  # the `source` of the timeline rows the sync writes


@dataclass
class BatchResult:
    written: int = 0  # new or changed rows written
    unchanged: int = 0
    quarantined: int = 0
    taken_from_quarantine: int = 0


def write_batch(session: Session, source_id: int, source_name: str, rows: Sequence[MappedRow | RefusedRow],
                claims: Claims, now: datetime) -> BatchResult:
    result = BatchResult()
    mapped = [row for row in rows if isinstance(row, MappedRow)]
    refused = [row for row in rows if isinstance(row, RefusedRow)]
    stored = _stored(session, source_id, [row.row_id for row in rows])
    mapped, duplicates = _without_duplicates(session, source_id, mapped)
    refused += duplicates
    # A refused row that was synced before: what it wrote goes; the quarantine keeps the row as it is now.
    gone = [stored[row.row_id][0] for row in refused if row.row_id in stored]
    changed = [row for row in mapped if row.row_id in stored and stored[row.row_id][1] != row.digest]
    new = [row for row in mapped if row.row_id not in stored]
    result.unchanged = len(mapped) - len(changed) - len(new)
    _delete_written(session, [stored[row.row_id][0] for row in changed] + gone)
    if gone:
        session.execute(delete(SyncedRow).where(SyncedRow.id.in_(gone)))
    if changed:
        session.execute(update(SyncedRow), [{"id": stored[row.row_id][0], **_synced_values(row, now)}
                                            for row in changed])
    if new:
        session.execute(insert(SyncedRow), [{"source_id": source_id, "source_row_id": row.row_id,
                                             **_synced_values(row, now)} for row in new])
    written = changed + new
    if written:
        ids = {**{row.row_id: stored[row.row_id][0] for row in changed},
               **_synced_ids(session, source_id, [row.row_id for row in new])}
        _write_timelines(session, source_id, written, ids, claims, now)
        _first_seen(session, source_id, source_name, written, now)
    result.written = len(written)
    result.quarantined = _quarantine(session, source_id, refused, now)
    result.taken_from_quarantine = _leave_quarantine(session, source_id, [row.row_id for row in mapped])
    return result


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _stored(session: Session, source_id: int, row_ids: list[int]) -> dict[int, tuple[int, str]]:
    """source row id -> (synced row id, digest) of the rows already synced."""
    found = {}
    for chunk in _chunks(row_ids):
        found.update({r.source_row_id: (r.id, r.digest) for r in session.execute(
            select(SyncedRow.source_row_id, SyncedRow.id, SyncedRow.digest)
            .where(SyncedRow.source_id == source_id, SyncedRow.source_row_id.in_(chunk)))})
    return found


def _without_duplicates(session: Session, source_id: int,
                        rows: list[MappedRow]) -> tuple[list[MappedRow], list[RefusedRow]]:
    """Two rows of one machine starting at the same moment are one stop or run written twice: the first one
    taken (the synced one, else the lowest id) stays, the other is refused with the first's id."""
    holder: dict[tuple[int, datetime], int] = {}
    for chunk in _chunks(rows):
        for r in session.execute(
                select(SyncedRow.source_row_id, SyncedRow.equipment_id, SyncedRow.start_at)
                .where(SyncedRow.source_id == source_id,
                       SyncedRow.equipment_id.in_({row.equipment_id for row in chunk}),
                       SyncedRow.start_at.in_({row.start for row in chunk}))):
            holder[(r.equipment_id, r.start_at)] = r.source_row_id
    kept, refused = [], []
    for row in sorted(rows, key=lambda row: row.row_id):
        first = holder.setdefault((row.equipment_id, row.start), row.row_id)
        if first == row.row_id:
            kept.append(row)
        else:
            refused.append(RefusedRow(row.row_id, f"a duplicate: the same machine and start time as source row "
                                                  f"{first}", _raw(row)))
    return kept, refused


def _raw(row: MappedRow) -> str:
    return raw_json(row.source_values)


def _synced_values(row: MappedRow, now: datetime) -> dict:
    return {"equipment_id": row.equipment_id, "start_at": row.start, "end_at": row.end, "state": row.state,
            "job_number": row.job, "part_code": row.part, "operator_code": row.operator, "good": row.good,
            "reject": row.reject, "digest": row.digest, "synced_at": now}


def _synced_ids(session: Session, source_id: int, row_ids: list[int]) -> dict[int, int]:
    return {source_row_id: stored[0] for source_row_id, stored in _stored(session, source_id, row_ids).items()}


def _delete_written(session: Session, synced_ids: list[int]) -> None:
    for chunk in _chunks(synced_ids):
        for table in (StateChange, CountIncrement, ProductChange):
            session.execute(delete(table).where(table.sync_row_id.in_(chunk)))


def _write_timelines(session: Session, source_id: int, rows: list[MappedRow], ids: dict[int, int],
                     claims: Claims, now: datetime) -> None:
    with_states = [row for row in rows if row.equipment_id in claims.states]
    _drop_gap_markers_at_starts(session, with_states, set(ids.values()))
    starts_at_ends = _starts_at(session, source_id, [(row.equipment_id, row.end) for row in with_states if row.end])
    states = []
    for row in with_states:
        synced_id = ids[row.row_id]
        states.append(_state(row.equipment_id, row.start, row.state, synced_id))
        if row.end is not None and (row.equipment_id, row.end) not in starts_at_ends:
            states.append(_state(row.equipment_id, row.end, "no_data", synced_id))
    if states:
        session.execute(insert(StateChange), states)
    counts = [{"equipment_id": row.equipment_id, "at": at, "at_epoch": int(at.timestamp() // 1), "good": good,
               "reject": reject, "source": SOURCE_TAG, "sync_row_id": ids[row.row_id]}
              for row in rows if row.equipment_id in claims.counts
              for at, good, reject in count_pieces(row.start, row.end or max(row.updated or now, row.start),
                                                   row.good, row.reject)]
    if counts:
        session.execute(insert(CountIncrement), counts)
    parts = [row for row in rows if row.part]
    if parts:
        cycles = _cycles(session, {row.part for row in parts})
        session.execute(insert(ProductChange), [
            {"equipment_id": row.equipment_id, "at": row.start, "product_code": row.part, "source": SOURCE_TAG,
             "ideal_cycle_time_s": cycles.get((row.part, row.equipment_id)), "sync_row_id": ids[row.row_id]}
            for row in parts])


def _state(equipment_id: int, at: datetime, state: str, synced_id: int) -> dict:
    return {"equipment_id": equipment_id, "at": at, "at_epoch": at.timestamp(), "state": state, "reason_code": None,
            "fault_code": None, "source": SOURCE_TAG, "sync_row_id": synced_id}


def _starts_at(session: Session, source_id: int, places: list[tuple[int, datetime]]) -> set[tuple[int, datetime]]:
    """Which of (machine, moment) a synced row of the source starts at."""
    found = set()
    for chunk in _chunks(places):
        found.update((r.equipment_id, r.start_at) for r in session.execute(
            select(SyncedRow.equipment_id, SyncedRow.start_at)
            .where(SyncedRow.source_id == source_id, SyncedRow.equipment_id.in_({e for e, _ in chunk}),
                   SyncedRow.start_at.in_({at for _, at in chunk}))))
    return found & set(places)


def _drop_gap_markers_at_starts(session: Session, rows: list[MappedRow], own: set[int]) -> None:
    """A row starting where an earlier row's gap marker (no_data at its end) stands closes that gap."""
    places = {(row.equipment_id, row.start) for row in rows}
    doomed = []
    for chunk in _chunks(list(places)):
        doomed += [r.id for r in session.execute(
            select(StateChange.id, StateChange.equipment_id, StateChange.at, StateChange.sync_row_id)
            .where(StateChange.equipment_id.in_({e for e, _ in chunk}), StateChange.at.in_({at for _, at in chunk}),
                   StateChange.state == "no_data", StateChange.source == SOURCE_TAG))
            if (r.equipment_id, r.at) in places and r.sync_row_id not in own]
    for chunk in _chunks(doomed):
        session.execute(delete(StateChange).where(StateChange.id.in_(chunk)))


def _cycles(session: Session, parts: set[str]) -> dict[tuple[str, int], float]:
    return {(code, equipment_id): seconds for code, equipment_id, seconds in session.execute(
        select(ProductRow.code, ProductCycleRow.equipment_id, ProductCycleRow.ideal_cycle_time_s)
        .join(ProductRow, ProductRow.id == ProductCycleRow.product_id).where(ProductRow.code.in_(parts)))}


def _first_seen(session: Session, source_id: int, source_name: str, rows: list[MappedRow], now: datetime) -> None:
    """Parts become products, employee ids operators and job numbers machine jobs, the first time they are seen."""
    origin = f"sync:{source_name}"
    parts = {row.part for row in rows if row.part}
    if parts:
        known = set(session.scalars(select(ProductRow.code).where(ProductRow.code.in_(parts))))
        position = (session.scalar(select(func.max(ProductRow.position))) or 0) + 1
        missing = sorted(parts - known)
        if missing:
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
        known = set(session.scalars(select(MachineJobRow.number).where(MachineJobRow.source_id == source_id,
                                                                        MachineJobRow.number.in_(jobs))))
        if missing := sorted(set(jobs) - known):
            session.execute(insert(MachineJobRow), [{"source_id": source_id, "number": number,
                                                     "part_code": jobs[number], "first_seen_at": now}
                                                    for number in missing])


def _quarantine(session: Session, source_id: int, refused: list[RefusedRow], now: datetime) -> int:
    if not refused:
        return 0
    known = {}
    for chunk in _chunks([row.row_id for row in refused]):
        known.update({r.source_row_id: r for r in session.execute(
            select(QuarantinedRow.source_row_id, QuarantinedRow.id, QuarantinedRow.reason, QuarantinedRow.raw)
            .where(QuarantinedRow.source_id == source_id, QuarantinedRow.source_row_id.in_(chunk)))})
    fresh = [row for row in refused if row.row_id not in known]
    if fresh:
        session.execute(insert(QuarantinedRow), [
            {"source_id": source_id, "source_row_id": row.row_id, "reason": row.reason, "raw": row.raw,
             "first_seen_at": now, "last_seen_at": now, "times_seen": 1} for row in fresh])
    seen_again = [row for row in refused if row.row_id in known]
    if seen_again:
        table = QuarantinedRow.__table__
        session.execute(update(table).where(table.c.id == bindparam("row")).values(
            reason=bindparam("why"), raw=bindparam("as_read"), last_seen_at=now, times_seen=table.c.times_seen + 1),
            [{"row": known[row.row_id].id, "why": row.reason, "as_read": row.raw} for row in seen_again])
    return len(refused)


def _leave_quarantine(session: Session, source_id: int, row_ids: list[int]) -> int:
    taken = 0
    for chunk in _chunks(row_ids):
        taken += session.execute(delete(QuarantinedRow).where(QuarantinedRow.source_id == source_id,
                                                              QuarantinedRow.source_row_id.in_(chunk))).rowcount or 0
    return taken


def stored_counts(session: Session, source_id: int) -> dict[str, int]:
    """How many rows the source has synced and in quarantine."""
    synced = session.scalar(select(func.count()).select_from(SyncedRow).where(SyncedRow.source_id == source_id))
    held = session.scalar(select(func.count()).select_from(QuarantinedRow)
                          .where(QuarantinedRow.source_id == source_id))
    return {"synced": synced or 0, "quarantined": held or 0}

