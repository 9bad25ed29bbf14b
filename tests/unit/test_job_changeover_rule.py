"""The rule for what a PLC reading is stored as while a job's changeover is open (core.job_workflow.changeover)."""

import pytest

from core.job_workflow.changeover import held_state


@pytest.mark.parametrize("state, fault, stored, still_open", [
    ("idle", None, "changeover", True),  # a PLC without a changeover tag, during setup
    ("down", None, "changeover", True),  # stopped, no fault: setup
    ("changeover", None, "changeover", True),  # a changeover tag
    ("running", None, "running", False),
    ("down", "F-JAM", "down", False),  # a fault is a breakdown, not setup
    ("no_data", None, "no_data", True),  # silence is stored as silence; the setup resumes when the PLC answers
    ("planned_stop", None, "planned_stop", True),  # a break: the setup resumes after it
])
def test_while_a_jobs_changeover_is_open(state, fault, stored, still_open):
    assert held_state(state, fault, True) == (stored, still_open)


@pytest.mark.parametrize("state, fault", [("idle", None), ("down", None), ("running", None), ("down", "F-JAM"),
                                          ("no_data", None), ("changeover", None)])
def test_without_an_open_changeover_every_reading_is_stored_as_it_is(state, fault):
    assert held_state(state, fault, False) == (state, False)
