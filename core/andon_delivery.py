"""Delivering stored andon notices, whatever the channel (email, webhook): claim, send, count the attempt.

Each due row is claimed first by a conditional UPDATE (so no two senders send it), skipped as `void` when
its call moved on meanwhile, handed to its channel, then marked `sent`, or `pending` again with a backoff
(1, 2, 4 ... 30 minutes), or `failed` after MAX_ATTEMPTS. Any exception from a channel is a failed attempt:
a bad row never blocks the rows behind it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.andon_webhook import webhook_host
from core.persistence.andon_tables import AndonCall, AndonNotice
from core.persistence.plant_tables import EquipmentRow, LineRow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_FOR = timedelta(minutes=10)  # a row claimed by a process that died mid-send is tried again after this


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failed send, at most 30."""
    return timedelta(minutes=min(30, 2 ** max(attempts - 1, 0)))


@dataclass(frozen=True)
class NoticeMessage:
    """What a channel needs to deliver one stored notice: the notice, its call and its machine, as read."""
    notice_id: int
    channel: str
    recipient: str
    attempts: int  # before this one
    phase: str
    level: int
    after_minutes: float
    call_id: int
    kind: str
    priority: str
    status: str
    note: str
    fault_code: str | None
    source: str
    raised_by: str
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    equipment_code: str
    equipment_name: str
    line_code: str
    line_name: str


@dataclass(frozen=True)
class Channel:
    name: str  # AndonNotice.channel
    deliver: Callable[[NoticeMessage, datetime], None] | None  # raises when not delivered
    missing: str = ""  # why `deliver` is None (not configured): each notice then fails at once, saying so


@dataclass
class NoticeSummary:
    planned: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_due_notices(db: sessionmaker[Session], channels: Sequence[Channel], now: datetime,
                     keep_going: Callable[[], bool] = lambda: True) -> NoticeSummary:
    """Deliver the rows of `channels` that are due; `keep_going` is asked before each row (the jobs lease)."""
    by_name = {channel.name: channel for channel in channels}
    summary = NoticeSummary()
    for notice_id in _due_ids(db, list(by_name), now):
        if not keep_going():
            break
        message = _claim(db, notice_id, now)
        if message is None:
            continue  # another sender has it
        if message.status == "resolved" or (message.phase == "raised" and message.status != "open"):
            _finish(db, notice_id, status="void", error=f"not sent: the call was {message.status} first")
            continue
        _attempt(db, by_name[message.channel], message, now, summary)
    return summary


def _attempt(db: sessionmaker[Session], channel: Channel, message: NoticeMessage, now: datetime,
             summary: NoticeSummary) -> None:
    attempts = message.attempts + 1
    try:
        if channel.deliver is None:
            raise LookupError(channel.missing or f"no {channel.name} sender in this process")
        channel.deliver(message, now)
    except Exception as exc:  # noqa: BLE001 - any failure is a failed attempt (see the module docstring)
        gave_up = attempts >= MAX_ATTEMPTS or channel.deliver is None
        _finish(db, message.notice_id, status="failed" if gave_up else "pending", attempts=attempts,
                error=str(exc)[:2000], next_attempt_at=now + retry_after(attempts),
                audited=("andon.notice_failed", message, now) if gave_up else None)
        summary.failed += gave_up
        summary.retried += not gave_up
        # The recipient is left out: a webhook URL may hold a secret; the row names it.
        log.warning("andon %s notice %d of call %d not sent (attempt %d): %s", channel.name, message.notice_id,
                    message.call_id, attempts, exc)
        return
    _finish(db, message.notice_id, status="sent", sent_at=now, error=None, attempts=attempts,
            audited=("andon.notified", message, now))
    summary.sent += 1


def _due_ids(db: sessionmaker[Session], channels: list[str], now: datetime) -> list[int]:
    with db() as session:
        return list(session.scalars(
            select(AndonNotice.id).where(AndonNotice.channel.in_(channels),
                                         AndonNotice.status.in_(("pending", "sending")),
                                         AndonNotice.next_attempt_at <= now).order_by(AndonNotice.id)))


def _claim(db: sessionmaker[Session], notice_id: int, now: datetime) -> NoticeMessage | None:
    with db.begin() as session:
        claimed = session.execute(update(AndonNotice).where(
            AndonNotice.id == notice_id, AndonNotice.status.in_(("pending", "sending")),
            AndonNotice.next_attempt_at <= now).values(status="sending", next_attempt_at=now + CLAIM_FOR))
        if claimed.rowcount != 1:
            return None
        n, c, e, line = session.execute(
            select(AndonNotice, AndonCall, EquipmentRow, LineRow).join(AndonCall, AndonCall.id == AndonNotice.call_id)
            .join(EquipmentRow, EquipmentRow.id == AndonCall.equipment_id)
            .join(LineRow, LineRow.id == EquipmentRow.line_id).where(AndonNotice.id == notice_id)).one()
        return NoticeMessage(n.id, n.channel, n.recipient, n.attempts, n.phase, n.level, n.after_minutes,
                             c.id, c.kind, c.priority, c.status, c.note, c.fault_code, c.source, c.raised_by,
                             c.raised_at, c.acknowledged_at, c.acknowledged_by, e.code, e.name, line.code, line.name)


def _finish(db: sessionmaker[Session], notice_id: int,
            audited: tuple[str, NoticeMessage, datetime] | None = None, **values) -> None:
    """Store the notice's outcome; a final one (sent, or given up) goes into the audit log with it."""
    with db.begin() as session:
        session.execute(update(AndonNotice).where(AndonNotice.id == notice_id).values(**values))
        if audited is not None:
            action, message, now = audited
            recipient = webhook_host(message.recipient) if message.channel == "webhook" else message.recipient
            audit.record(session, "system", action, f"andon:{message.call_id}", now=now,
                         detail={"channel": message.channel, "to": recipient, "level": message.level,
                                 "phase": message.phase, "attempts": values.get("attempts")})
