"""The one source of `now` for use cases that are not handed one."""

from datetime import datetime, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A time the store gave back naive (an aggregate such as MIN() skips the UTCDateTime column type) is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
