"""Callbacks of the report schedules admin page: load the schedules with their last runs, add and remove rows,
save (checked by the plant file's rules, audited), and list the recent runs of scheduled reports."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from callbacks.report_schedule_presenter import run_rows, schedule_columns, schedule_rows, schedules_from_rows
from core.clock import utc_now
from core.plant.equipment import lines, site_calendar
from core.reports.schedule_history import last_runs, recent_scheduled_runs
from core.reports.schedule_settings import ReportSchedulesError, report_schedules, save_report_schedules
from callbacks.editable_grid import refused, register_row_editing
from dashapp.actor import current_actor
from pages.ids import AdminReports as ids

PERMISSION = "reports.schedule"
NEW_SCHEDULE = {"name": "", "type": "daily", "line": "", "sections": "", "lines": "", "cron": "0 7 * * *",
                "recipients": "",
                "last_run": "not saved yet", "last_status": "", "last_error": ""}


def register(guard, services) -> None:
    db = services.db

    def zone() -> ZoneInfo:
        calendar = site_calendar(db)
        return calendar.zone if calendar else ZoneInfo("UTC")

    def rows() -> list[dict]:
        return schedule_rows(report_schedules(db), last_runs(db), zone())

    @guard.callback(Output(ids.GRID, "rowData"), Output(ids.GRID, "columnDefs"), Input(ids.RELOAD, "n_clicks"),
                    permission=PERMISSION)
    def load_schedules(_clicks):
        return rows(), schedule_columns([line.code for line in lines(db)], zone().key)

    register_row_editing(guard, ids.GRID, ids.ADD, ids.REMOVE, NEW_SCHEDULE, PERMISSION)

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.GRID, "rowData", allow_duplicate=True),
                    Input(ids.SAVE, "n_clicks"), State(ids.GRID, "rowData"), prevent_initial_call=True,
                    permission=PERMISSION)
    def save_schedules(clicks, rows_now):
        if not clicks or rows_now is None:
            raise PreventUpdate
        try:
            changed = save_report_schedules(db, schedules_from_rows(rows_now), current_actor(), utc_now())
        except ReportSchedulesError as exc:
            return refused(exc.problems), no_update
        text = "Saved; the jobs process makes reports by these schedules from its next check." if changed \
            else "No changes."
        return dbc.Alert(text, color="success", dismissable=True), rows()

    @guard.callback(Output(ids.RUNS, "rowData"), Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def list_runs(_tick):
        return run_rows(recent_scheduled_runs(db), zone())
