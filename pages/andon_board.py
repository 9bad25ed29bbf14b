"""Managers: the andon board; open and acknowledged calls with their age, the escalation level reached and
who was told; acknowledge, or resolve with a note."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import AndonBoard as ids, MaintenanceIds

dash.register_page(__name__, path="/andon/board", name="Andon board", title="Andon board",
                   permission="andon.manage", area="Management", order=120)

REFRESH_MS = 2000
COLUMNS = [
    {"field": "id", "headerName": "#", "width": 70},
    {"field": "machine", "headerName": "Machine", "flex": 2},
    {"field": "type", "headerName": "Type", "flex": 1, "minWidth": 130},
    {"field": "priority", "headerName": "Priority", "flex": 1,
     "cellClassRules": {"text-danger fw-bold": "params.value == 'critical' || params.value == 'high'"}},
    {"field": "status", "headerName": "Status", "flex": 1, "minWidth": 140},
    {"field": "age", "headerName": "Age", "flex": 1},
    {"field": "level", "headerName": "Escalation", "flex": 1, "minWidth": 130},
    {"field": "told", "headerName": "Told", "flex": 2, "tooltipField": "told"},
    {"field": "note", "headerName": "Note", "flex": 2, "tooltipField": "note"},
    {"field": "raised_by", "headerName": "Raised by", "flex": 1},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Andon board", className="h2"),
            html.Div(id=ids.MESSAGE),
            dbc.Row([
                dbc.Col(dbc.Button("Acknowledge the selected call", id=ids.ACKNOWLEDGE, color="warning", size="lg"),
                        md="auto"),
                dbc.Col(dbc.InputGroup([dbc.Input(id=ids.RESOLUTION, placeholder="How was it resolved?"),
                                        dbc.Button("Resolve", id=ids.RESOLVE, color="success")], size="lg")),
                dbc.Col(dbc.Button("Work order", id=MaintenanceIds.ANDON_WORK_ORDER, color="primary", size="lg"),
                        md="auto"),
            ], className="g-2 mb-3"),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",  # AG Grid wants text ids
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True}},
                       style={"height": "520px"}),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
            dcc.Location(id=MaintenanceIds.ANDON_GO, refresh="callback-nav"),
        ]
    )
