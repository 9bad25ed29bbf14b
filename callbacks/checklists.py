"""Callbacks of the operator's checklist runner: the machine's checklists, the chosen one's items, submit."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from core.board_preferences import remembered_line
from core.checklists.completions import (
    ChecklistDue, ChecklistError, CompletionResult, checklist_at, checklists_at, complete_checklist,
)
from core.checklists.rules import ChecklistItem
from core.clock import utc_now
from core.plant.equipment import machines
from dashapp.actor import current_actor
from pages.ids import Checklists as ids

PERMISSION = "checklists.fill"
OK_CHOICES = [{"label": "✓ OK", "value": True}, {"label": "✗ Not OK", "value": False}]


def _buttons(item_code: str, options: list[dict], extra_class: str = "") -> dbc.RadioItems:
    return dbc.RadioItems(id={"type": ids.ANSWER, "item": item_code}, options=options, inline=True,
                          className=f"checklist-options {extra_class}", inputClassName="btn-check",
                          labelClassName="btn btn-outline-light checklist-button", labelCheckedClassName="active")


def _limits(item: ChecklistItem) -> str:
    if item.min is not None and item.max is not None:
        return f"{item.min:g} – {item.max:g}"
    if item.min is not None:
        return f"at least {item.min:g}"
    return f"at most {item.max:g}" if item.max is not None else ""


def item_control(item: ChecklistItem):
    if item.kind == "checkbox":
        return _buttons(item.code, OK_CHOICES, "checklist-ok-not-ok")
    if item.kind == "choice":
        return _buttons(item.code, [{"label": choice, "value": choice} for choice in item.choices])
    if item.kind == "number":
        return dbc.Input(id={"type": ids.ANSWER, "item": item.code}, type="number", inputMode="decimal",
                         placeholder=_limits(item), className="checklist-input", debounce=False)
    if item.kind == "text":
        return dbc.Input(id={"type": ids.ANSWER, "item": item.code}, type="text", maxLength=500,
                         className="checklist-input")
    return html.Div([html.Canvas(className="signature-pad", **{"data-store": ids.SIGNATURE}),
                     dbc.Button("Clear signature", color="secondary", className="signature-clear checklist-button")])


def checklist_form(item_rows: tuple[ChecklistItem, ...]) -> list:
    return [html.Div([html.Div([item.text, html.Span(" critical", className="badge bg-danger ms-2 fs-6")
                                if item.critical else None,
                                html.Span(" (optional)", className="text-body-secondary fs-6")
                                if not item.required else None], className="checklist-item-text"),
                      item_control(item)], className="checklist-item", id=f"checklist-item-{item.code}")
            for item in item_rows]


def status_line(due: list[ChecklistDue]):
    if not due:
        return dbc.Alert("No pre-start checklist for this machine.", color="secondary", className="fs-4")
    waiting = [d.template.name for d in due if d.required_now]
    if not waiting:
        return dbc.Alert("Every checklist of this machine is done.", color="success", className="fs-4")
    return dbc.Alert(f"To do before the next job: {', '.join(waiting)}", color="warning", className="fs-4")


def result_panel(result: CompletionResult):
    if result.passed and not result.failed:
        return dbc.Alert(html.Div(f"PASSED · {result.checklist} at {result.equipment_code}",
                                  className="checklist-verdict"), color="success", id="checklist-passed")
    heading = "PASSED, with remarks" if result.passed else "FAILED: the machine may not start"
    lines = [html.Li(line) for line in result.failed]
    call = (html.P(f"Andon call {result.andon_call_id} raised: help is on its way.", className="mb-0 fs-4")
            if result.andon_call_id else None)
    return dbc.Alert([html.Div(heading, className="checklist-verdict"), html.Ul(lines, className="fs-4"), call],
                     color="warning" if result.passed else "danger", id="checklist-failed")


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.MACHINE, "options"), Output(ids.MACHINE, "value"), Input(ids.MACHINE, "id"),
                    permission=PERMISSION)
    def list_machines(_id):
        plant = machines(db)
        line = remembered_line(db, current_actor().username)
        mine = [m for m in plant if m.line_code == line] or plant
        return ([{"label": f"{m.code} · {m.name}", "value": m.code} for m in plant],
                mine[0].code if mine else None)

    @guard.callback(Output(ids.CHOICE, "options"), Output(ids.CHOICE, "value"), Output(ids.STATUS, "children"),
                    Input(ids.MACHINE, "value"), permission=PERMISSION)
    def machine_checklists(machine):
        if not machine:
            return [], None, None
        due = checklists_at(db, machine, current_actor().username, utc_now())
        first = next((d for d in due if d.required_now), due[0] if due else None)
        return ([{"label": d.template.name, "value": d.template.code} for d in due],
                first.template.code if first else None, status_line(due))

    @guard.callback(Output(ids.FORM, "children"), Output(ids.SIGNATURE, "data"),
                    Output(ids.RESULT, "children"), Input(ids.CHOICE, "value"), State(ids.MACHINE, "value"),
                    permission=PERMISSION)
    def show_checklist(code, machine):
        if not code or not machine:
            return [], None, None
        template = checklist_at(db, machine, code)
        return checklist_form(template.items) if template else [], None, None

    @guard.callback(Output(ids.RESULT_MODAL, "is_open", allow_duplicate=True), Input(ids.RESULT_CLOSE, "n_clicks"),
                    prevent_initial_call=True, permission=PERMISSION)
    def close_result(_clicks):
        return False

    @guard.callback(Output(ids.RESULT, "children", allow_duplicate=True),
                    Output(ids.STATUS, "children", allow_duplicate=True), Output(ids.RESULT_MODAL, "is_open"),
                    Input(ids.SUBMIT, "n_clicks"), State(ids.MACHINE, "value"), State(ids.CHOICE, "value"),
                    State({"type": ids.ANSWER, "item": ALL}, "value"), State(ids.SIGNATURE, "data"),
                    prevent_initial_call=True, permission=PERMISSION,
                    running=[(Output(ids.SUBMIT, "disabled"), True, False)])  # a double tap stores one
    def submit(_clicks, machine, code, _values, signature):
        if not machine or not code:
            raise PreventUpdate
        answers = {state["id"]["item"]: state.get("value") for state in ctx.states_list[2]}
        try:
            result = complete_checklist(db, machine, code, answers, signature, current_actor(), utc_now())
        except ChecklistError as exc:
            return dbc.Alert(str(exc), color="danger", className="fs-3 mb-0", id="checklist-refused"), no_update, True
        return (result_panel(result), status_line(checklists_at(db, machine, current_actor().username, utc_now())),
                True)

