"""Shift managers: a line's stops of one day with their reasons; change a reason, or split a stop in two
(a breakdown that ran into the break). The share of stop time still without a reason is shown on top."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import MaintenanceIds, Stops as ids

dash.register_page(__name__, path="/stops", name="Stops and reasons", title="Stops and reasons",
                   permission="stops.edit", area="Management", order=115)

COLUMNS = [
    {"field": "start", "headerName": "Began", "width": 110},
    {"field": "machine", "headerName": "Machine", "flex": 1},
    {"field": "state", "headerName": "State", "flex": 1},
    {"field": "minutes", "headerName": "Minutes", "width": 110, "type": "numericColumn"},
    {"field": "reason", "headerName": "Reason", "flex": 2,
     "cellClassRules": {"text-danger fw-bold": "params.value == 'No reason given'"}},
    {"field": "fault", "headerName": "Fault", "flex": 1},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Stops and reasons", className="h2"),
            dcc.Store(id=ids.REFRESH, data=0),
            dcc.Location(id=MaintenanceIds.STOPS_GO, refresh="callback-nav"),
            dbc.Row([
                dbc.Col(dbc.Select(id=ids.LINE, options=[]), md=4),
                dbc.Col(dcc.DatePickerSingle(id=ids.DAY, display_format="YYYY-MM-DD"), md="auto"),
                dbc.Col(html.Div(id=ids.SHARE, className="fs-5"), md=True),
            ], className="g-2 mb-3 align-items-center"),
            html.Div(id=ids.MESSAGE),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True}},
                       style={"height": "420px"}, className="ag-theme-alpine mb-3"),
            dbc.Row([
                dbc.Col(dbc.Select(id=ids.REASON, options=[], placeholder="Reason"), md=4),
                dbc.Col(dbc.Button("Change the reason", id=ids.CHANGE, color="primary"), md="auto"),
                dbc.Col(dbc.Button("Work order for this stop", id=MaintenanceIds.STOPS_WORK_ORDER, color="warning"),
                        md="auto"),
            ], className="g-2 mb-2"),
            dbc.Row([
                dbc.Col(dbc.InputGroup([dbc.InputGroupText("Split at"),
                                        dbc.Input(id=ids.SPLIT_AT, placeholder="HH:MM or HH:MM:SS")]), md=3),
                dbc.Col(dbc.Select(id=ids.SECOND_REASON, options=[], placeholder="Reason after the split"), md=4),
                dbc.Col(dbc.Button("Split the stop", id=ids.SPLIT, color="secondary"), md="auto"),
            ], className="g-2"),
            html.P("Splitting keeps the reason chosen above for the first part.", className="text-body-secondary"),
        ]
    )
