"""Doing a transaction again when the database chose it as a deadlock's victim.

InnoDB breaks a deadlock by rolling one transaction back (error 1213) and expects it to be tried again;
PostgreSQL does the same with SQLSTATE 40P01. Two tablets moving the same job at once can meet so. The whole
use case runs again, so it reads the state the winner left and answers from that.
"""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

from sqlalchemy.exc import OperationalError

ATTEMPTS = 3
T = TypeVar("T")


def is_deadlock(error: OperationalError) -> bool:
    reason = error.orig
    code = reason.args[0] if getattr(reason, "args", None) else None
    return code == 1213 or getattr(reason, "sqlstate", None) == "40P01"


def retried_on_deadlock(use_case: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(use_case)
    def attempt(*args, **kwargs) -> T:
        for tries_left in range(ATTEMPTS - 1, -1, -1):
            try:
                return use_case(*args, **kwargs)
            except OperationalError as error:
                if not tries_left or not is_deadlock(error):
                    raise
        raise AssertionError("unreachable")

    return attempt
