"""When repeated failed logins make Floorboard refuse further attempts for a while.

A pure rule: given the failures already recorded for a user name and for an
address, and `now`, say whether the next attempt is refused and for how long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    max_failures_per_user: int = 5
    # An address (one shared tablet, or one attacker) may try several names.
    max_failures_per_address: int = 20


DEFAULT_POLICY = ThrottlePolicy()


def retry_after(
    user_failures: Sequence[datetime],
    address_failures: Sequence[datetime],
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> timedelta | None:
    """How long the next attempt must wait, or None when it may go ahead.

    `user_failures` are the failures for this user name since its last
    successful login; `address_failures` those from this address. Only those
    inside the policy's window count.
    """
    waits = [
        _wait(user_failures, policy.max_failures_per_user, now, policy.window),
        _wait(address_failures, policy.max_failures_per_address, now, policy.window),
    ]
    longest = max((w for w in waits if w is not None), default=None)
    return longest


def _wait(failures: Sequence[datetime], limit: int, now: datetime, window: timedelta) -> timedelta | None:
    # A failure stamped after `now` is a simultaneous attempt (its clock read a moment later): it counts too
    recent = sorted(at for at in failures if now - window < at)
    if len(recent) < limit:
        return None
    # Refused until enough of the counted failures have aged out of the window.
    oldest_that_must_expire = recent[len(recent) - limit]
    return oldest_that_must_expire + window - now
