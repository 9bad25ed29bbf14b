"""Which window a report covers, from what a person asks for (type, date, shift, last day), in the site's time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.oee.service import OeeRequestError, Window, local_day_window, shift_window
from core.plant.equipment import SiteCalendar

REPORT_TYPES = ("shift", "daily", "weekly", "downtime", "custom")
WEEK = 7
MAX_DAYS = 92  # as the checklist compliance: a quarter at most


class ReportRequestError(ValueError):
    """A report that cannot be built as asked; the message says what to give instead, in one line."""


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    day: date
    line: str | None = None
    shift: str | None = None
    last_day: date | None = None
    sections: tuple[str, ...] = ()  # custom only: keys of core.reports.section_catalog.SECTIONS
    lines: tuple[str, ...] = ()  # custom only: line codes; none is the whole plant


def report_window(calendar: SiteCalendar | None, request: ReportRequest) -> Window:
    """The report's window with a label in the site's timezone; ReportRequestError for a request that does not
    make sense (a shift report without its shift, a last day before the first)."""
    if request.kind not in REPORT_TYPES:
        raise ReportRequestError(f"unknown report type {request.kind!r}; types are {', '.join(REPORT_TYPES)}")
    if calendar is None:
        raise ReportRequestError("no plant is loaded: run `floorboard plant load FILE` first")
    if request.kind == "shift":
        return _shift(calendar, request)
    if request.shift:
        raise ReportRequestError(f"--shift is for shift reports only, not {request.kind}")
    if request.kind == "custom":
        if not request.sections:
            raise ReportRequestError("a custom report needs --sections (e.g. oee,losses,pareto)")
        if request.line:
            raise ReportRequestError("a custom report takes --lines L1,L2, not --line")
    elif request.sections or request.lines:
        raise ReportRequestError(f"--sections and --lines are for custom reports only, not {request.kind}")
    last = request.last_day or (request.day + timedelta(days=WEEK - 1) if request.kind == "weekly" else request.day)
    if last < request.day:
        raise ReportRequestError(f"--to {last.isoformat()} is before --date {request.day.isoformat()}")
    if (last - request.day).days >= MAX_DAYS:
        raise ReportRequestError(f"a report covers at most {MAX_DAYS} days")
    window = local_day_window(calendar, request.day, last)
    return Window(window.start, window.end, days_label(request.day, last))


def _shift(calendar: SiteCalendar, request: ReportRequest) -> Window:
    if not request.line:
        raise ReportRequestError("a shift report is about one line: give --line CODE")
    if not request.shift:
        known = ", ".join(s.name for s in calendar.shifts) or "none"
        raise ReportRequestError(f"a shift report needs --shift NAME (shifts: {known})")
    if request.last_day is not None:
        raise ReportRequestError("a shift report covers one shift: leave out --to")
    try:
        window = shift_window(calendar, request.day, request.shift)
    except OeeRequestError as exc:
        raise ReportRequestError(str(exc).split(": ", 1)[1]) from exc
    start, end = (moment.astimezone(calendar.zone) for moment in (window.start, window.end))
    label = (f"{request.shift} shift of {_day(request.day)}, "
             f"{_clock(start)} to {_clock(end)}{' next day' if end.date() != start.date() else ''}")
    return Window(window.start, window.end, label)


def days_label(first: date, last: date) -> str:
    return _day(first) if first == last else f"{_day(first)} to {_day(last)}"


def _day(day: date) -> str:
    return day.strftime("%a %d %b %Y")


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M %Z")  # the zone's abbreviation shows a DST change inside the shift
