"""The audit log: who changed what, and when; and what was refused to whom."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.clock import utc_now
from core.persistence.account_tables import AuditEntry

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str
    action: str
    target: str
    detail: str
    address: str


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None


@dataclass(frozen=True)
class AuditPage:
    records: list[AuditRecord]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def record(
    session: Session,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    address: str = "",
    now: datetime | None = None,
) -> None:
    """Add an audit row to `session`; it is committed with the change it describes."""
    session.add(
        AuditEntry(
            at=now or utc_now(),
            actor=actor[:64],
            action=action[:64],
            target=target[:255],
            detail=json.dumps(detail, sort_keys=True, default=str) if detail else "",
            address=address[:64],
        )
    )


def record_now(db: sessionmaker[Session], actor: str, action: str, target: str = "", **fields: Any) -> None:
    """Record an event that changes nothing else (a refusal) in its own transaction."""
    with db.begin() as session:
        record(session, actor, action, target, **fields)


def find_entries(db: sessionmaker[Session], wanted: AuditFilter, page: int = 1, page_size: int = 50) -> AuditPage:
    """One page of audit rows matching `wanted`, newest first."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    conditions = []
    if wanted.actor:
        conditions.append(AuditEntry.actor == wanted.actor)
    if wanted.action:
        conditions.append(AuditEntry.action == wanted.action)
    if wanted.since:
        conditions.append(AuditEntry.at >= wanted.since)
    if wanted.until:
        conditions.append(AuditEntry.at < wanted.until)
    if wanted.text:
        conditions.append(AuditEntry.target.contains(wanted.text, autoescape=True)
                          | AuditEntry.detail.contains(wanted.text, autoescape=True))
    with db() as session:
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
        rows = session.scalars(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
        records = [AuditRecord(r.at, r.actor, r.action, r.target, r.detail, r.address) for r in rows]
    return AuditPage(records=records, total=total or 0, page=page, page_size=page_size)


def known_actions(db: sessionmaker[Session]) -> list[str]:
    with db() as session:
        return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def known_actors(db: sessionmaker[Session]) -> list[str]:
    with db() as session:
        return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))
