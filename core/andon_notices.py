"""Andon escalation notices: what is due is stored first (one row per level, recipient and channel), then
email rows are sent, retried with backoff and marked failed after MAX_ATTEMPTS; app rows are the in-app feed.

`notify` names roles, user names or email addresses. A level with nobody to
tell is stored as a failed row saying so, never dropped silently.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.andon_escalation import CallClock, DueLevel, Level, due_levels
from core.mail import MailError, Mailer
from core.permissions import ROLES
from core.persistence.account_tables import User
from core.persistence.andon_tables import AndonCall, AndonNotice
from core.persistence.plant_tables import EquipmentRow, EscalationRuleRow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
NOBODY = "-"


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failed send, at most 30."""
    return timedelta(minutes=min(30, 2 ** max(attempts - 1, 0)))


@dataclass
class NoticeSummary:
    planned: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def escalation_rules(session: Session) -> dict[str, list[Level]]:
    rules = {}
    for row in session.scalars(select(EscalationRuleRow).where(EscalationRuleRow.active)):
        rules[row.priority] = [Level(float(level["after_minutes"]), tuple(level["notify"]),
                                     tuple(level.get("channels", ("app", "email"))), level.get("after", "raised"))
                               for level in json.loads(row.levels)]
    return rules


def plan_notices(db: sessionmaker[Session], now: datetime) -> int:
    """Store a row for every recipient and channel of every level now due; returns how many rows."""
    with db.begin() as session:
        calls = [CallClock(c.id, c.priority, c.status, c.raised_at, c.acknowledged_at)
                 for c in session.scalars(select(AndonCall).where(AndonCall.status != "resolved"))]
        if not calls:
            return 0
        sent = set(tuple(row) for row in session.execute(
            select(AndonNotice.call_id, AndonNotice.phase, AndonNotice.after_minutes).distinct()
            .where(AndonNotice.call_id.in_([c.id for c in calls]))))
        due = due_levels(calls, escalation_rules(session), sent, now)
        users = {u.username: u for u in session.scalars(select(User).where(User.active))} if due else {}
        rows = [row for level in due for row in _rows_for(users, level, now)]
        session.add_all(rows)
        return len(rows)


def _rows_for(users: dict[str, User], due: DueLevel, now: datetime) -> list[AndonNotice]:
    rows, problems = {}, []
    for name in due.notify:
        if "@" in name:
            targets, addresses = [], [name.strip().lower()]
        elif name in ROLES:
            targets = [u for u in users.values() if u.role == name]
            addresses = [u.email.lower() for u in targets if u.email]
            if not targets:
                problems.append(f"no active user has the role {name}")
        elif name in users:
            targets, addresses = [users[name]], [users[name].email.lower()] if users[name].email else []
        else:
            problems.append(f"{name!r} is neither a role, a user nor an email address")
            continue
        if "app" in due.channels:
            for user in targets:
                rows[("app", user.username)] = "sent"  # the feed is the delivery
        if "email" in due.channels:
            for address in addresses:
                rows[("email", address)] = "pending"
            problems.extend(f"{u.username} has no email address" for u in targets if not u.email)
    made = [AndonNotice(call_id=due.call_id, phase=due.phase, level=due.level, after_minutes=due.after_minutes,
                        channel=channel, recipient=recipient,
                        status=status, attempts=0, created_at=now, next_attempt_at=now,
                        sent_at=now if status == "sent" else None) for (channel, recipient), status in rows.items()]
    if problems or not made:
        made.append(AndonNotice(call_id=due.call_id, phase=due.phase, level=due.level,
                                after_minutes=due.after_minutes, channel="email",
                                recipient=NOBODY, status="failed", attempts=0, created_at=now, next_attempt_at=now,
                                error="; ".join(problems) or "nobody to tell"))
    return made


CLAIM_FOR = timedelta(minutes=10)  # a row claimed by a process that died mid-send is tried again after this


def send_due_email(db: sessionmaker[Session], mailer: Mailer | None, now: datetime,
                   keep_going: Callable[[], bool] = lambda: True) -> NoticeSummary:
    """Send the email rows that are due, each claimed first (so no two senders send it), skipping those whose
    call has moved on since (acknowledged or resolved: marked void); a failure is retried with backoff, then
    marked failed. `keep_going` is asked before each row (the jobs lease)."""
    summary = NoticeSummary()
    with db() as session:
        due_ids = list(session.scalars(
            select(AndonNotice.id).where(AndonNotice.channel == "email",
                                         AndonNotice.status.in_(("pending", "sending")),
                                         AndonNotice.next_attempt_at <= now).order_by(AndonNotice.id)))
    for notice_id in due_ids:
        if not keep_going():
            break
        claimed = _claim(db, notice_id, now)
        if claimed is None:
            continue
        notice, call, machine = claimed
        if call.status == "resolved" or (notice.phase == "raised" and call.status != "open"):
            _finish(db, notice_id, status="void", error=f"not sent: the call was {call.status} first")
            continue
        subject, body = notice_text(notice, call, machine, now)
        try:
            if mailer is None:
                raise MailError("no SMTP server is configured (FLOORBOARD_SMTP_HOST)")
            mailer.send([notice.recipient], subject, body)
        except Exception as exc:  # any failure is a failed attempt: a bad row must not block the rows behind it
            attempts = notice.attempts + 1
            gave_up = attempts >= MAX_ATTEMPTS or mailer is None
            _finish(db, notice_id, status="failed" if gave_up else "pending", attempts=attempts, error=str(exc),
                    next_attempt_at=now + retry_after(attempts))
            summary.failed += gave_up
            summary.retried += not gave_up
            log.warning("andon notice %d to %s not sent (attempt %d): %s", notice_id, notice.recipient, attempts, exc)
            continue
        _finish(db, notice_id, status="sent", sent_at=now, error=None, attempts=notice.attempts + 1)
        summary.sent += 1
    return summary


def _claim(db: sessionmaker[Session], notice_id: int, now: datetime):
    with db.begin() as session:
        claimed = session.execute(update(AndonNotice).where(
            AndonNotice.id == notice_id, AndonNotice.status.in_(("pending", "sending")),
            AndonNotice.next_attempt_at <= now).values(status="sending", next_attempt_at=now + CLAIM_FOR))
        if claimed.rowcount != 1:
            return None  # another sender has it
        return session.execute(
            select(AndonNotice, AndonCall, EquipmentRow).join(AndonCall, AndonCall.id == AndonNotice.call_id)
            .join(EquipmentRow, EquipmentRow.id == AndonCall.equipment_id).where(AndonNotice.id == notice_id)).one()


def _finish(db: sessionmaker[Session], notice_id: int, **values) -> None:
    with db.begin() as session:
        session.execute(update(AndonNotice).where(AndonNotice.id == notice_id).values(**values))


def notice_text(notice: AndonNotice, call: AndonCall, machine: EquipmentRow, now: datetime) -> tuple[str, str]:
    minutes = int((now - call.raised_at).total_seconds() // 60)
    if notice.phase == "acknowledged" and call.acknowledged_at is not None:
        open_for = int((now - call.acknowledged_at).total_seconds() // 60)
        stage = f"acknowledged by {call.acknowledged_by} {open_for} min ago and not yet resolved"
    else:
        stage = "without acknowledgement"
    subject = f"[Floorboard] {call.priority.upper()} andon: {call.kind} at {machine.code} ({machine.name})"
    body = (f"Andon call {call.id} at {machine.code} {machine.name}: {call.kind}, priority {call.priority}.\n"
            f"Raised {call.raised_at:%Y-%m-%d %H:%M} UTC by {call.raised_by} ({call.source}), {minutes} min ago; "
            f"status {call.status}.\n"
            + (f"Fault: {call.fault_code}\n" if call.fault_code else "")
            + (f"Note: {call.note}\n" if call.note else "")
            + f"\nYou are told at escalation level {notice.level + 1}: {stage}.\n")
    return subject, body


def unread_count(db: sessionmaker[Session], username: str) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(AndonNotice).where(
            AndonNotice.channel == "app", AndonNotice.recipient == username, AndonNotice.read_at.is_(None))) or 0


@dataclass(frozen=True)
class CallNotices:
    level_reached: str  # "" when nobody was told yet, else e.g. "raised 2" or "acknowledged 1"
    told: tuple[str, ...]  # recipients told so far (user names and addresses)
    failed: int  # notices that could not be delivered


def notices_of(db: sessionmaker[Session], call_ids: list[int]) -> dict[int, CallNotices]:
    """Per call: the highest escalation level reached, who was told, how many notices failed."""
    found: dict[int, list[AndonNotice]] = {call_id: [] for call_id in call_ids}
    if call_ids:
        with db() as session:
            for notice in session.scalars(select(AndonNotice).where(AndonNotice.call_id.in_(call_ids))):
                found[notice.call_id].append(notice)
    summary = {}
    for call_id, notices in found.items():
        phases = sorted({(n.phase == "acknowledged", n.level) for n in notices})
        reached = f"{'acknowledged' if phases[-1][0] else 'raised'} {phases[-1][1] + 1}" if phases else ""
        told = tuple(sorted({n.recipient for n in notices if n.status == "sent"}))
        summary[call_id] = CallNotices(reached, told, sum(n.status == "failed" for n in notices))
    return summary


@dataclass(frozen=True)
class FeedItem:
    notice_id: int
    at: datetime
    call_id: int
    equipment_code: str
    kind: str
    priority: str
    call_status: str
    phase: str
    level: int
    read: bool


def feed(db: sessionmaker[Session], username: str, limit: int = 100) -> list[FeedItem]:
    """The user's in-app notices, newest first."""
    with db() as session:
        rows = session.execute(
            select(AndonNotice, AndonCall, EquipmentRow).join(AndonCall, AndonCall.id == AndonNotice.call_id)
            .join(EquipmentRow, EquipmentRow.id == AndonCall.equipment_id)
            .where(AndonNotice.channel == "app", AndonNotice.recipient == username)
            .order_by(AndonNotice.created_at.desc(), AndonNotice.id.desc()).limit(limit)).all()
    return [FeedItem(n.id, n.created_at, c.id, e.code, c.kind, c.priority, c.status, n.phase, n.level,
                     n.read_at is not None) for n, c, e in rows]


def mark_feed_read(db: sessionmaker[Session], username: str, now: datetime) -> int:
    with db.begin() as session:
        return session.execute(update(AndonNotice).where(
            AndonNotice.channel == "app", AndonNotice.recipient == username, AndonNotice.read_at.is_(None))
            .values(read_at=now)).rowcount
