"""A use case the database picked as a deadlock's victim runs again; any other error is raised at once."""

import pytest
from sqlalchemy.exc import OperationalError

from core.persistence.deadlocks import ATTEMPTS, retried_on_deadlock


class DriverError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(code, message)


def failing(codes: list[int]):
    calls = []

    @retried_on_deadlock
    def use_case():
        calls.append(1)
        if len(calls) <= len(codes):
            raise OperationalError("UPDATE jobs", {}, DriverError(codes[len(calls) - 1], "boom"))
        return "done"

    return use_case, calls


def test_a_deadlock_victim_runs_again_and_answers():
    use_case, calls = failing([1213, 1213])
    assert use_case() == "done" and len(calls) == 3


def test_a_deadlock_every_time_is_raised_after_the_last_attempt():
    use_case, calls = failing([1213] * ATTEMPTS)
    with pytest.raises(OperationalError):
        use_case()
    assert len(calls) == ATTEMPTS


def test_another_error_is_raised_at_once():
    use_case, calls = failing([2013])  # lost connection: not for a retry here
    with pytest.raises(OperationalError):
        use_case()
    assert len(calls) == 1
