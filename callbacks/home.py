"""Callbacks of the home page: greeting and the screens of the user's role, by area; the plant today."""

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html
from flask_login import current_user

from callbacks.floor_presenter import percent
from core.clock import utc_now
from core.money.today import PlantToday, plant_today
from core.permissions import USE_APP
from core.reports.formatting import shown
from dashapp.page_access import navigable_pages
from pages.ids import Home as ids
from pages.ids import HomeToday


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


def today_tiles(today: PlantToday, show_oee: bool) -> dbc.Row:
    """OEE so far today beside the money lost so far today (each only when asked for)."""
    tiles = []
    if show_oee:
        target = f"target {today.target_oee:.0%}" if today.target_oee else ""
        tiles.append(_tile("OEE today", percent(today.oee), target, "/oee", "home-today-oee"))
    if today.money is not None:
        costs = today.money.by_category()
        value = shown(costs["total"], "money", today.money.currency) if costs else "no rates"
        tiles.append(_tile("Money lost today", value, "by category and machine", "/money?preset=today",
                           "home-today-money"))
    return dbc.Row(tiles, className="g-2 mb-3")


def _tile(label: str, value: str, hint: str, href: str, tile_id: str) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-body-secondary"),
        html.Div(value, className="display-6", id=tile_id),
        dbc.CardLink(hint or "details", href=href, className="small"),
    ])), xs=6, md=3)


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.CONTENT, "children"), Input(ids.CONTENT, "id"), permission=USE_APP)
    def fill_home(_id):
        areas = navigable_pages(dash.page_registry, current_user.can)
        return home_content(current_user.user.display_name, current_user.username, current_user.role, areas)

    @guard.callback(Output(HomeToday.TILES, "children"), Input(HomeToday.TICK, "n_intervals"), permission=USE_APP)
    def show_today(_ticks):
        """Every user may open home; what is computed depends on what the user may see (checked here, server side)."""
        show_oee, show_money = current_user.can("oee.view"), current_user.can("money.view")
        if not (show_oee or show_money):
            return []
        return today_tiles(plant_today(db, utc_now(), with_money=show_money), show_oee)
