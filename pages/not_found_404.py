"""The page shown for an address Floorboard does not know."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from core.permissions import USE_APP

dash.register_page(__name__, path="/404", name="Not found", permission=USE_APP)


def layout(**_query):
    return dbc.Alert(
        [html.H2("Page not found", className="alert-heading"),
         dbc.Button("Go to the home page", href="/", color="light", size="lg")],
        color="secondary", className="page-narrow",
    )
