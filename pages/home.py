"""Home: who you are and the screens your role may open (filled in by callbacks/home.py)."""

import dash
from dash import html

from core.permissions import USE_APP
from pages.ids import Home as ids

dash.register_page(__name__, path="/", name="Home", title="Floorboard", permission=USE_APP, order=0)


def layout(**_query):
    return html.Div(id=ids.CONTENT)
