"""The custom report: the sections asked for, of the lines asked for (none: the whole plant), over whole days."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.oee.service import Window
from core.reports.envelope import scope_label, wrap
from core.reports.model import Report
from core.reports.section_catalog import SECTIONS, SectionInputs
from core.reports.windows import ReportRequest


def custom_report(db: sessionmaker[Session], request: ReportRequest, window: Window, now: datetime) -> Report:
    inputs = SectionInputs(db, request, window, now)
    chosen = [key for key in SECTIONS if key in request.sections]  # the catalog's order, each once
    sections = [SECTIONS[key][1](inputs) for key in chosen]
    title = "Custom report" + (f", lines {', '.join(request.lines)}" if len(request.lines) > 1 else
                               f", line {request.lines[0]}" if request.lines else "")
    report = wrap(db, inputs.source.calendar, "custom", title, request.lines[0] if len(request.lines) == 1 else None,
                  window, now,
                  [m.id for m in inputs.source.machines], sections)
    if len(request.lines) > 1:  # wrap names one line or the plant
        report = replace(report, scope=", ".join(scope_label(db, code) for code in request.lines))
    return report
