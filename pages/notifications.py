"""Everybody: the notices sent to me in the app (andon escalations), newest first; mark them read."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from core.permissions import USE_APP
from pages.ids import Notices as ids

dash.register_page(__name__, path="/notifications", name="Notices", title="Notices", permission=USE_APP)


def layout(**_query):
    return html.Div([
        html.H1("Notices", className="h2"),
        dbc.Button("Mark all read", id=ids.MARK_READ, color="secondary", className="mb-3"),
        html.Div(id=ids.MESSAGE),
        html.Div(id=ids.LIST),
    ])
