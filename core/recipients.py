"""Who a name in a notify or recipients list stands for: a role (its active users), a user name, or an email
address. One reading for andon escalations and report schedules alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from core.permissions import ROLES


class Person(Protocol):
    """An active user as recipient resolution needs them (a User row will do)."""

    username: str
    role: str
    email: str | None


@dataclass(frozen=True)
class Named:
    people: tuple  # the users the name stands for (none for a bare address)
    addresses: tuple[str, ...]  # lower-case, those users' addresses or the address itself
    problems: tuple[str, ...]  # in words: nobody holds the role, a user without an address, an unknown name


def who_is(name: str, people: Iterable[Person]) -> Named:
    """What `name` stands for among the active `people`."""
    people = list(people)
    if "@" in name:
        return Named((), (name.strip().lower(),), ())
    if name in ROLES:
        targets = [p for p in people if p.role == name]
        if not targets:
            return Named((), (), (f"no active user has the role {name}",))
    else:
        targets = [p for p in people if p.username == name]
        if not targets:
            return Named((), (), (f"{name!r} is neither a role, a user nor an email address",))
    return Named(tuple(targets), tuple(p.email.strip().lower() for p in targets if p.email),
                 tuple(f"{p.username} has no email address" for p in targets if not p.email))
