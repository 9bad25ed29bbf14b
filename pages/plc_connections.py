"""Engineers: every PLC connection's health (state, last good read, errors, latency), the local spool, outages."""

import dash
import dash_ag_grid as dag
from dash import dcc, html

from pages.ids import PlcConnections as ids

dash.register_page(__name__, path="/engineering/plc", name="PLC connections", title="PLC connections",
                   permission="faults.view", area="Engineering", order=300)

REFRESH_MS = 5000

CONNECTION_COLUMNS = [
    {"field": "connection", "headerName": "Connection", "flex": 2},
    {"field": "state", "headerName": "State", "flex": 1,
     "cellClassRules": {"text-danger fw-bold": "params.value == 'retrying'", "text-success": "params.value == 'connected'"}},
    {"field": "machines", "headerName": "Machines", "flex": 1},
    {"field": "last_good_read", "headerName": "Last good read (site time)", "flex": 2},
    {"field": "latency", "headerName": "Latency (ms)", "flex": 1.2, "type": "rightAligned"},
    {"field": "reads", "headerName": "Reads", "flex": 1, "type": "rightAligned"},
    {"field": "errors", "headerName": "Errors", "flex": 1, "type": "rightAligned"},
    {"field": "last_error", "headerName": "Last error", "flex": 3, "tooltipField": "last_error"},
]
OUTAGE_COLUMNS = [
    {"field": "machine", "headerName": "Machine", "flex": 1},
    {"field": "started", "headerName": "No signal from (site time)", "flex": 2},
    {"field": "ended", "headerName": "Until", "flex": 2},
    {"field": "lasted", "headerName": "Lasted", "flex": 1},
    {"field": "error", "headerName": "Error", "flex": 3, "tooltipField": "error"},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("PLC connections", className="h2"),
            html.P("One line per controller: the jobs process reads its tags at the machines' rate and reports here "
                   "every few seconds. Readings wait in a local spool until the database has them.",
                   className="text-body-secondary"),
            html.Div(id=ids.WARNING),
            dag.AgGrid(id=ids.GRID, columnDefs=CONNECTION_COLUMNS, rowData=[], getRowId="params.data.connection",
                       style={"height": "320px"}, className="mb-4"),
            html.H2("Outages", className="h4"),
            dag.AgGrid(id=ids.OUTAGES, columnDefs=OUTAGE_COLUMNS, rowData=[], style={"height": "320px"}),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ]
    )
