"""User accounts: the admin's use cases (create, change role, reset password, deactivate).

Each use case runs in one transaction and writes its audit row in it, so a
change is never stored without the record of who made it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.clock import utc_now
from core.passwords import check_strength, hash_password
from core.permissions import ROLE_DESCRIPTIONS, ROLES, check_role
from core.persistence.account_tables import Role, User

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class Actor:
    """Who asks for a change, and from where (for the audit log)."""

    username: str
    address: str = ""


SYSTEM = Actor("system")


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    email: str | None = None


def normalise_username(username: str) -> str:
    """User names compare without case or surrounding spaces, on every database alike."""
    return username.strip().lower()


def new_session_token() -> str:
    return secrets.token_hex(16)


def sync_roles(session: Session) -> None:
    """Make the roles table hold exactly the roles defined in core.permissions."""
    stored = {role.name: role for role in session.scalars(select(Role))}
    for name in ROLES:
        if name in stored:
            stored[name].description = ROLE_DESCRIPTIONS[name]
        else:
            session.add(Role(name=name, description=ROLE_DESCRIPTIONS[name]))


def create_user(
    db: sessionmaker[Session], username: str, role: str, password: str, actor: Actor = SYSTEM,
    display_name: str = "", now: datetime | None = None, email: str | None = None,
) -> UserView:
    username = normalise_username(username)
    email = check_email(email)
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "user name must be 2-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    try:
        check_role(role)
        check_strength(password, username)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    with db.begin() as session:
        if _find(session, username) is not None:
            raise AccountError(f"user {username!r} already exists")
        user = User(
            username=username, display_name=display_name.strip() or username, role=role,
            password_hash=hash_password(password), active=True, session_token=new_session_token(),
            created_at=now or utc_now(), email=email,
        )
        session.add(user)
        audit.record(session, actor.username, "user.create", username, {"role": role}, actor.address, now)
        return _view(user)


def check_email(email: str | None) -> str | None:
    """A plausible address (name@domain), trimmed, or None when none is given."""
    email = (email or "").strip().lower()
    if not email:
        return None
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise AccountError(f"{email!r} is not an email address (name@example.com)")
    return email


def change_role(db: sessionmaker[Session], username: str, role: str, actor: Actor = SYSTEM) -> UserView:
    try:
        check_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    with db.begin() as session:
        user = _get(session, username)
        if user.role == role:
            return _view(user)
        if user.role == "admin" and user.active:
            _refuse_if_last_admin(session, user, "change the role of")
        audit.record(session, actor.username, "user.role", username, {"from": user.role, "to": role}, actor.address)
        user.role = role
        return _view(user)


def reset_password(db: sessionmaker[Session], username: str, password: str, actor: Actor = SYSTEM) -> None:
    """Set a new password and end every open session of the user."""
    try:
        check_strength(password, username)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    with db.begin() as session:
        user = _get(session, username)
        user.password_hash = hash_password(password)
        user.session_token = new_session_token()
        audit.record(session, actor.username, "user.password", username, None, actor.address)


def change_email(db: sessionmaker[Session], username: str, email: str | None, actor: Actor = SYSTEM) -> UserView:
    """Give a user another address for andon escalations and reports (None: none)."""
    email = check_email(email)
    with db.begin() as session:
        user = _get(session, username)
        before, user.email = user.email, email
        audit.record(session, actor.username, "user.email", username, {"before": before, "after": email},
                     actor.address)
        return _view(user)


def set_active(db: sessionmaker[Session], username: str, active: bool, actor: Actor = SYSTEM) -> UserView:
    """Deactivate (ending open sessions at their next request) or reactivate a user."""
    with db.begin() as session:
        user = _get(session, username)
        if user.active == active:
            return _view(user)
        if not active:
            if user.username == actor.username:
                raise AccountError("you cannot deactivate yourself")
            if user.role == "admin":
                _refuse_if_last_admin(session, user, "deactivate")
            user.session_token = new_session_token()
        user.active = active
        audit.record(session, actor.username, "user.activate" if active else "user.deactivate", username,
                     None, actor.address)
        return _view(user)


def list_users(db: sessionmaker[Session]) -> list[UserView]:
    with db() as session:
        return [_view(user) for user in session.scalars(select(User).order_by(User.username))]


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalise_username(username)))


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def _refuse_if_last_admin(session: Session, user: User, verb: str) -> None:
    admins = session.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active))
    if admins <= 1:
        raise AccountError(f"cannot {verb} {user.username!r}: it is the last active admin")


def _view(user: User) -> UserView:
    return UserView(user.username, user.display_name, user.role, user.active, user.created_at, user.last_login_at,
                    user.email)
