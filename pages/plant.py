"""Plant overview (managers): every line and machine with state, count and availability this shift."""

import dash
from dash import dcc, html

from pages.ids import Plant as ids

dash.register_page(__name__, path="/plant", name="Plant overview", title="Plant overview", permission="oee.view",
                   area="Management", order=100)

REFRESH_MS = 5000


def layout(**_query):
    return html.Div(
        [
            html.H1("Plant overview", className="h2"),
            html.Div(id=ids.SHIFT, className="mb-3 text-body-secondary"),
            html.Div(id=ids.TABLE),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ]
    )
