"""The jobs lease: one row in the database says which `floorboard jobs` process runs the jobs.

A holder renews its lease well before it expires; another process takes the
lease only once it has expired, so a second scheduler started by mistake, on
this host or another, stands by instead of running every job twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.database import database_time
from core.persistence.timeline_tables import SchedulerLease

JOBS_LEASE = "jobs"


def acquire_lease(db: sessionmaker[Session], holder: str, ttl: timedelta, now: datetime | None = None,
                  name: str = JOBS_LEASE) -> bool:
    """Take or renew the lease for `holder`; True when `holder` holds it for `ttl`.

    Expiry is judged by the database's clock (unless `now` is given, in
    tests), so hosts whose clocks disagree still agree on who holds it.
    """
    with db.begin() as session:
        now = now or database_time(session)
        expires = now + ttl
        # One conditional UPDATE: atomic on every database, so two contenders cannot both win.
        taken = session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name,
                   or_(SchedulerLease.holder == holder, SchedulerLease.expires_at <= now))
            .values(holder=holder, expires_at=expires)
        ).rowcount
        if taken:
            return True
        if session.scalar(select(SchedulerLease.name).where(SchedulerLease.name == name)) is not None:
            return False
    try:
        with db.begin() as session:
            session.execute(insert(SchedulerLease).values(name=name, holder=holder, expires_at=expires,
                                                          acquired_at=now))
        return True
    except IntegrityError:
        return False  # someone else created it first


def release_lease(db: sessionmaker[Session], holder: str, name: str = JOBS_LEASE) -> None:
    """Give the lease up at a clean shutdown, so a standby takes over at once."""
    with db.begin() as session:
        session.execute(update(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                        .values(expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc)))


def lease_holder(db: sessionmaker[Session], now: datetime | None = None, name: str = JOBS_LEASE) -> str | None:
    with db() as session:
        now = now or database_time(session)
        row = session.get(SchedulerLease, name)
        return row.holder if row is not None and row.expires_at > now else None
