"""Connecting to a source database: read-only, with pre-ping, timeouts and recycling; URL from the environment.

The URL is read from the variable the source names (`url_env`) and never stored nor shown with its password.
"""

from __future__ import annotations

import os
from typing import Mapping

from pymysql.constants import FIELD_TYPE
from pymysql.converters import conversions
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 120  # one batch query; a longer one counts as a dead connection
POOL_RECYCLE_S = 1800
# Times are read as the text MySQL sends ('2025-01-06 06:00:00') and parsed by core.sync.row_mapping with
# datetime.fromisoformat, which is C: pymysql's own parsing of three times a row was half the time a batch took to
# read (benchmarks/sync.py). Zero dates came as text before too.
TIMES_AS_TEXT = {kind: convert for kind, convert in conversions.items()
                 if kind not in (FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP)}


class SourceUnavailable(Exception):
    """The source cannot be reached or is not set up; the message is one line for a person."""


def source_url(url_env: str, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    url = environ.get(url_env, "").strip()
    if not url:
        raise SourceUnavailable(f"{url_env} is not set: export it as the source's database URL, "
                                f"such as mysql+pymysql://reader:secret@cimco-host/cimco")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SourceUnavailable(f"{url_env} is not a database URL") from None
    if parsed.get_backend_name() not in {"mysql", "mariadb"}:
        raise SourceUnavailable(f"{url_env} must name a MySQL or MariaDB database (mysql+pymysql://...), "
                                f"not {parsed.get_backend_name()}")
    return url


def shown_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def make_source_engine(url: str) -> Engine:
    """An engine whose every session is read-only, so a mapping mistake can never write to the source. With
    pymysql, DATETIME and TIMESTAMP values come as text."""
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S, "read_timeout": READ_TIMEOUT_S,
                    "write_timeout": READ_TIMEOUT_S, "charset": "utf8mb4"}
    if make_url(url).get_driver_name() == "pymysql":
        connect_args["conv"] = TIMES_AS_TEXT
    engine = create_engine(url, pool_pre_ping=True, pool_recycle=POOL_RECYCLE_S, pool_size=1, max_overflow=1,
                           connect_args=connect_args)
    event.listen(engine, "connect", _read_only)
    return engine


def _read_only(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")


class SourceEngines:
    """One engine per source URL, made when first needed and kept (with its pool) for the next runs."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = environ
        self._engines: dict[str, Engine] = {}

    def engine_for(self, url_env: str) -> Engine:
        url = source_url(url_env, self.environ)
        if url not in self._engines:
            self._engines[url] = make_source_engine(url)
        return self._engines[url]

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
