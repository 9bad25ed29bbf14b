"""Logging in and out: password check with throttling, and the token that ties a cookie to a live session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import new_session_token, normalise_username
from core.clock import utc_now
from core.login_throttle import DEFAULT_POLICY, ThrottlePolicy, retry_after
from core.passwords import burn_verification_time, verify_password
from core.permissions import ROLES
from core.persistence.account_tables import AuditEntry, LoginAttempt, User


@dataclass(frozen=True)
class SessionUser:
    """The logged-in user as the web layer sees it; `session_id` goes into the cookie."""

    user_id: int
    username: str
    display_name: str
    role: str
    session_token: str

    @property
    def session_id(self) -> str:
        return f"{self.user_id}:{self.session_token}"

    @property
    def permissions(self) -> frozenset[str]:
        return ROLES.get(self.role, frozenset())


@dataclass(frozen=True)
class LoginOutcome:
    user: SessionUser | None = None
    retry_after: timedelta | None = None  # set when refused for too many failures


def log_in(
    db: sessionmaker[Session], username: str, password: str, address: str,
    now: datetime | None = None, policy: ThrottlePolicy = DEFAULT_POLICY,
) -> LoginOutcome:
    """Check the password unless recent failures throttle this user name or address.

    The attempt is stored (as pending) before the failures are counted, so
    attempts made at the same moment see each other and cannot all slip
    under the limit.
    """
    now = now or utc_now()
    username = normalise_username(username)[:64]
    address = address[:64]
    with db.begin() as session:
        attempt = LoginAttempt(at=now, username=username, address=address, outcome="pending")
        session.add(attempt)
    with db.begin() as session:
        wait = retry_after(
            _failures_for_user(session, username, now, policy, attempt.id),
            _failures_for_address(session, address, now, policy, attempt.id), now, policy,
        )
        if wait is not None:
            session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))  # refused tries don't count
            if not _throttle_recorded(session, username, now, policy):
                audit.record(session, username or "anonymous", "login.throttled", username, None, address, now)
            return LoginOutcome(retry_after=wait)
    with db.begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        # Always one argon2 verification: a known, unknown or inactive name take the same time.
        ok = verify_password(user.password_hash, password) if user else burn_verification_time(password)
        ok = bool(ok) and user is not None and user.active
        session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt.id)
                        .values(outcome="succeeded" if ok else "failed"))
        _prune(session, username, address, now)
        if not ok:
            audit.record(session, username or "anonymous", "login.failed", username, None, address, now)
            return LoginOutcome()
        user.last_login_at = now
        audit.record(session, username, "login", username, None, address, now)
        return LoginOutcome(user=_session_user(user))


def load_session_user(db: sessionmaker[Session], session_id: str) -> SessionUser | None:
    """The user a cookie's session id stands for, or None when it is stale, revoked or inactive."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    with db() as session:
        user = session.get(User, int(user_id))
        if user is None or not user.active or user.session_token != token:
            return None
        return _session_user(user)


def log_out(db: sessionmaker[Session], session_id: str, address: str = "") -> None:
    """End the session: every copy of its cookie stops working."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return
    with db.begin() as session:
        user = session.get(User, int(user_id))
        if user is None or user.session_token != token:
            return
        user.session_token = new_session_token()
        audit.record(session, user.username, "logout", user.username, None, address)


_NOT_SUCCEEDED = ("pending", "failed")
KEEP_ATTEMPTS = timedelta(days=1)


def _failures_for_user(session: Session, username: str, now: datetime, policy: ThrottlePolicy,
                       own_id: int) -> list[datetime]:
    since = now - policy.window
    last_success = session.scalar(
        select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.outcome == "succeeded",
                                      LoginAttempt.at >= since).order_by(LoginAttempt.at.desc()).limit(1)
    )
    if last_success is not None:
        since = last_success
    return list(session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.outcome.in_(_NOT_SUCCEEDED),
                                      LoginAttempt.at > since, LoginAttempt.id != own_id)
    ))


def _failures_for_address(session: Session, address: str, now: datetime, policy: ThrottlePolicy,
                          own_id: int) -> list[datetime]:
    return list(session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.address == address, LoginAttempt.outcome.in_(_NOT_SUCCEEDED),
                                      LoginAttempt.at > now - policy.window, LoginAttempt.id != own_id)
    ))


def _throttle_recorded(session: Session, username: str, now: datetime, policy: ThrottlePolicy) -> bool:
    """Whether this name's throttling is already in the audit log for the current window (once is enough)."""
    return session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "login.throttled", AuditEntry.target == username,
                                    AuditEntry.at > now - policy.window).limit(1)
    ) is not None


def _prune(session: Session, username: str, address: str, now: datetime) -> None:
    old = LoginAttempt.at < now - KEEP_ATTEMPTS
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username, old))
    session.execute(delete(LoginAttempt).where(LoginAttempt.address == address, old))


def _session_user(user: User) -> SessionUser:
    return SessionUser(user.id, user.username, user.display_name, user.role, user.session_token)
