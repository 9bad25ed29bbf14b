"""Engines and session factories for SQLite, MariaDB/MySQL and PostgreSQL.

SQLite gets WAL journaling, a busy timeout and foreign keys on every
connection; server databases get pre-ping and recycling so a restarted server
or a dropped connection costs one retry, not an error page.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(Exception):
    """The database cannot be reached; the message is one line for a person."""


def make_engine(url: str, **options) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **options
        )
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    connect_args = {}
    if parsed.get_backend_name() in {"mysql", "mariadb"}:
        connect_args = {"connect_timeout": 10, "charset": "utf8mb4"}
    elif parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": 10}
    return create_engine(parsed, pool_pre_ping=True, pool_recycle=1800, connect_args=connect_args, **options)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def check_reachable(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a one-line reason when a trivial query fails."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DatabaseUnavailable(f"{engine.url.render_as_string(hide_password=True)}: {reason}") from exc


_NOW_SQL = {
    "sqlite": "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')",
    "mysql": "SELECT UTC_TIMESTAMP(6)",
    "mariadb": "SELECT UTC_TIMESTAMP(6)",
    "postgresql": "SELECT now() AT TIME ZONE 'utc'",
}


def database_time(session: Session) -> datetime:
    """The database server's clock, in UTC: one clock for every host that shares the database."""
    value = session.execute(text(_NOW_SQL[session.get_bind().dialect.name])).scalar_one()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc)
