"""Build a report: check what was asked, find its window, and fill it from the OEE service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.oee.service import Window
from core.plant.equipment import lines, site_calendar
from core.reports.custom_report import custom_report
from core.reports.downtime_report import downtime_report
from core.reports.model import Report
from core.reports.plant_reports import daily_report, weekly_report
from core.reports.section_catalog import SECTIONS, unknown_sections
from core.reports.shift_report import shift_report
from core.reports.windows import ReportRequest, ReportRequestError, report_window

BUILDERS = {"shift": shift_report, "daily": daily_report, "weekly": weekly_report, "downtime": downtime_report,
            "custom": custom_report}


def build_report(db: sessionmaker[Session], request: ReportRequest, now: datetime) -> Report:
    """The report asked for, as of `now` (time after it counts nowhere); ReportRequestError names what is wrong."""
    return BUILDERS[request.kind](db, request, checked_window(db, request), now)


def checked_window(db: sessionmaker[Session], request: ReportRequest) -> Window:
    """The request's window once its lines and sections are known ones; ReportRequestError, in one line, if not."""
    window = report_window(site_calendar(db), request)
    asked = ([request.line] if request.line is not None else []) + list(request.lines)
    if asked:
        known = [line.code for line in lines(db)]
        if unknown := [code for code in asked if code not in known]:
            raise ReportRequestError(f"unknown line {unknown[0]!r} (lines: {', '.join(known) or 'none'})")
    if unknown := unknown_sections(request.sections):
        raise ReportRequestError(f"unknown section {unknown[0]!r} (sections: {', '.join(SECTIONS)})")
    return window
