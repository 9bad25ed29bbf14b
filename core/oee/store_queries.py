"""SQL the OEE engine runs: counts summed per machine and time bucket in the database, state changes, startup rejects.

Counts are the bulk of the data (a row a minute or more per machine), so they
are summed by the database; only per-bucket sums travel to Python.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Sequence

import pandas as pd
from sqlalchemy import BigInteger, Integer, and_, func, literal, literal_column, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import FunctionElement

from core.persistence.base import UTCDateTime
from core.persistence.timeline_tables import CountIncrement, StateChange


class epoch_bucket(FunctionElement):
    """`epoch_bucket(at, n)`: whole seconds since 1970 of a UTC DATETIME column, integer-divided by n."""

    type = BigInteger()
    inherit_cache = True


def _column_and_size(element, compiler, **kw) -> tuple[str, str]:
    at, size = list(element.clauses)  # size is a literal_column: part of the statement cache key
    return compiler.process(at, **kw), compiler.process(size, **kw)


@compiles(epoch_bucket, "sqlite")
def _bucket_sqlite(element, compiler, **kw):
    at, size = _column_and_size(element, compiler, **kw)
    return f"(CAST(strftime('%s', {at}) AS INTEGER) / {size})"


@compiles(epoch_bucket, "mysql")
@compiles(epoch_bucket, "mariadb")
def _bucket_mysql(element, compiler, **kw):
    at, size = _column_and_size(element, compiler, **kw)
    return f"(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', {at}) DIV {size})"


@compiles(epoch_bucket, "postgresql")
def _bucket_postgresql(element, compiler, **kw):
    at, size = _column_and_size(element, compiler, **kw)
    return f"(CAST(EXTRACT(EPOCH FROM {at}) AS BIGINT) / {size})"


def counts_by_bucket(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime, end: datetime,
                     bucket_s: int) -> pd.DataFrame:
    """Columns equipment_id, bucket (epoch seconds // bucket_s), good, reject: sums over [start, end)."""
    bucket = epoch_bucket(CountIncrement.at, literal_column(str(int(bucket_s))))
    query = (
        select(CountIncrement.equipment_id, bucket.label("bucket"), func.sum(CountIncrement.good).label("good"),
               func.sum(CountIncrement.reject).label("reject"))
        .where(CountIncrement.equipment_id.in_(list(equipment_ids)), CountIncrement.at >= start,
               CountIncrement.at < end)
        .group_by(CountIncrement.equipment_id, bucket)
    )
    with db() as session:
        rows = session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["equipment_id", "bucket", "good", "reject"])
    return frame.astype({"equipment_id": "int64", "bucket": "int64", "good": "int64", "reject": "int64"})


def state_changes_frame(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime,
                        end: datetime) -> pd.DataFrame:
    """Columns equipment_id, at (epoch seconds, float), state, reason_code: the change in force at `start`,
    every change in [start, end), and the first change after `end` (so a stop's whole length is known)."""
    ids = list(equipment_ids)
    columns = (StateChange.equipment_id, StateChange.at, StateChange.state, StateChange.reason_code)
    with db() as session:
        rows = list(session.execute(
            select(*columns).where(StateChange.equipment_id.in_(ids), StateChange.at >= start, StateChange.at < end)
        ))
        for equipment_id in ids:
            before = session.execute(select(*columns).where(StateChange.equipment_id == equipment_id,
                                                            StateChange.at < start)
                                     .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(1)).first()
            after = session.execute(select(*columns).where(StateChange.equipment_id == equipment_id,
                                                           StateChange.at >= end)
                                    .order_by(StateChange.at, StateChange.id).limit(1)).first()
            rows.extend(row for row in (before, after) if row is not None)
    frame = pd.DataFrame(rows, columns=["equipment_id", "at", "state", "reason_code"])
    if frame.empty:
        frame["at"] = frame["at"].astype("float64")
        return frame
    frame["at"] = (pd.to_datetime(frame["at"], utc=True) - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return frame.sort_values(["equipment_id", "at"], kind="stable").reset_index(drop=True)


def rejects_after(db: sessionmaker[Session], windows: pd.DataFrame, chunk: int = 400) -> pd.Series:
    """For each row of `windows` (equipment_id, t0, t1 as datetimes): rejects counted in [t0, t1).

    The windows travel as a UNION ALL of literal rows (SQLite caps compound
    selects at 500 terms, hence the chunks), joined to the indexed counts.
    """
    found: dict[int, int] = {}
    rows = list(zip(windows.index, windows.itertuples()))
    with db() as session:
        for first in range(0, len(rows), chunk):
            parts = [select(literal(int(i), Integer).label("row"), literal(int(r.equipment_id), Integer).label("eid"),
                            literal(r.t0, UTCDateTime).label("t0"), literal(r.t1, UTCDateTime).label("t1"))
                     for i, r in rows[first:first + chunk]]
            table = union_all(*parts).subquery("startup_windows") if len(parts) > 1 else parts[0].subquery()
            query = (
                select(table.c.row, func.coalesce(func.sum(CountIncrement.reject), 0))
                .select_from(table.join(CountIncrement, and_(CountIncrement.equipment_id == table.c.eid,
                                                             CountIncrement.at >= table.c.t0,
                                                             CountIncrement.at < table.c.t1)))
                .group_by(table.c.row)
            )
            found.update((int(row), int(total)) for row, total in session.execute(query))
    return pd.Series([found.get(int(i), 0) for i in windows.index], index=windows.index, dtype="int64")


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def as_datetime(epoch: float) -> datetime:
    return EPOCH + timedelta(seconds=float(epoch))
