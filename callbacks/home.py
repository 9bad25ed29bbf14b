"""Callbacks of the home page: greeting and the screens of the user's role, by area."""

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html
from flask_login import current_user

from core.permissions import USE_APP
from dashapp.page_access import navigable_pages
from pages.ids import Home as ids


def home_content(display_name: str, username: str, role: str, areas: dict[str, list[dict]]) -> list:
    cards = [
        dbc.Col(
            dbc.Card(dbc.CardBody(
                [html.H3(area, className="h5")]
                + [dbc.Button(page["name"], href=page["relative_path"], color="primary", size="lg",
                              className="me-2 mb-2 touch-target") for page in pages]
            )),
            md=6, lg=4, className="mb-3",
        )
        for area, pages in areas.items()
    ]
    return [
        html.H1(f"Hello, {display_name}", className="h2"),
        html.P(f"You are logged in as {username} ({role.replace('_', ' ')}).", className="lead", id="home-role"),
        dbc.Row(cards) if cards else html.P("Your role has no screens yet."),
    ]


def register(guard, services) -> None:
    @guard.callback(Output(ids.CONTENT, "children"), Input(ids.CONTENT, "id"), permission=USE_APP)
    def fill_home(_id):
        areas = navigable_pages(dash.page_registry, current_user.can)
        return home_content(current_user.user.display_name, current_user.username, current_user.role, areas)
