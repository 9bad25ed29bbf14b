"""Managers: pre-start checklist compliance by line and shift over a date range: required, completed,
passed."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import ChecklistCompliance as ids

dash.register_page(__name__, path="/checklists/compliance", name="Checklist compliance",
                   title="Checklist compliance", permission="checklists.review", area="Management", order=125)

COLUMNS = [
    {"field": "day", "headerName": "Day", "width": 130},
    {"field": "shift", "headerName": "Shift", "width": 120},
    {"field": "line", "headerName": "Line", "flex": 2},
    {"field": "required", "headerName": "Required", "type": "numericColumn", "flex": 1},
    {"field": "completed", "headerName": "Completed", "type": "numericColumn", "flex": 1},
    {"field": "passed", "headerName": "Passed", "type": "numericColumn", "flex": 1},
    {"field": "compliance", "headerName": "Compliance", "type": "numericColumn", "flex": 1,
     "valueFormatter": {"function": "params.value == null ? '—' : Math.round(params.value * 100) + ' %'"},
     "cellClassRules": {"text-danger fw-bold": "params.value != null && params.value < 1"}},
    {"field": "completions", "headerName": "Completions", "type": "numericColumn", "flex": 1},
    {"field": "failed", "headerName": "Failed", "type": "numericColumn", "flex": 1,
     "cellClassRules": {"text-warning fw-bold": "params.value > 0"}},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Checklist compliance", className="h2"),
            dbc.Row([
                dbc.Col(dcc.DatePickerRange(id=ids.DATES, display_format="YYYY-MM-DD", minimum_nights=0), md="auto"),
                dbc.Col(dcc.Dropdown(id=ids.LINE, placeholder="All lines"), md=4),
            ], className="g-2 mb-3"),
            html.Div(id=ids.SUMMARY, className="mb-2 fs-5"),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                       dashGridOptions={"animateRows": False}, style={"height": "560px"}),
        ]
    )
