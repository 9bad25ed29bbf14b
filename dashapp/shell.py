"""The app shell around every page: a navbar of the pages the user may open, their name and role, logout."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from dashapp.page_access import navigable_pages, signed_in_user


def serve_layout():
    """Built per request, so the navigation only ever lists what this user may open."""
    return html.Div([navbar(), dbc.Container(dash.page_container, fluid=True, className="page-body")])


def navbar() -> dbc.Navbar:
    # The same structure for everyone (ids included): only the menus' contents depend on the user.
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Floorboard", href="/"),
                dbc.NavbarToggler(id="navbar-toggler"),
                dbc.Collapse(
                    [dbc.Nav(_area_menus(), navbar=True, className="me-auto"), dbc.Nav(_user_menu(), navbar=True)],
                    id="navbar-collapse", navbar=True, is_open=False,
                ),
            ],
            fluid=True,
        ),
        color="dark", dark=True, className="mb-3", sticky="top",
    )


def _area_menus() -> list:
    user = signed_in_user()
    if user is None:
        return []
    return [
        dbc.DropdownMenu(
            [dbc.DropdownMenuItem(page["name"], href=page["relative_path"]) for page in pages],
            label=area, nav=True, in_navbar=True, id=f"nav-{area.lower()}",
        )
        for area, pages in navigable_pages(dash.page_registry, user.can).items()
    ]


def _user_menu() -> list:
    user = signed_in_user()
    if user is None:
        return []
    menu = dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(user.role.replace("_", " "), header=True, id="nav-user-role"),
            html.Form(
                html.Button("Log out", type="submit", className="dropdown-item", id="logout-button"),
                action="/logout", method="post",
            ),
        ],
        label=user.user.display_name, nav=True, in_navbar=True, align_end=True, id="nav-user",
    )
    return [menu]
