"""Home: who you are, the plant today (OEE, and the money lost for those who may see it) and the screens your
role may open (filled in by callbacks/home.py)."""

import dash
from dash import dcc, html

from core.permissions import USE_APP
from pages.ids import Home as ids
from pages.ids import HomeToday

dash.register_page(__name__, path="/", name="Home", title="Floorboard", permission=USE_APP, order=0)

TODAY_REFRESH_MS = 60_000


def layout(**_query):
    return html.Div([
        html.Div(id=HomeToday.TILES),
        html.Div(id=ids.CONTENT),
        dcc.Interval(id=HomeToday.TICK, interval=TODAY_REFRESH_MS),
    ])
