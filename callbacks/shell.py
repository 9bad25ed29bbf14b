"""Callbacks of the app shell: the menus of pages this user may open, and the menu button on narrow screens."""

import dash
from dash import Input, Output, State
import dash_bootstrap_components as dbc
from flask_login import current_user

from core.andon_notices import unread_count

from core.permissions import USE_APP
from dashapp.page_access import navigable_pages
from dashapp.shell import area_menus, user_menu
from pages.ids import Shell as ids


def register(guard, services) -> None:
    @guard.callback(
        Output(ids.AREA_MENUS, "children"), Output(ids.USER_MENU, "children"), Input(ids.AREA_MENUS, "id"),
        permission=USE_APP,
    )
    def fill_menus(_id):
        areas = navigable_pages(dash.page_registry, current_user.can)
        return area_menus(areas), user_menu(current_user.user.display_name, current_user.role)

    @guard.callback(Output(ids.NOTICES, "children"), Input(ids.NOTICES_TICK, "n_intervals"), permission=USE_APP)
    def count_unread_notices(_tick):
        unread = unread_count(services.db, current_user.username)
        return ["Notices", dbc.Badge(str(unread), color="danger", pill=True, className="ms-1",
                                     id="nav-notices-unread")] if unread else "Notices"

    @guard.callback(
        Output(ids.NAVBAR_COLLAPSE, "is_open"),
        Input(ids.NAVBAR_TOGGLER, "n_clicks"),
        State(ids.NAVBAR_COLLAPSE, "is_open"),
        prevent_initial_call=True,
        permission=USE_APP,
    )
    def toggle_navbar(_clicks, is_open):
        return not is_open
