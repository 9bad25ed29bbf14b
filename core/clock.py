"""The one source of `now` for use cases that are not handed one."""

from datetime import datetime, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
