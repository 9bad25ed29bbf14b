"""The job lifecycle: assigned -> accepted -> in_progress -> completed | cancelled, and nothing else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.job_workflow.lifecycle import (
    OPEN_STATUSES, STATUSES, TERMINAL, TRANSITIONS, JobError, JobStateError, next_status,
)


def test_the_legal_moves():
    assert next_status("assigned", "accept") == "accepted"
    assert next_status("accepted", "start") == "in_progress"
    assert next_status("in_progress", "complete") == "completed"
    assert [next_status(s, "cancel") for s in OPEN_STATUSES] == ["cancelled"] * 3


@pytest.mark.parametrize("current, action, message", [
    ("assigned", "complete", "a job that is assigned cannot be completed; accept and start it first"),
    ("assigned", "start", "a job that is assigned cannot be started; accept it first"),
    ("accepted", "complete", "a job that is accepted cannot be completed; start it first"),
    ("accepted", "accept", "a job that is accepted cannot be accepted again; it is already accepted"),
    ("in_progress", "start", "a job that is in progress cannot be started again"),
    ("completed", "cancel", "a job that is completed cannot be cancelled; it is finished"),
    ("cancelled", "start", "a job that is cancelled cannot be started; it is finished"),
])
def test_illegal_moves_are_refused_in_words(current, action, message):
    with pytest.raises(JobStateError) as refused:
        next_status(current, action)
    assert str(refused.value).startswith(message)


def test_unknown_actions_and_statuses_are_refused():
    with pytest.raises(JobError, match="unknown action 'pause'"):
        next_status("accepted", "pause")
    with pytest.raises(JobError, match="unknown status"):
        next_status("lost", "accept")


@given(st.lists(st.sampled_from(sorted(TRANSITIONS) + ["reopen"]), max_size=25))
def test_random_sequences_never_reach_an_illegal_state(actions):
    status, seen = "assigned", ["assigned"]
    for action in actions:
        try:
            status = next_status(status, action)
        except JobError:
            continue
        seen.append(status)
    assert all(s in STATUSES for s in seen)
    forward = [s for s in seen if s != "cancelled"]
    assert forward == sorted(forward, key=STATUSES.index) and len(set(forward)) == len(forward)  # never back
    assert sum(s in TERMINAL for s in seen) <= 1  # at most one end, and it is the last status seen
    assert all(s not in TERMINAL for s in seen[:-1])


@given(st.sampled_from(TERMINAL), st.lists(st.sampled_from(sorted(TRANSITIONS)), min_size=1, max_size=10))
def test_terminal_states_stay_terminal(end, actions):
    for action in actions:
        with pytest.raises(JobStateError, match="it is finished"):
            next_status(end, action)
