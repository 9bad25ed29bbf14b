from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from core.login_throttle import ThrottlePolicy, retry_after

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)
POLICY = ThrottlePolicy(window=timedelta(minutes=15), max_failures_per_user=5, max_failures_per_address=20)


def minutes_ago(*minutes):
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_four_failures_still_allow_a_fifth_try():
    assert retry_after(minutes_ago(1, 2, 3, 4), [], NOW, POLICY) is None


def test_five_failures_refuse_until_the_oldest_leaves_the_window():
    wait = retry_after(minutes_ago(1, 2, 3, 4, 10), [], NOW, POLICY)
    assert wait == timedelta(minutes=5)


def test_with_more_failures_than_the_limit_enough_must_age_out():
    # six failures: the two oldest (14 and 12 minutes ago) must leave; the second-oldest decides
    wait = retry_after(minutes_ago(1, 2, 3, 4, 12, 14), [], NOW, POLICY)
    assert wait == timedelta(minutes=3)


def test_failures_older_than_the_window_do_not_count():
    assert retry_after(minutes_ago(16, 17, 18, 19, 20, 21), [], NOW, POLICY) is None


def test_an_address_is_limited_across_user_names():
    half_minutes = [i / 2 for i in range(20)]  # 20 failures in the last 9.5 minutes
    assert retry_after([], minutes_ago(*half_minutes[:19]), NOW, POLICY) is None
    assert retry_after([], minutes_ago(*half_minutes), NOW, POLICY) == timedelta(minutes=5.5)


def test_the_longer_of_the_two_waits_applies():
    wait = retry_after(minutes_ago(1, 2, 3, 4, 5), minutes_ago(*([14] * 20)), NOW, POLICY)
    assert wait == timedelta(minutes=10)


@given(st.lists(st.integers(min_value=0, max_value=30 * 60), max_size=40))
def test_refused_exactly_when_the_window_holds_the_limit(seconds_ago):
    failures = [NOW - timedelta(seconds=s) for s in seconds_ago]
    in_window = [f for f in failures if NOW - POLICY.window < f <= NOW]
    wait = retry_after(failures, [], NOW, POLICY)
    assert (wait is not None) == (len(in_window) >= POLICY.max_failures_per_user)
    if wait is not None:
        assert timedelta(0) < wait <= POLICY.window
        # once the wait is over, the attempt is allowed
        assert retry_after(failures, [], NOW + wait, POLICY) is None
