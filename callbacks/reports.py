"""Callbacks of the reports page: choices, build and download now, the reports built so far."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from core.clock import utc_now
from core.plant.equipment import lines, site_calendar
from core.reports.build import build_report
from core.reports.render import renderer_for
from core.reports.report_runs import RunFileMissing, RunState, build_and_store, list_runs, run_file
from core.reports.report_sharing import ReportShareError, email_report, recipient_names
from core.reports.schedule_rules import file_stem
from core.reports.section_catalog import SECTIONS
from core.reports.windows import ReportRequest, ReportRequestError
from dashapp.actor import current_actor
from pages.ids import Reports as ids

PERMISSION = "reports.view"
FORMATS = {ids.PDF: ".pdf", ids.XLSX: ".xlsx", ids.CSV: ".csv"}
HISTORY_LIMIT = 200


def history_rows(runs: list[RunState], zone) -> list[dict]:
    def local(moment):
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [{"key": str(r.id), "id": r.id, "created": local(r.created_at),
             "source": r.schedule_name or r.requested_by, "kind": r.kind, "line": r.line_code or "plant",
             "window": f"{local(r.window_start)} to {local(r.window_end)}", "status": r.status,
             "size": (f"{r.size_bytes / 1024:.0f} kB" if r.file_name else "file pruned") if r.size_bytes else "",
             "to": ", ".join(r.recipients), "error": r.error or "", "file": bool(r.file_name)}
            for r in runs]


def request_from(kind: str, line: str | None, day: str | None, shift: str | None, last_day: str | None,
                 sections: list[str] | None = None, line_codes: list[str] | None = None):
    if not day:
        raise ReportRequestError("choose the day the report is about")
    custom = kind == "custom"
    if custom and not sections:
        raise ReportRequestError("choose the sections the custom report holds")
    return ReportRequest(kind, date.fromisoformat(day), None if custom else line or None,
                         shift if kind == "shift" else None,
                         date.fromisoformat(last_day) if last_day and kind != "shift" else None,
                         sections=tuple(sections or ()) if custom else (),
                         lines=tuple(line_codes or ()) if custom else ())


def register(guard, services) -> None:
    db, home = services.db, Path(services.settings.home)

    @guard.callback(Output(ids.LINE, "options"), Output(ids.SHIFT, "options"), Output(ids.SHIFT, "value"),
                    Output(ids.DAY, "date"), Output(ids.LINES, "options"), Output(ids.SECTIONS, "options"),
                    Input(ids.KIND, "id"), permission=PERMISSION)
    def offer_choices(_id):
        calendar = site_calendar(db)
        yesterday = (utc_now().astimezone(calendar.zone).date() if calendar else utc_now().date()) - timedelta(days=1)
        shifts = [s.name for s in calendar.shifts] if calendar else []
        line_options = [{"label": "Whole plant", "value": ""}] + [
            {"label": f"{line.code} · {line.name}", "value": line.code} for line in lines(db)]
        return (line_options, [{"label": name, "value": name} for name in shifts], shifts[0] if shifts else None,
                yesterday.isoformat(), line_options[1:],
                [{"label": title, "value": key} for key, (title, _) in SECTIONS.items()])

    @guard.callback(Output(ids.SHIFT_FIELD, "style"), Output(ids.LAST_DAY_FIELD, "style"),
                    Output(ids.CUSTOM_FIELDS, "style"), Output(ids.LINE, "disabled"),
                    Input(ids.KIND, "value"), permission=PERMISSION)
    def fit_fields(kind):
        hidden = {"display": "none"}
        if kind == "custom":  # its lines are chosen in the multi-select
            return hidden, None, None, True
        return (None, hidden, hidden, False) if kind == "shift" else (hidden, None, hidden, False)

    @guard.callback(Output(ids.DOWNLOAD, "data"), Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"),
                    Input(ids.PDF, "n_clicks"), Input(ids.XLSX, "n_clicks"), Input(ids.CSV, "n_clicks"),
                    State(ids.KIND, "value"), State(ids.LINE, "value"), State(ids.DAY, "date"),
                    State(ids.SHIFT, "value"), State(ids.LAST_DAY, "date"), State(ids.SECTIONS, "value"),
                    State(ids.LINES, "value"), State(ids.REFRESH, "data"),
                    prevent_initial_call=True, permission=PERMISSION)
    def build_now(_pdf, _xlsx, _csv, kind, line, day, shift, last_day, sections, line_codes, refresh):
        suffix = FORMATS.get(ctx.triggered_id)
        if suffix is None:
            return no_update, no_update, no_update
        now = utc_now()
        try:
            request = request_from(kind, line, day, shift, last_day, sections, line_codes)
            if suffix == ".pdf":  # kept, and listed below with the scheduled ones
                run = build_and_store(db, home, request, current_actor().username, now)
                if run.status == "failed":
                    return no_update, dbc.Alert(f"The report could not be built: {run.error}", color="danger"), \
                        (refresh or 0) + 1
                data = run_file(db, home, run.id).read_bytes()
            else:
                data = renderer_for(Path(f"report{suffix}"))(build_report(db, request, now))
        except (ReportRequestError, RunFileMissing) as refused:
            return no_update, dbc.Alert(str(refused), color="warning"), no_update
        name = f"{file_stem(request.kind, request.line, request.day)}{suffix}"
        return dcc.send_bytes(data, name), dbc.Alert(f"{name} built.", color="success", duration=5000), \
            (refresh or 0) + 1

    @guard.callback(Output(ids.HISTORY, "rowData"), Input(ids.REFRESH, "data"), permission=PERMISSION)
    def show_history(_refresh):
        calendar = site_calendar(db)
        return history_rows(list_runs(db, HISTORY_LIMIT), calendar.zone if calendar else None)

    @guard.callback(Output(ids.DOWNLOAD, "data", allow_duplicate=True),
                    Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Input(ids.HISTORY_DOWNLOAD, "n_clicks"), State(ids.HISTORY, "selectedRows"),
                    prevent_initial_call=True, permission=PERMISSION)
    def download_built(_clicks, selected):
        if not selected:
            return no_update, dbc.Alert("Choose a report in the table first.", color="warning")
        try:
            path = run_file(db, home, int(selected[0]["id"]))
        except RunFileMissing as missing:
            return no_update, dbc.Alert(str(missing), color="warning")
        return dcc.send_file(str(path)), no_update

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Output(ids.REFRESH, "data", allow_duplicate=True),
                    Input(ids.SEND, "n_clicks"), State(ids.HISTORY, "selectedRows"), State(ids.SEND_TO, "value"),
                    State(ids.REFRESH, "data"), prevent_initial_call=True, permission=PERMISSION)
    def send_built(_clicks, selected, send_to, refresh):
        if not selected:
            return dbc.Alert("Choose a report in the table first.", color="warning"), no_update
        try:
            run = email_report(db, int(selected[0]["id"]), recipient_names(send_to), current_actor(), utc_now())
        except ReportShareError as refused:
            return dbc.Alert(str(refused), color="warning"), no_update
        queued = f"Queued for {', '.join(run.recipients)}: the jobs process sends it within a minute."
        return dbc.Alert([queued, html.Div(run.error, className="small")] if run.error else queued,
                         color="warning" if run.error else "success"), (refresh or 0) + 1
