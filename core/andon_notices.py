"""Andon escalation notices: what is due is stored first (one row per level, recipient and channel), then
email and webhook rows are delivered by core.andon_delivery (claimed, retried with backoff, failed after
MAX_ATTEMPTS); app rows are the in-app feed.

`notify` names roles, user names, email addresses or webhook URLs (http/https; sent on the `webhook`
channel only). A level with nobody to tell is stored as a failed row saying so, never dropped silently; a
level the calls passed before the rules changed is stored as one `skipped` row on no channel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.andon_delivery import Channel, NoticeMessage
from core.andon_escalation import CallClock, DueLevel, Level, due_levels, passed_at_rule_change
from core.andon_webhook import WebhookPoster, is_webhook_target, post_notice, webhook_host
from core.mail import Mailer
from core.recipients import who_is
from core.persistence.account_tables import User
from core.persistence.andon_tables import AndonCall, AndonNotice
from core.persistence.plant_tables import EquipmentRow, EscalationRuleRow

NOBODY = "-"
SKIPPED = "-"  # the channel of a level skipped because the rules changed after its time: sent on none


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
        calls, sent = _unresolved_calls(session)
        if not calls:
            return 0
        due = due_levels(calls, escalation_rules(session), sent, now)
        users = {u.username: u for u in session.scalars(select(User).where(User.active))} if due else {}
        rows = [row for level in due for row in _rows_for(users, level, now)]
        session.add_all(rows)
        return len(rows)


def skip_passed_levels(session: Session, now: datetime) -> int:
    """Right after the rules changed, in the same transaction: store one `skipped` row for every level of the
    stored rules that an unresolved call already passed untold, so it is never sent late (see
    core.andon_escalation). Returns how many levels."""
    calls, sent = _unresolved_calls(session)
    passed = passed_at_rule_change(calls, escalation_rules(session), sent, now) if calls else []
    session.add_all(AndonNotice(call_id=level.call_id, phase=level.phase, level=level.level,
                                after_minutes=level.after_minutes, channel=SKIPPED, recipient=NOBODY,
                                status="skipped", attempts=0, created_at=now, next_attempt_at=now,
                                error="not sent: the escalation rules changed after this level's time")
                    for level in passed)
    return len(passed)


def _unresolved_calls(session: Session) -> tuple[list[CallClock], set[tuple[int, str, float]]]:
    """The calls still escalating, and the levels (call id, phase, after_minutes) each already has a row for."""
    calls = [CallClock(c.id, c.priority, c.status, c.raised_at, c.acknowledged_at)
             for c in session.scalars(select(AndonCall).where(AndonCall.status != "resolved"))]
    if not calls:
        return [], set()
    sent = set(tuple(row) for row in session.execute(
        select(AndonNotice.call_id, AndonNotice.phase, AndonNotice.after_minutes).distinct()
        .where(AndonNotice.call_id.in_([c.id for c in calls]))))
    return calls, sent


def _rows_for(users: dict[str, User], due: DueLevel, now: datetime) -> list[AndonNotice]:
    rows, problems = {}, []
    for name in due.notify:
        if is_webhook_target(name):
            if "webhook" in due.channels:
                rows[("webhook", name)] = "pending"
            else:
                problems.append(f"{name} is a webhook URL but the level has no webhook channel")
            continue
        named = who_is(name, users.values())
        if not named.people and not named.addresses:
            problems.extend(named.problems)
            continue
        if "app" in due.channels:
            for user in named.people:
                rows[("app", user.username)] = "sent"  # the feed is the delivery
        if "email" in due.channels:
            for address in named.addresses:
                rows[("email", address)] = "pending"
            problems.extend(named.problems)
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


def email_channel(mailer: Mailer | None) -> Channel:
    if mailer is None:
        return Channel("email", None, "no SMTP server is configured (FLOORBOARD_SMTP_HOST)")
    return Channel("email", lambda message, now: mailer.send([message.recipient], *notice_text(message, now)))


def webhook_channel(poster: WebhookPoster | None) -> Channel:
    if poster is None:
        return Channel("webhook", None, "no webhook poster in this process")
    return Channel("webhook", lambda message, now: post_notice(poster, message, now))


def notice_text(m: NoticeMessage, now: datetime) -> tuple[str, str]:
    """The email's subject and body."""
    minutes = int((now - m.raised_at).total_seconds() // 60)
    if m.phase == "acknowledged" and m.acknowledged_at is not None:
        open_for = int((now - m.acknowledged_at).total_seconds() // 60)
        stage = f"acknowledged by {m.acknowledged_by} {open_for} min ago and not yet resolved"
    else:
        stage = "without acknowledgement"
    subject = f"[Floorboard] {m.priority.upper()} andon: {m.kind} at {m.equipment_code} ({m.equipment_name})"
    body = (f"Andon call {m.call_id} at {m.equipment_code} {m.equipment_name}: {m.kind}, priority {m.priority}.\n"
            f"Raised {m.raised_at:%Y-%m-%d %H:%M} UTC by {m.raised_by} ({m.source}), {minutes} min ago; "
            f"status {m.status}.\n"
            + (f"Fault: {m.fault_code}\n" if m.fault_code else "")
            + (f"Note: {m.note}\n" if m.note else "")
            + f"\nYou are told at escalation level {m.level + 1}: {stage}.\n")
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
        phases = sorted({(n.phase == "acknowledged", n.level) for n in notices if n.status != "skipped"})
        reached = f"{'acknowledged' if phases[-1][0] else 'raised'} {phases[-1][1] + 1}" if phases else ""
        told = tuple(sorted({_told(n) for n in notices if n.status == "sent"}))
        summary[call_id] = CallNotices(reached, told, sum(n.status == "failed" for n in notices))
    return summary


def _told(notice: AndonNotice) -> str:
    # The board is seen by more people than the admins who set the URL, which may hold a secret.
    return f"webhook {webhook_host(notice.recipient)}" if notice.channel == "webhook" else notice.recipient


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


@dataclass(frozen=True)
class NoticeState:
    """One stored notice as the escalation admin page lists it: where its delivery stands."""
    notice_id: int
    created_at: datetime
    call_id: int
    equipment_code: str
    priority: str
    call_status: str
    phase: str
    level: int
    channel: str
    recipient: str
    status: str  # pending | sending | sent | failed | void | skipped (the rules changed after its time)
    attempts: int
    next_attempt_at: datetime | None  # None once nothing more will be tried
    sent_at: datetime | None
    error: str | None


def recent_notices(db: sessionmaker[Session], status: str | None = None, limit: int = 200) -> list[NoticeState]:
    """The latest notices sent by email or webhook (and levels with nobody to tell, or skipped because the
    rules changed after their time), newest first; `status`
    keeps only those in that state ("pending" includes those being sent)."""
    wanted = {None: None, "pending": ("pending", "sending")}.get(status, (status,))
    query = (select(AndonNotice, AndonCall, EquipmentRow).join(AndonCall, AndonCall.id == AndonNotice.call_id)
             .join(EquipmentRow, EquipmentRow.id == AndonCall.equipment_id).where(AndonNotice.channel != "app"))
    if wanted:
        query = query.where(AndonNotice.status.in_(wanted))
    with db() as session:
        rows = session.execute(query.order_by(AndonNotice.created_at.desc(), AndonNotice.id.desc()).limit(limit)).all()
    return [NoticeState(n.id, n.created_at, c.id, e.code, c.priority, c.status, n.phase, n.level, n.channel,
                        n.recipient, n.status, n.attempts,
                        n.next_attempt_at if n.status in ("pending", "sending") else None, n.sent_at, n.error)
            for n, c, e in rows]
