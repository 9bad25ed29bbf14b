"""Control charts: one measured characteristic over a window, individuals (I-MR) or X-bar/R as its checks
take one or several samples, with centre line and control limits; points out of control are marked."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import QualitySpc as ids

dash.register_page(__name__, path="/quality/spc", name="Control charts", title="Control charts",
                   permission="oee.view", area="Quality", order=310)

DAYS = [{"label": "Last 24 hours", "value": 1}, {"label": "Last 7 days", "value": 7},
        {"label": "Last 30 days", "value": 30}, {"label": "Last 90 days", "value": 90}]


def layout(**_query):
    return html.Div([
        html.H1("Control charts", className="h2"),
        dbc.Row([
            dbc.Col(dcc.Dropdown(id=ids.CHARACTERISTIC, clearable=False, placeholder="Characteristic",
                                 className="quality-select"), md=6),
            dbc.Col(dcc.Dropdown(id=ids.MACHINE, placeholder="All machines", className="quality-select"), md=3),
            dbc.Col(dcc.Dropdown(id=ids.DAYS, options=DAYS, value=7, clearable=False, searchable=False,
                                 className="quality-select"), md=3),
        ], className="g-2 mb-3"),
        html.Div(id=ids.SUMMARY, className="mb-2 fs-5"),
        dbc.Card(dbc.CardBody(dcc.Loading(dcc.Graph(id=ids.CHART, config={"displaylogo": False},
                                                    style={"height": "620px"})))),
    ])
