"""SQL the OEE engine runs: counts summed per machine and time bucket in the database, state changes, startup rejects.

Counts are the bulk of the data (a row a minute or more per machine), so they
are summed by the database; only per-bucket sums travel to Python.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, and_, func, insert, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import FunctionElement

from core.persistence.base import UTCDateTime
from core.persistence.timeline_tables import CountIncrement, StateChange


class integer_division(FunctionElement):
    """`integer_division(column, n)`: whole-number division of an integer column by a constant, on every backend."""

    type = BigInteger()
    inherit_cache = True


def _operands(element, compiler, **kw) -> tuple[str, str]:
    column, size = list(element.clauses)  # size is a literal_column: part of the statement cache key
    return compiler.process(column, **kw), compiler.process(size, **kw)


@compiles(integer_division)
def _divide(element, compiler, **kw):
    column, size = _operands(element, compiler, **kw)
    return f"({column} / {size})"  # integer / integer is whole-number division on SQLite and PostgreSQL


@compiles(integer_division, "mysql")
@compiles(integer_division, "mariadb")
def _divide_mysql(element, compiler, **kw):
    column, size = _operands(element, compiler, **kw)
    return f"({column} DIV {size})"


def counts_by_bucket(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime, end: datetime,
                     bucket_s: int) -> pd.DataFrame:
    """Columns equipment_id, bucket (epoch seconds // bucket_s), good, reject: sums over [start, end)."""
    bucket = integer_division(CountIncrement.at_epoch, literal_column(str(int(bucket_s))))
    query = (
        select(CountIncrement.equipment_id, bucket.label("bucket"), func.sum(CountIncrement.good).label("good"),
               func.sum(CountIncrement.reject).label("reject"))
        .where(CountIncrement.equipment_id.in_(list(equipment_ids)), CountIncrement.at >= start,
               CountIncrement.at < end)
        .group_by(CountIncrement.equipment_id, bucket)
    )
    with db() as session:
        rows = session.execute(query).all()
    return _frame(rows, {"equipment_id": "int64", "bucket": "int64", "good": "int64", "reject": "int64"})


def _frame(rows, columns: dict[str, str | None]) -> pd.DataFrame:
    """A DataFrame from result rows, column by column (much faster than from row objects)."""
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pd.DataFrame({name: (np.asarray(column, dtype=dtype) if dtype else np.asarray(column, dtype=object))
                         for (name, dtype), column in zip(columns.items(), values)})


def state_changes_frame(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime,
                        end: datetime) -> pd.DataFrame:
    """Columns equipment_id, at (epoch seconds), state, reason_code: the change in force at `start`,
    every change in [start, end), and the first change after `end` (so a stop's whole length is known)."""
    ids = list(equipment_ids)
    columns = (StateChange.equipment_id, StateChange.at_epoch, StateChange.state, StateChange.reason_code)
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
    frame = _frame(rows, {"equipment_id": "int64", "at": "float64", "state": None, "reason_code": None})
    return frame.sort_values(["equipment_id", "at"], kind="stable").reset_index(drop=True)


def rejects_after(db: sessionmaker[Session], windows: pd.DataFrame) -> pd.Series:
    """For each row of `windows` (equipment_id, t0, t1 as epoch seconds): rejects counted in [t0, t1).

    The windows go into a temporary table joined to the counts by machine and
    time, so each window is one short range scan of the (equipment_id, at) index.
    """
    if windows.empty:
        return pd.Series([], dtype="int64")
    metadata = MetaData()
    table = Table(f"startup_windows_{uuid.uuid4().hex[:8]}", metadata,
                  Column("row", Integer), Column("equipment_id", Integer), Column("t0", UTCDateTime),
                  Column("t1", UTCDateTime), prefixes=["TEMPORARY"])
    with db() as session:
        connection = session.connection()
        table.create(connection)
        try:
            connection.execute(insert(table), [
                {"row": int(i), "equipment_id": int(r.equipment_id), "t0": EPOCH + timedelta(seconds=float(r.t0)),
                 "t1": EPOCH + timedelta(seconds=float(r.t1))} for i, r in zip(windows.index, windows.itertuples())])
            found = dict(connection.execute(
                select(table.c.row, func.sum(CountIncrement.reject))
                .select_from(table.join(CountIncrement, and_(CountIncrement.equipment_id == table.c.equipment_id,
                                                             CountIncrement.at >= table.c.t0,
                                                             CountIncrement.at < table.c.t1)))
                .group_by(table.c.row)).all())
        finally:
            table.drop(connection)
            session.commit()
    return pd.Series([int(found.get(int(i)) or 0) for i in windows.index], index=windows.index, dtype="int64")


def counts_in_spans(db: sessionmaker[Session], spans: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """For each row of `spans` (equipment_id, e0, e1: whole epoch seconds): good and reject counted with
    e0 <= at_epoch < e1 and start <= at < end, as counts_by_bucket groups them. Few spans (a product change
    inside a time bucket), each one short range scan through a temporary table, like rejects_after."""
    if spans.empty:
        return pd.DataFrame({"good": pd.Series([], dtype="int64"), "reject": pd.Series([], dtype="int64")})
    table = Table(f"count_spans_{uuid.uuid4().hex[:8]}", MetaData(), Column("row", Integer),
                  Column("equipment_id", Integer), Column("e0", BigInteger), Column("e1", BigInteger),
                  prefixes=["TEMPORARY"])
    with db() as session:
        connection = session.connection()
        table.create(connection)
        try:
            connection.execute(insert(table), [
                {"row": int(i), "equipment_id": int(r.equipment_id), "e0": int(r.e0), "e1": int(r.e1)}
                for i, r in zip(spans.index, spans.itertuples())])
            found = {row: (good, reject) for row, good, reject in connection.execute(
                select(table.c.row, func.sum(CountIncrement.good), func.sum(CountIncrement.reject))
                .select_from(table.join(CountIncrement, and_(CountIncrement.equipment_id == table.c.equipment_id,
                                                             CountIncrement.at_epoch >= table.c.e0,
                                                             CountIncrement.at_epoch < table.c.e1)))
                .where(CountIncrement.at >= start, CountIncrement.at < end)
                .group_by(table.c.row))}
        finally:
            table.drop(connection)
            session.commit()
    sums = [found.get(int(i), (0, 0)) for i in spans.index]
    return pd.DataFrame({"good": [int(g or 0) for g, _ in sums], "reject": [int(r or 0) for _, r in sums]},
                        index=spans.index, dtype="int64")


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
