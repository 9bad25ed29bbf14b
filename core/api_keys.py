"""API keys for devices and other systems: shown once, stored as a hash, revocable, last use recorded."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import SYSTEM, Actor
from core.clock import utc_now
from core.persistence.timeline_tables import ApiKey

PREFIX_LENGTH = 10
LAST_USED_RESOLUTION = timedelta(minutes=1)  # don't write on every request of a busy device


class ApiKeyError(ValueError):
    pass


@dataclass(frozen=True)
class ApiKeyView:
    name: str
    prefix: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None


def _digest(key: str) -> str:
    # Keys are 256-bit random tokens: a plain SHA-256 cannot be brute-forced, and checking it is cheap.
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(db: sessionmaker[Session], name: str, actor: Actor = SYSTEM, now: datetime | None = None) -> str:
    """Make a key named `name`; the key itself is returned once and never stored."""
    name = name.strip()
    if not 0 < len(name) <= 64:
        raise ApiKeyError("an API key needs a name of 1 to 64 characters")
    key = "fb_" + secrets.token_urlsafe(32)
    with db.begin() as session:
        if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
            raise ApiKeyError(f"an API key named {name!r} already exists")
        session.add(ApiKey(name=name, prefix=key[:PREFIX_LENGTH], key_hash=_digest(key), created_at=now or utc_now(),
                           created_by=actor.username))
        audit.record(session, actor.username, "apikey.create", name, None, actor.address)
    return key


def revoke_api_key(db: sessionmaker[Session], name: str, actor: Actor = SYSTEM, now: datetime | None = None) -> None:
    with db.begin() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.name == name))
        if row is None:
            raise ApiKeyError(f"no API key named {name!r}")
        if row.revoked_at is None:
            row.revoked_at = now or utc_now()
            audit.record(session, actor.username, "apikey.revoke", name, None, actor.address)


def list_api_keys(db: sessionmaker[Session]) -> list[ApiKeyView]:
    with db() as session:
        return [ApiKeyView(r.name, r.prefix, r.created_at, r.created_by, r.last_used_at, r.revoked_at)
                for r in session.scalars(select(ApiKey).order_by(ApiKey.name))]


def authenticate_api_key(db: sessionmaker[Session], key: str, now: datetime | None = None) -> str | None:
    """The name of the live key `key` is, or None; records when it was last used."""
    now = now or utc_now()
    if not key.startswith("fb_") or len(key) > 100:
        return None
    digest = _digest(key)
    with db() as session:
        candidates = session.scalars(select(ApiKey).where(ApiKey.prefix == key[:PREFIX_LENGTH])).all()
        match = next((row for row in candidates if hmac.compare_digest(row.key_hash, digest)), None)
        if match is None or match.revoked_at is not None:
            return None
        if match.last_used_at is None or now - match.last_used_at >= LAST_USED_RESOLUTION:
            match.last_used_at = now
            session.commit()
        return match.name
