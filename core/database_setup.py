"""Bring a database to the current schema and reference data (what `floorboard init` does)."""

from __future__ import annotations

from sqlalchemy import Engine

from core.accounts import sync_roles
from core.persistence.database import check_reachable, make_session_factory
from core.persistence.schema import upgrade_to_head


def prepare_database(engine: Engine) -> None:
    """Upgrade to the newest schema and sync the roles; safe to run again, keeps all data."""
    check_reachable(engine)
    upgrade_to_head(engine)
    with make_session_factory(engine).begin() as session:
        sync_roles(session)
