"""Demo accounts: one user per role, with fresh passwords on every demo start and an address each."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from core.accounts import AccountError, change_email, create_user, reset_password
from core.passwords import generate_password
from core.permissions import ROLES

DEMO_MAIL_DOMAIN = "floorboard.test"  # a reserved name (RFC 2606): the demo's mail never leaves its outbox


def ensure_demo_users(db: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    """Create or reset the demo users; return (username, role, password) for each."""
    credentials = []
    for role in ROLES:
        username = role.replace("_", ".")
        password = generate_password()
        email = f"{username}@{DEMO_MAIL_DOMAIN}"
        try:
            create_user(db, username, role, password, display_name=f"Demo {role.replace('_', ' ')}", email=email)
        except AccountError:
            reset_password(db, username, password)
            change_email(db, username, email)
        credentials.append((username, role, password))
    return credentials
