"""Callbacks of the API keys page: list, create (the key shown once), revoke."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from core.api_keys import ApiKeyError, ApiKeyView, create_api_key, list_api_keys, revoke_api_key
from dashapp.actor import current_actor
from pages.ids import ApiKeys as ids

PERMISSION = "datasources.manage"


def key_rows(keys: list[ApiKeyView]) -> list[dict]:
    def when(moment):
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"

    return [{"name": k.name, "prefix": k.prefix + "…", "created": when(k.created_at), "created_by": k.created_by,
             "last_used": when(k.last_used_at),
             "status": f"revoked {when(k.revoked_at)}" if k.revoked_at else "active"} for k in keys]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.GRID, "rowData"), Input(ids.GRID, "id"), permission=PERMISSION)
    def load_keys(_id):
        return key_rows(list_api_keys(db))

    @guard.callback(
        Output(ids.MESSAGE, "children"), Output(ids.GRID, "rowData", allow_duplicate=True),
        Output(ids.NEW_NAME, "value"),
        Input(ids.CREATE, "n_clicks"), State(ids.NEW_NAME, "value"),
        prevent_initial_call=True, permission=PERMISSION,
    )
    def create_key(_clicks, name):
        try:
            key = create_api_key(db, name or "", current_actor())
        except ApiKeyError as exc:
            return dbc.Alert(str(exc), color="danger", dismissable=True), no_update, no_update
        shown = dbc.Alert([html.Strong(f"Key for {name.strip()}: "), html.Code(key, id="apikeys-new-key"),
                           html.Div("Copy it now: it cannot be shown again.")], color="success", dismissable=True)
        return shown, key_rows(list_api_keys(db)), ""

    @guard.callback(
        Output(ids.MESSAGE, "children", allow_duplicate=True), Output(ids.GRID, "rowData", allow_duplicate=True),
        Input(ids.REVOKE, "n_clicks"), State(ids.GRID, "selectedRows"),
        prevent_initial_call=True, permission=PERMISSION,
    )
    def revoke_key(_clicks, selected):
        if not selected:
            return dbc.Alert("Select a key in the table first.", color="warning", dismissable=True), no_update
        name = selected[0]["name"]
        try:
            revoke_api_key(db, name, current_actor())
        except ApiKeyError as exc:
            return dbc.Alert(str(exc), color="danger", dismissable=True), no_update
        return (dbc.Alert(f"Key {name} revoked: it stops working at once.", color="success", dismissable=True),
                key_rows(list_api_keys(db)))
