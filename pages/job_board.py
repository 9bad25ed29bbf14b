"""Managers: the job assignment board; create a work order, assign its job to an operator on a machine, see
every job by status, cancel one with a reason."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.job_workflow.lifecycle import LABELS
from pages.ids import JobBoard as ids

dash.register_page(__name__, path="/jobs/board", name="Job assignment", title="Job assignment",
                   permission="jobs.assign", area="Management", order=110)

REFRESH_MS = 5000
COLUMNS = [
    {"field": "id", "headerName": "#", "width": 80},
    {"field": "status", "headerName": "Status", "flex": 1, "minWidth": 130},  # rows come in lifecycle order
    {"field": "work_order", "headerName": "Work order", "flex": 1, "minWidth": 120},
    {"field": "product", "headerName": "Product", "flex": 2},
    {"field": "quantity", "headerName": "Qty", "width": 100},
    {"field": "machine", "headerName": "Machine", "flex": 1},
    {"field": "operator", "headerName": "Operator", "flex": 1},
    {"field": "due", "headerName": "Due", "flex": 1, "minWidth": 110},
    {"field": "made", "headerName": "Good / scrap", "flex": 1, "minWidth": 130},
    {"field": "note", "headerName": "Note", "flex": 2, "tooltipField": "note"},
]


def _field(label: str, control, width: int = 3) -> dbc.Col:
    return dbc.Col([dbc.Label(label, className="mb-1"), control], md=width)


def layout(**_query):
    new_order = [
        dbc.Row([
            _field("Number", dbc.Input(id=ids.NUMBER, placeholder="WO-1001"), 2),
            _field("Product", dcc.Dropdown(id=ids.PRODUCT, placeholder="Product"), 4),
            _field("Quantity", dbc.Input(id=ids.QUANTITY, type="number", min=1, step=1), 2),
            _field("Line or machine", dcc.Dropdown(id=ids.WHERE, placeholder="Where"), 4),
        ], className="g-2 mb-2"),
        dbc.Row([
            _field("Due", dcc.DatePickerSingle(id=ids.DUE, display_format="YYYY-MM-DD"), 3),
            _field("Lot number (optional)", dbc.Input(id=ids.LOT), 3),
            dbc.Col(dbc.Button("Create work order", id=ids.CREATE, color="primary", size="lg", className="w-100"),
                    md=3, className="d-flex align-items-end"),
        ], className="g-2 mb-3"),
    ]
    assign = dbc.Row([
        _field("Work order", dcc.Dropdown(id=ids.WORK_ORDER, placeholder="Work order"), 4),
        _field("Operator", dcc.Dropdown(id=ids.OPERATOR, placeholder="Operator"), 3),
        _field("Machine", dcc.Dropdown(id=ids.MACHINE, placeholder="Machine"), 3),
        dbc.Col(dbc.Button("Assign", id=ids.ASSIGN, color="primary", size="lg", className="w-100"), md=2,
                className="d-flex align-items-end"),
    ], className="g-2 mb-3")
    return html.Div(
        [
            html.H1("Job assignment", className="h2"),
            html.Div(id=ids.MESSAGE),
            html.H2("New work order", className="h5 mt-3"),
            *new_order,
            html.H2("Assign a job", className="h5"),
            assign,
            dbc.Row([
                dbc.Col(dcc.Dropdown(id=ids.STATUS, placeholder="Every status", multi=True,
                                     options=[{"label": label, "value": status} for status, label in LABELS.items()]),
                        md=4),
                dbc.Col(dbc.InputGroup([dbc.Input(id=ids.REASON, placeholder="Why cancel the selected job?"),
                                        dbc.Button("Cancel job", id=ids.CANCEL, color="danger")], size="lg"), md=8),
            ], className="g-2 mb-2"),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True}},
                       style={"height": "480px"}),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ]
    )
