"""Admin: API keys for devices and other systems: create (shown once), list, revoke."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from pages.ids import ApiKeys as ids

dash.register_page(__name__, path="/admin/api-keys", name="API keys", permission="datasources.manage", area="Admin",
                   order=920)

COLUMNS = [
    {"field": "name", "headerName": "Name", "flex": 2},
    {"field": "prefix", "headerName": "Starts with", "flex": 1},
    {"field": "created", "headerName": "Created (UTC)", "flex": 1, "cellDataType": "text"},
    {"field": "created_by", "headerName": "By", "flex": 1},
    {"field": "last_used", "headerName": "Last used (UTC)", "flex": 1, "cellDataType": "text"},
    {"field": "status", "headerName": "Status", "flex": 1},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("API keys", className="h2"),
            html.P("Devices without a PLC connection and other systems send machine events to /api/v1 with one of "
                   "these keys. A key is shown once, when it is made; Floorboard keeps only its hash.",
                   className="text-body-secondary"),
            html.Div(id=ids.MESSAGE),
            dbc.Row(
                [
                    dbc.Col(dbc.InputGroup([dbc.Input(id=ids.NEW_NAME, placeholder="Name, e.g. line1-gateway"),
                                            dbc.Button("Create key", id=ids.CREATE, color="primary")]), md=6),
                    dbc.Col(dbc.Button("Revoke the selected key", id=ids.REVOKE, color="danger"), md=6,
                            className="text-md-end"),
                ],
                className="mb-3 g-2",
            ),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.name",
                       dashGridOptions={"rowSelection": {"mode": "singleRow"}}, style={"height": "420px"}),
        ]
    )
