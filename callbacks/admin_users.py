"""Callbacks of the users page: list, create, change role, reset password, set the address, (de)activate."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update

from core import accounts
from core.accounts import AccountError, UserView
from dashapp.actor import current_actor
from pages.ids import Users as ids

PERMISSION = "users.manage"


def user_rows(users: list[UserView]) -> list[dict]:
    return [
        {
            "username": u.username, "display_name": u.display_name, "role": u.role, "email": u.email or "",
            "active": "yes" if u.active else "no",
            "last_login_at": u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "never",
            "created_at": u.created_at.strftime("%Y-%m-%d %H:%M"),
        }
        for u in users
    ]


def _done(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="success", dismissable=True, duration=6000)


def _failed(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="danger", dismissable=True)


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.GRID, "rowData"), Input(ids.GRID, "id"), permission=PERMISSION)
    def load_users(_grid_id):
        return user_rows(accounts.list_users(db))

    @guard.callback(
        Output(ids.MESSAGE, "children"),
        Output(ids.GRID, "rowData", allow_duplicate=True),
        Output(ids.NEW_USERNAME, "value"),
        Output(ids.NEW_DISPLAY_NAME, "value"),
        Output(ids.NEW_PASSWORD, "value"),
        Input(ids.CREATE, "n_clicks"),
        State(ids.NEW_USERNAME, "value"),
        State(ids.NEW_DISPLAY_NAME, "value"),
        State(ids.NEW_ROLE, "value"),
        State(ids.NEW_PASSWORD, "value"),
        State(ids.NEW_EMAIL, "value"),
        prevent_initial_call=True,
        permission=PERMISSION,
    )
    def create_user(_clicks, username, display_name, role, password, email):
        try:
            user = accounts.create_user(db, username or "", role or "", password or "", current_actor(),
                                        display_name=display_name or "", email=email)
        except AccountError as exc:
            return _failed(str(exc)), no_update, no_update, no_update, no_update
        return _done(f"User {user.username} created as {user.role}."), user_rows(accounts.list_users(db)), "", "", ""

    @guard.callback(
        Output(ids.SELECTED, "children"),
        Output(ids.EDIT_ROLE, "value"),
        Output(ids.EDIT_EMAIL, "value"),
        Output(ids.TOGGLE_ACTIVE, "children"),
        Output(ids.TOGGLE_ACTIVE, "color"),
        Output(ids.EDIT_PANEL, "disabled"),
        Input(ids.GRID, "selectedRows"),
        permission=PERMISSION,
    )
    def show_selected(selected):
        if not selected:
            return "none", None, "", "Deactivate", "danger", True
        row = selected[0]
        active = row["active"] == "yes"
        return (row["username"], row["role"], row.get("email", ""), "Deactivate" if active else "Activate",
                "danger" if active else "success", False)

    @guard.callback(
        Output(ids.MESSAGE, "children", allow_duplicate=True),
        Output(ids.GRID, "rowData", allow_duplicate=True),
        Input(ids.CHANGE_ROLE, "n_clicks"),
        State(ids.SELECTED, "children"),
        State(ids.EDIT_ROLE, "value"),
        prevent_initial_call=True,
        permission=PERMISSION,
    )
    def change_role(_clicks, username, role):
        try:
            user = accounts.change_role(db, username or "", role or "", current_actor())
        except AccountError as exc:
            return _failed(str(exc)), no_update
        return _done(f"{user.username} is now {user.role}."), user_rows(accounts.list_users(db))

    @guard.callback(
        Output(ids.MESSAGE, "children", allow_duplicate=True),
        Output(ids.GRID, "rowData", allow_duplicate=True),
        Input(ids.CHANGE_EMAIL, "n_clicks"),
        State(ids.SELECTED, "children"),
        State(ids.EDIT_EMAIL, "value"),
        prevent_initial_call=True,
        permission=PERMISSION,
    )
    def change_email(_clicks, username, email):
        try:
            user = accounts.change_email(db, username or "", email, current_actor())
        except AccountError as exc:
            return _failed(str(exc)), no_update
        told = f"{user.username}'s address is now {user.email}." if user.email else f"{user.username} has no address."
        return _done(told), user_rows(accounts.list_users(db))

    @guard.callback(
        Output(ids.MESSAGE, "children", allow_duplicate=True),
        Output(ids.EDIT_PASSWORD, "value"),
        Input(ids.RESET_PASSWORD, "n_clicks"),
        State(ids.SELECTED, "children"),
        State(ids.EDIT_PASSWORD, "value"),
        prevent_initial_call=True,
        permission=PERMISSION,
    )
    def reset_password(_clicks, username, password):
        try:
            accounts.reset_password(db, username or "", password or "", current_actor())
        except AccountError as exc:
            return _failed(str(exc)), no_update
        return _done(f"Password of {username} reset; their open sessions were ended."), ""

    @guard.callback(
        Output(ids.MESSAGE, "children", allow_duplicate=True),
        Output(ids.GRID, "rowData", allow_duplicate=True),
        Output(ids.TOGGLE_ACTIVE, "children", allow_duplicate=True),
        Output(ids.TOGGLE_ACTIVE, "color", allow_duplicate=True),
        Input(ids.TOGGLE_ACTIVE, "n_clicks"),
        State(ids.SELECTED, "children"),
        State(ids.TOGGLE_ACTIVE, "children"),
        prevent_initial_call=True,
        permission=PERMISSION,
    )
    def toggle_active(_clicks, username, label):
        activate = label == "Activate"
        try:
            user = accounts.set_active(db, username or "", activate, current_actor())
        except AccountError as exc:
            return _failed(str(exc)), no_update, no_update, no_update
        state = "active again" if user.active else "deactivated; their open sessions were ended"
        label, color = ("Deactivate", "danger") if user.active else ("Activate", "success")
        return _done(f"{user.username} is {state}."), user_rows(accounts.list_users(db)), label, color
