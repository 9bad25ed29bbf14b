"""The app shell around every page: navbar, user menu, page container.

The layout is the same for everybody (Dash sends one validation layout to
every visitor of a worker); what depends on the user, the menus, is filled
in by a guarded callback (callbacks/shell.py).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Shell as ids


NOTICES_REFRESH_MS = 15_000


def serve_layout():
    return html.Div([navbar(), dcc.Interval(id=ids.NOTICES_TICK, interval=NOTICES_REFRESH_MS),
                     dbc.Container(dash.page_container, fluid=True, className="page-body")])


def navbar() -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Floorboard", href="/"),
                dbc.NavbarToggler(id=ids.NAVBAR_TOGGLER),
                dbc.Collapse(
                    [dbc.Nav(id=ids.AREA_MENUS, navbar=True, className="me-auto"),
                     dbc.Nav(dbc.NavItem(dbc.NavLink("Notices", id=ids.NOTICES, href="/notifications")), navbar=True),
                     dbc.Nav(id=ids.USER_MENU, navbar=True)],
                    id=ids.NAVBAR_COLLAPSE, navbar=True, is_open=False,
                ),
            ],
            fluid=True,
        ),
        color="dark", dark=True, className="mb-3", sticky="top",
    )


def area_menus(areas: dict[str, list[dict]]) -> list:
    return [
        dbc.DropdownMenu(
            [dbc.DropdownMenuItem(page["name"], href=page["relative_path"]) for page in pages],
            label=area, nav=True, in_navbar=True, id=f"nav-{area.lower()}",
        )
        for area, pages in areas.items()
    ]


def user_menu(display_name: str, role: str) -> list:
    return [dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(role.replace("_", " "), header=True, id="nav-user-role"),
            html.Form(
                html.Button("Log out", type="submit", className="dropdown-item", id="logout-button"),
                action="/logout", method="post",
            ),
        ],
        label=display_name, nav=True, in_navbar=True, align_end=True, id="nav-user",
    )]
