"""The declarative base and the column types every table uses.

Times are stored as UTC (naive in the column, aware in Python) with
microseconds on every backend.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Double, String, TypeDecorator
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime in Python, a naive UTC DATETIME(6) in the database."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name in {"mysql", "mariadb"}:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    pass


def code_column(length: int = 32) -> String:
    """A code or id compared exactly (case and trailing spaces count) on every backend, as on SQLite."""
    return String(length).with_variant(mysql.VARCHAR(length, collation="utf8mb4_bin"), "mysql", "mariadb")


# Double precision everywhere: MariaDB's FLOAT is single precision and would round cycle times.
Number = Double
