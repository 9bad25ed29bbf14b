"""The andon call lifecycle: open -> acknowledged -> resolved, and nothing else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.andon_calls import STATUSES, TRANSITIONS, AndonError, AndonStateError, next_status


def test_the_legal_moves():
    assert next_status("open", "acknowledge") == "acknowledged"
    assert next_status("acknowledged", "resolve") == "resolved"
    assert next_status("open", "resolve") == "resolved"  # fixed before anyone acknowledged it


@pytest.mark.parametrize("current, action", [("acknowledged", "acknowledge"), ("resolved", "acknowledge"),
                                             ("resolved", "resolve")])
def test_illegal_moves_are_refused_in_words(current, action):
    with pytest.raises(AndonStateError, match=f"a call that is {current} cannot be"):
        next_status(current, action)


def test_an_unknown_action_is_refused():
    with pytest.raises(AndonError, match="unknown action"):
        next_status("open", "escalate")


@given(st.lists(st.sampled_from(sorted(TRANSITIONS) + ["reopen"]), max_size=20))
def test_random_sequences_never_reach_an_illegal_state(actions):
    status, seen = "open", ["open"]
    for action in actions:
        try:
            status = next_status(status, action)
        except AndonError:
            continue
        seen.append(status)
    assert all(s in STATUSES for s in seen)
    assert seen == sorted(seen, key=STATUSES.index)  # never backwards
    assert seen.count("resolved") <= 1
