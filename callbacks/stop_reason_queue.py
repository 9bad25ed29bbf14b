"""Callbacks of the stop-reason queue on the line board: list the line's stops without a reason, walk the reason
tree one tap at a time, give the reason with the last tap.

The oldest stop is chosen before the operator taps anything, so a reason three
levels deep takes three taps.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, no_update
from flask_login import current_user

from callbacks.stop_queue_presenter import level_of, reason_buttons, reason_given, stop_buttons, stop_record
from core.clock import utc_now
from core.plant.equipment import site_calendar
from core.stop_queue import find_choice, reason_tree, stops_awaiting_reason
from core.stop_reasons import StopReasonError, give_reason
from dashapp.actor import current_actor
from pages.ids import Board
from pages.ids import StopQueue as ids

PERMISSION = "stops.explain"


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.STOPS, "data"), Input(Board.TICK, "n_intervals"), Input(Board.SHOWN_LINE, "data"),
                    State(ids.STOPS, "data"), permission="board.view")
    def refresh_queue(_tick, line_code, shown):
        if not line_code or not current_user.can(PERMISSION):  # a viewer's board has no queue
            return [] if shown else no_update
        now = utc_now()
        calendar = site_calendar(db)
        stops = [stop_record(s, now, calendar.zone if calendar else None)
                 for s in stops_awaiting_reason(db, line_code, now)]
        return no_update if stops == shown else stops

    @guard.callback(Output(ids.STOP_LIST, "children"), Output(ids.COUNT, "children"), Output(ids.SECTION, "hidden"),
                    Input(ids.STOPS, "data"), Input(ids.SELECTED, "data"), permission="board.view")
    def show_stops(stops, selected):
        stops = stops or []
        return stop_buttons(stops, _effective(stops, selected)), str(len(stops)), not stops

    @guard.callback(Output(ids.REASONS, "children"), Output(ids.TRAIL, "children"), Output(ids.BACK, "disabled"),
                    Input(ids.PATH, "data"), permission=PERMISSION)
    def show_reasons(path):
        choices, names = level_of(reason_tree(db), path or [])
        trail = " › ".join(names) if names else "Why did it stop?"
        return reason_buttons(choices), trail, not names

    @guard.callback(Output(ids.SELECTED, "data"), Output(ids.PATH, "data"), Output(ids.MESSAGE, "children"),
                    Output(ids.STOPS, "data", allow_duplicate=True),
                    Input({"type": ids.STOP, "stop": ALL}, "n_clicks"),
                    Input({"type": ids.REASON, "code": ALL}, "n_clicks"), Input(ids.BACK, "n_clicks"),
                    State(ids.PATH, "data"), State(ids.STOPS, "data"), State(ids.SELECTED, "data"),
                    prevent_initial_call=True, permission=PERMISSION)
    def tap(_stops, _reasons, _back, path, stops, selected):
        trigger, path, stops = ctx.triggered_id, path or [], stops or []
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update, no_update, no_update, no_update  # buttons drawn anew, nobody tapped
        if trigger == ids.BACK:
            return no_update, path[:-1], None, no_update
        if trigger["type"] == ids.STOP:
            return trigger["stop"], [], None, no_update
        choice = find_choice(reason_tree(db), trigger["code"])
        if choice is not None and choice.children:
            return no_update, path + [choice.code], None, no_update
        stop_id = _effective(stops, selected)
        if stop_id is None:
            return no_update, [], dbc.Alert("No stop is waiting for a reason.", color="info"), no_update
        try:
            stop = give_reason(db, stop_id, trigger["code"], current_actor(), utc_now())
        except StopReasonError as error:
            return None, [], dbc.Alert(str(error), color="danger", className="fs-5"), no_update
        left = [s for s in stops if s["id"] != stop_id]
        return None, [], reason_given(stop.equipment_code, choice.name if choice else stop.reason_code), left


def _effective(stops: list[dict], selected: int | None) -> int | None:
    """The stop the reason goes to: the one tapped, or else the oldest."""
    ids_ = [s["id"] for s in stops]
    if selected in ids_:
        return selected
    return ids_[0] if ids_ else None
