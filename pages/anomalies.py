"""Engineers: where machines behaved oddly while running — a timeline with a row per machine and a bar per stretch
of odd minutes (coloured by how odd, what was odd on hover), and the latest stretches with a link to the machine's
tag trend at that time."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Anomalies as ids

dash.register_page(__name__, path="/engineering/anomalies", name="Anomalies", title="Anomalies",
                   permission="predictions.view", area="Engineering", order=306)  # beside the fault analysis

REFRESH_MS = 60_000  # stretches are stored by the scoring job; a minute is soon enough
WINDOWS = [{"label": "Last 24 hours", "value": 24}, {"label": "Last 7 days", "value": 168}]
COLUMNS = [
    {"field": "machine", "headerName": "Machine", "width": 120},
    {"field": "began", "headerName": "Began", "width": 170},
    {"field": "minutes", "headerName": "Minutes", "width": 110, "type": "numericColumn"},
    {"field": "score", "headerName": "Score", "width": 100, "type": "numericColumn",
     "headerTooltip": "IsolationForest score of the oddest minute: lower is odder"},
    {"field": "detail", "headerName": "What was odd", "flex": 1, "minWidth": 260, "wrapText": True,
     "autoHeight": True},
    {"field": "trend", "headerName": "Trend", "width": 120, "cellRenderer": "markdown", "sortable": False},
]


def layout(**_query):
    return html.Div([
        dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        html.Div([html.H1("Anomalies", className="h2 mb-0"),
                  dbc.RadioItems(id=ids.WINDOW, options=WINDOWS, value=24, inline=True, className="btn-group",
                                 inputClassName="btn-check", labelClassName="btn btn-outline-secondary",
                                 labelCheckedClassName="active")],
                 className="anomalies-title"),
        html.Div(id=ids.NOTE, className="mb-3"),
        dbc.Card([dbc.CardHeader("Odd behaviour while running, by machine"),
                  dbc.CardBody([dcc.Loading(dcc.Graph(id=ids.TIMELINE, config={"displaylogo": False})),
                                html.Div("A bar is a stretch of odd minutes; the darker, the odder. Hover a bar "
                                         "for what was odd. Stopped machines are not judged here: see the "
                                         "fault analysis.", className="small text-body-secondary mt-1")])],
                 className="mb-3"),
        dbc.Card([dbc.CardHeader("Latest stretches"),
                  dbc.CardBody(dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                                          defaultColDef={"sortable": True, "resizable": True},
                                          dashGridOptions={"domLayout": "autoHeight"}, style={"height": None},
                                          className="ag-theme-alpine"))]),
    ])
