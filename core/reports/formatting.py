"""Values as a person reads them on paper: 61.4 %, 1,234, 12.5 min, USD 1,250."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def shown(value, kind: str, currency: str = "") -> str:
    """The value in its kind's words; an undefined value (None) is a dash, never 0."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if kind == "percent":
        return f"{value * 100:.1f} %"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "minutes":
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    if kind == "money":
        return f"{currency} {value:,.2f}".strip() if abs(value) < 100 else f"{currency} {value:,.0f}".strip()
    if kind == "number":
        return f"{value:,.1f}"
    return str(value)


def local_stamp(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z") if moment else "no readings"
