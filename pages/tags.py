"""Engineers: a machine's tags, live with their quality, and their trends over a chosen window."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Tags as ids
from pages.ids import TagsFocus as focus

dash.register_page(__name__, path="/engineering/tags", name="Tag browser and trends", title="Tags",
                   permission="faults.view", area="Engineering", order=310)

LIVE_REFRESH_MS = 2000
RANGES = [{"label": "last hour", "value": 1}, {"label": "last 8 hours", "value": 8},
          {"label": "last 24 hours", "value": 24}, {"label": "last 7 days", "value": 168}]
LIVE_COLUMNS = [
    {"field": "tag", "headerName": "Tag", "flex": 2},
    {"field": "role", "headerName": "Role", "flex": 1},
    {"field": "value", "headerName": "Value", "flex": 1, "cellDataType": "text"},
    {"field": "quality", "headerName": "Quality", "flex": 2,
     "cellClassRules": {"text-danger": "params.value != 'good'"}},
]


def layout(machine: str | None = None, start: str | None = None, end: str | None = None,
           mark_start: str | None = None, mark_end: str | None = None, **_query):
    # ?machine=&start=&end= (ISO times) open the trend on that machine and window, e.g. around a stop
    # (mark_start, mark_end: shaded); choosing a range leaves it
    window = {"start": start, "end": end, "mark_start": mark_start, "mark_end": mark_end} if start and end else None
    return html.Div(
        [
            dcc.Store(id=focus.WINDOW, data=window),
            html.H1("Tags", className="h2"),
            dbc.Row([dbc.Col(dcc.Dropdown(id=ids.MACHINE, value=machine, placeholder="Choose a machine",
                                          clearable=False), md=4)], className="mb-3"),
            dbc.Row(
                [
                    dbc.Col([html.H2("Live values", className="h5"), html.Div(id=ids.LIVE_NOTE,
                                                                             className="small text-body-secondary"),
                             dag.AgGrid(id=ids.LIVE, columnDefs=LIVE_COLUMNS, rowData=[], getRowId="params.data.tag",
                                        style={"height": "420px"})], lg=4),
                    dbc.Col([
                        html.H2("Trend", className="h5"),
                        dbc.Row([dbc.Col(dcc.Dropdown(id=ids.TREND_TAGS, multi=True, placeholder="Tags to plot"), md=8),
                                 dbc.Col(dcc.Dropdown(id=ids.RANGE, options=RANGES, value=8, clearable=False), md=4)],
                                className="g-2 mb-2"),
                        dcc.Loading(dcc.Graph(id=ids.TREND, config={"displaylogo": False}, style={"height": "420px"})),
                        html.Div(id=ids.TREND_NOTE, className="small text-body-secondary"),
                    ], lg=8),
                ],
                className="g-3",
            ),
            dcc.Interval(id=ids.TICK, interval=LIVE_REFRESH_MS),
        ]
    )
