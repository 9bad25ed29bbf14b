"""Demo accounts: one user per role, with fresh passwords on every demo start."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from core.accounts import AccountError, create_user, reset_password
from core.passwords import generate_password
from core.permissions import ROLES


def ensure_demo_users(db: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    """Create or reset the demo users; return (username, role, password) for each."""
    credentials = []
    for role in ROLES:
        username = role.replace("_", ".")
        password = generate_password()
        try:
            create_user(db, username, role, password, display_name=f"Demo {role.replace('_', ' ')}")
        except AccountError:
            reset_password(db, username, password)
        credentials.append((username, role, password))
    return credentials
