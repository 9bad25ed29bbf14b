"""A corrective work order in one tap: the stop (?stop=<id of its first state change>) or the andon call
(?andon=<call id>) it is for, and one big button. Opening the page changes nothing; the tap makes the order
(or finds the one already open for it) and goes to its page. Other pages link here by this address."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import MaintenanceIds as ids

dash.register_page(__name__, path="/maintenance/work-orders/new", name="New work order", title="New work order",
                   permission="workorders.manage", area=None)  # reached from a stop or a call


def layout(stop=None, andon=None, **_query):
    return html.Div(
        [
            dcc.Location(id=ids.GO, refresh="callback-nav"),
            dcc.Store(id=ids.REQUEST, data={"stop": stop, "andon": andon}),
            html.H1("New work order", className="h2"),
            html.Div(id=ids.SOURCE, className="mb-3"),
            dbc.Button("Create work order", id=ids.CREATE, color="primary", size="lg",
                       className="maintenance-big-button w-100", disabled=True),
            html.Div(id=ids.CREATE_MESSAGE, className="mt-3"),
        ],
        className="page-narrow",
    )
