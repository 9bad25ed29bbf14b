"""Which line an operator's board shows: chosen once, remembered per user."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.account_tables import User


def remembered_line(db: sessionmaker[Session], username: str) -> str | None:
    with db() as session:
        return session.scalar(select(User.board_line_code).where(User.username == username))


def remember_line(db: sessionmaker[Session], username: str, line_code: str) -> None:
    with db.begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is not None and user.board_line_code != line_code:
            user.board_line_code = line_code
