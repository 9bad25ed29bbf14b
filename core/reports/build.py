"""Build a report: check what was asked, find its window, and fill it from the OEE service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.plant.equipment import lines, site_calendar
from core.reports.downtime_report import downtime_report
from core.reports.model import Report
from core.reports.plant_reports import daily_report, weekly_report
from core.reports.shift_report import shift_report
from core.reports.windows import ReportRequest, ReportRequestError, report_window

BUILDERS = {"shift": shift_report, "daily": daily_report, "weekly": weekly_report, "downtime": downtime_report}


def build_report(db: sessionmaker[Session], request: ReportRequest, now: datetime) -> Report:
    """The report asked for, as of `now` (time after it counts nowhere); ReportRequestError names what is wrong."""
    calendar = site_calendar(db)
    window = report_window(calendar, request)
    if request.line is not None:
        known = [line.code for line in lines(db)]
        if request.line not in known:
            raise ReportRequestError(f"unknown line {request.line!r} (lines: {', '.join(known) or 'none'})")
    return BUILDERS[request.kind](db, request, window, now)
