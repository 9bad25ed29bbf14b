"""Callbacks of the managers' checklist compliance page: rows by line and shift for the chosen days."""

from __future__ import annotations

from datetime import date, timedelta

import dash_bootstrap_components as dbc
from dash import Input, Output

from core.checklists.compliance import ComplianceRow, checklist_compliance
from core.clock import utc_now
from core.plant.equipment import lines, site_calendar
from pages.ids import ChecklistCompliance as ids

PERMISSION = "checklists.review"
DEFAULT_DAYS = 7


def grid_rows(rows: list[ComplianceRow]) -> list[dict]:
    return [{"key": f"{r.line_code}|{r.day}|{r.shift}", "day": r.day.isoformat(), "shift": r.shift or "outside shifts",
             "line": f"{r.line_code} · {r.line_name}", "required": r.required, "completed": r.completed,
             "passed": r.passed, "compliance": r.compliance, "completions": r.completions, "failed": r.failed}
            for r in rows]


def summary(rows: list[ComplianceRow]):
    required = sum(r.required for r in rows)
    if not required:
        return "No checklist was required in these days."
    passed, completed = sum(r.passed for r in rows), sum(r.completed for r in rows)
    return (f"{passed} of {required} required machine checklists passed ({passed / required:.0%}); "
            f"{completed} completed; {sum(r.failed for r in rows)} failed completions.")


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.LINE, "options"), Output(ids.DATES, "start_date"), Output(ids.DATES, "end_date"),
                    Input(ids.LINE, "id"), permission=PERMISSION)
    def choices(_id):
        calendar = site_calendar(db)
        today = utc_now().astimezone(calendar.zone).date() if calendar else utc_now().date()
        return ([{"label": f"{line.code} · {line.name}", "value": line.code} for line in lines(db)],
                (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(), today.isoformat())

    @guard.callback(Output(ids.GRID, "rowData"), Output(ids.SUMMARY, "children"),
                    Input(ids.DATES, "start_date"), Input(ids.DATES, "end_date"), Input(ids.LINE, "value"),
                    permission=PERMISSION)
    def compliance(start, end, line):
        if not start or not end:
            return [], "Choose the days."
        try:
            rows = checklist_compliance(db, date.fromisoformat(start[:10]), date.fromisoformat(end[:10]),
                                        utc_now(), line_code=line or None)
        except ValueError as exc:
            return [], dbc.Alert(str(exc), color="warning")
        return grid_rows(rows), summary(rows)
