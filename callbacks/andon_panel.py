"""Callbacks of the operator's andon panel: pick a machine, tap a type, confirm; the line's calls, refreshed."""

from __future__ import annotations

from datetime import timedelta

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from core.andon_calls import KIND_PRIORITY, AndonError, AndonView, call_for_help, list_calls
from core.board_preferences import remembered_line
from core.clock import utc_now
from core.plant.equipment import machines
from callbacks.floor_presenter import duration
from dashapp.actor import current_actor
from pages.ids import AndonPanel as ids

PERMISSION = "andon.raise"
STATUS_COLORS = {"open": "danger", "acknowledged": "warning", "resolved": "success"}


def call_cards(calls: list[AndonView], now) -> list:
    if not calls:
        return [html.P("No calls at this line today.", className="fs-5 text-body-secondary")]
    return [dbc.Alert([html.Strong(f"{call.equipment_code} · {call.kind} "),
                       html.Span(call.status.upper(), className="ms-2 fw-bold", id=f"andon-call-status-{call.id}"),
                       html.Span(f" · {duration(call.raised_at, now)} ago · {call.raised_by}", className="ms-1"),
                       html.Div(call.note, className="small") if call.note else None],
                      color=STATUS_COLORS[call.status], className="andon-call", id=f"andon-call-{call.id}")
            for call in calls]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.MACHINE, "options"), Output(ids.MACHINE, "value"),
                    Input(ids.REQUESTED_MACHINE, "data"), permission=PERMISSION)
    def list_machines(requested):
        plant = machines(db)
        line = remembered_line(db, current_actor().username)
        mine = [m for m in plant if m.code == requested] or [m for m in plant if m.line_code == line] or plant
        return ([{"label": f"{m.code} · {m.name}", "value": m.code} for m in plant],
                mine[0].code if mine else None)

    @guard.callback(Output(ids.CONFIRM_MODAL, "is_open"), Output(ids.CHOSEN, "data"),
                    Output(ids.CONFIRM_TEXT, "children"),
                    Input({"type": ids.KIND, "kind": ALL}, "n_clicks"), Input(ids.CANCEL, "n_clicks"),
                    State(ids.MACHINE, "value"), prevent_initial_call=True, permission=PERMISSION)
    def ask_to_confirm(_kinds, _cancel, machine):
        trigger = ctx.triggered_id
        if trigger == ids.CANCEL or not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
            return False, None, no_update
        kind = trigger["kind"]
        return True, kind, f"{kind.title()} at {machine} — {KIND_PRIORITY[kind]} priority"

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.CONFIRM_MODAL, "is_open", allow_duplicate=True),
                    Output(ids.NOTE, "value"),
                    Input(ids.CONFIRM, "n_clicks"), State(ids.CHOSEN, "data"), State(ids.MACHINE, "value"),
                    State(ids.NOTE, "value"), prevent_initial_call=True, permission=PERMISSION,
                    running=[(Output(ids.CONFIRM, "disabled"), True, False)])  # a double tap raises one call
    def raise_call(_clicks, kind, machine, note):
        if not kind or not machine:
            raise PreventUpdate
        try:
            call = call_for_help(db, machine, kind, KIND_PRIORITY.get(kind, "medium"), note or "", current_actor(),
                                 "tablet", utc_now())
        except AndonError as exc:
            return dbc.Alert(str(exc), color="danger", className="fs-5"), False, no_update
        return (dbc.Alert(f"Call {call.id} raised: {kind} at {machine}. Help is on its way.", color="success",
                          className="fs-5", dismissable=True, id="andon-raised"), False, "")

    @guard.callback(Output(ids.CALLS, "children"), Input(ids.TICK, "n_intervals"), Input(ids.MACHINE, "value"),
                    permission=PERMISSION)
    def line_calls(_tick, machine):
        line = next((m.line_code for m in machines(db) if m.code == machine), None)
        if line is None:
            return call_cards([], utc_now())
        now = utc_now()
        recent = {c.id: c for c in list_calls(db, line_code=line, since=now - timedelta(hours=12), limit=None)}
        recent.update({c.id: c for c in list_calls(db, line_code=line, unresolved=True)})  # older open ones too
        return call_cards(sorted(recent.values(), key=lambda c: c.raised_at, reverse=True), now)
