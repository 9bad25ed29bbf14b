"""Callbacks of the app shell: the navbar's menu button on narrow screens."""

from dash import Input, Output, State

from core.permissions import USE_APP
from pages.ids import Shell as ids


def register(guard, services) -> None:
    @guard.callback(
        Output(ids.NAVBAR_COLLAPSE, "is_open"),
        Input(ids.NAVBAR_TOGGLER, "n_clicks"),
        State(ids.NAVBAR_COLLAPSE, "is_open"),
        prevent_initial_call=True,
        permission=USE_APP,
    )
    def toggle_navbar(_clicks, is_open):
        return not is_open
