"""Inserting many rows at once through the driver's executemany, with each column's own conversion.

SQLAlchemy's executemany builds and checks a parameter dictionary per row; for the hundreds of thousands of
timeline rows a source sync writes that was most of the sync's time (benchmarks/sync.py). Here the statement is
compiled once and each value goes through its column type's bind processor (so a UTC time is stored exactly as
the ORM stores it), then the driver's executemany takes plain tuples.
"""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_many(session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple],
                memo: dict | None = None) -> None:
    """INSERT `rows` (tuples in `columns` order) into `table` in the session's transaction. Calls that pass the
    same `memo` convert a value they share once (a batch's moments are a synced row's, its state change's ...)."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    statement = table.insert().compile(dialect=dialect, column_keys=list(columns))
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    memos = memo if memo is not None else {}
    converted = _converted(rows, processors, [memos.setdefault(type(table.c[name].type), {}) for name in columns])
    if statement.positional:  # qmark (SQLite): tuples in the statement's order
        order = [list(columns).index(key) for key in statement.positiontup]
        if order != list(range(len(columns))):
            converted = [tuple(values[index] for index in order) for values in converted]
        parameters = converted
    else:  # pyformat (pymysql): a dict per row, which pymysql still folds into one multi-row INSERT
        parameters = [dict(zip(columns, values)) for values in converted]
    connection.exec_driver_sql(statement.string, parameters)


def _converted(rows: Sequence[tuple], processors, memos: list[dict]) -> Sequence[tuple]:
    """The rows with every value converted by its column's processor, each value once per memo. Column by
    column: only the columns that need it are touched."""
    if not any(processors):
        return rows
    columns = list(zip(*rows))
    for index, (process, memo) in enumerate(zip(processors, memos)):
        if process is not None:
            columns[index] = [_convert(value, process, memo) for value in columns[index]]
    return list(zip(*columns))


def _convert(value, process, memo: dict):
    if value is None:
        return None
    found = memo.get(value)
    if found is None:
        found = memo[value] = process(value)
    return found
