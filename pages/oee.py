"""OEE analysis (managers): trend with A, P and Q, loss waterfall, downtime Pareto, line comparison.

The filters live in the address, so a link shows the same view to anyone.
"""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Oee as ids
from pages.ids import OeeDrill as drill

dash.register_page(__name__, path="/oee", name="OEE analysis", title="OEE analysis", permission="oee.view",
                   area="Management", order=110)

GRANULARITIES = [{"label": "by shift", "value": "shift"}, {"label": "by day", "value": "day"},
                 {"label": "by week", "value": "week"}, {"label": "by hour", "value": "hour"}]
TABLES = [{"label": "Trend", "value": "trend"}, {"label": "Losses", "value": "losses"},
          {"label": "Pareto", "value": "pareto"}, {"label": "Lines", "value": "lines"}]


def _chart(title: str, graph_id: str, extra=None) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody([dcc.Loading(dcc.Graph(id=graph_id, config={
        "displaylogo": False}, style={"height": "360px"})), extra if extra is not None else html.Div()])],
        className="mb-3")


def layout(**_query):
    # The filters' values come from the address (callbacks/oee_analysis.py keeps both in step).
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Location(id=drill.LOCATION, refresh="callback-nav"),  # a clicked loss opens its stops
            html.H1("OEE analysis", className="h2"),
            dbc.Row(
                [
                    dbc.Col(dcc.DatePickerRange(id=ids.START, display_format="YYYY-MM-DD", minimum_nights=0), md=4),
                    dbc.Col(dcc.Dropdown(id=ids.LINE, placeholder="All lines"), md=2),
                    dbc.Col(dcc.Dropdown(id=ids.MACHINE, placeholder="All machines"), md=3),
                    dbc.Col(dcc.Dropdown(id=ids.GRANULARITY, options=GRANULARITIES, clearable=False), md=2),
                ],
                className="g-2 mb-3",
            ),
            html.Div(id=ids.SUMMARY, className="mb-3"),
            dbc.Row([dbc.Col(_chart("OEE trend with availability, performance and quality", ids.TREND), lg=7),
                     dbc.Col(_chart("Where the time went", ids.WATERFALL, html.Div(
                         "Click a loss to list the stops behind it.", id=drill.NOTE,
                         className="small text-body-secondary")), lg=5)]),
            dbc.Row([dbc.Col(_chart("Stops by reason", ids.PARETO, html.Div(id=ids.PARETO_NOTE,
                                                                            className="text-body-secondary")), lg=7),
                     dbc.Col(_chart("Lines compared", ids.LINES), lg=5)]),
            dbc.Card(dbc.CardBody(dbc.Row([
                dbc.Col(dbc.Select(id=ids.EXPORT_TABLE, options=TABLES, value="trend"), md=3),
                dbc.Col([dbc.Button("Download CSV", id=ids.EXPORT_CSV, color="secondary", className="me-2"),
                         dbc.Button("Download Excel", id=ids.EXPORT_XLSX, color="secondary")], md=9),
            ], className="g-2"))),
            dcc.Download(id=ids.DOWNLOAD),
        ]
    )
