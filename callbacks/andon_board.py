"""Callbacks of the managers' andon board: the calls not yet resolved, acknowledge, resolve with a note."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State

from core.andon_calls import AndonError, acknowledge_call, list_calls, resolve_call
from core.andon_notices import notices_of
from core.clock import utc_now
from callbacks.floor_presenter import duration
from callbacks.maintenance_links import new_order_address
from dashapp.actor import current_actor
from pages.ids import AndonBoard as ids, MaintenanceIds

PERMISSION = "andon.manage"


def board_rows(db) -> list[dict]:
    now = utc_now()
    calls = list_calls(db, unresolved=True)
    notices = notices_of(db, [c.id for c in calls])
    return [{"id": c.id, "key": str(c.id), "machine": f"{c.equipment_code} · {c.equipment_name}", "type": c.kind,
             "priority": c.priority, "status": c.status, "age": duration(c.raised_at, now),
             "level": notices[c.id].level_reached or "not yet",
             "told": ", ".join(notices[c.id].told) + (f" ({notices[c.id].failed} failed)" if notices[c.id].failed
                                                       else ""),
             "note": c.note, "raised_by": c.raised_by} for c in calls]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.GRID, "rowData"), Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def refresh_board(_tick):
        return board_rows(db)

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.GRID, "rowData", allow_duplicate=True),
                    Input(ids.ACKNOWLEDGE, "n_clicks"), State(ids.GRID, "selectedRows"),
                    prevent_initial_call=True, permission=PERMISSION)
    def acknowledge(_clicks, selected):
        if not selected:
            return dbc.Alert("Select a call first.", color="warning", dismissable=True), board_rows(db)
        try:
            call = acknowledge_call(db, int(selected[0]["id"]), current_actor(), utc_now())
        except AndonError as exc:
            return dbc.Alert(str(exc), color="danger", dismissable=True), board_rows(db)
        return (dbc.Alert(f"Call {call.id} at {call.equipment_code} acknowledged.", color="success",
                          dismissable=True), board_rows(db))

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Output(ids.GRID, "rowData", allow_duplicate=True), Output(ids.RESOLUTION, "value"),
                    Input(ids.RESOLVE, "n_clicks"), State(ids.GRID, "selectedRows"), State(ids.RESOLUTION, "value"),
                    prevent_initial_call=True, permission=PERMISSION)
    def resolve(_clicks, selected, resolution):
        if not selected:
            return dbc.Alert("Select a call first.", color="warning", dismissable=True), board_rows(db), resolution
        try:
            call = resolve_call(db, int(selected[0]["id"]), resolution or "", current_actor(), utc_now())
        except AndonError as exc:
            return dbc.Alert(str(exc), color="danger", dismissable=True), board_rows(db), resolution
        return (dbc.Alert(f"Call {call.id} at {call.equipment_code} resolved.", color="success", dismissable=True),
                board_rows(db), "")

    @guard.callback(Output(MaintenanceIds.ANDON_GO, "href"), Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Input(MaintenanceIds.ANDON_WORK_ORDER, "n_clicks"), State(ids.GRID, "selectedRows"),
                    prevent_initial_call=True, permission=PERMISSION)
    def work_order(_clicks, selected):
        return new_order_address("andon", selected)
