"""Maintenance and engineers: the work orders (filters by state, machine and assignee), overdue preventive work
on top, the preventive plans and where each stands, and MTTR from work orders beside MTTR from stops."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import MaintenanceIds as ids

dash.register_page(__name__, path="/maintenance", name="Maintenance work orders", title="Maintenance",
                   permission="workorders.manage", area="Engineering", order=310)

REFRESH_MS = 30_000
STATES = [{"label": "Not done", "value": "not_done"}, {"label": "Open", "value": "open"},
          {"label": "In progress", "value": "in_progress"}, {"label": "Done", "value": "done"},
          {"label": "All", "value": "all"}]
WINDOWS = [{"label": "last 7 days", "value": "7"}, {"label": "last 30 days", "value": "30"},
           {"label": "last 90 days", "value": "90"}]
COLUMNS = [
    {"field": "open", "headerName": "#", "width": 90, "cellRenderer": "markdown", "sortable": False},
    {"field": "kind", "headerName": "Kind", "width": 120},
    {"field": "machine", "headerName": "Machine", "width": 110},
    {"field": "title", "headerName": "Title", "flex": 2, "minWidth": 220, "tooltipField": "title"},
    {"field": "state", "headerName": "State", "width": 170,
     "cellClassRules": {"text-danger fw-bold": "params.data.overdue"}},
    {"field": "assignee", "headerName": "Assignee", "width": 140},
    {"field": "created", "headerName": "Created", "width": 150},
    {"field": "due", "headerName": "Due", "width": 160,
     "cellClassRules": {"text-danger fw-bold": "params.data.overdue"}},
    {"field": "tasks", "headerName": "Tasks", "width": 100},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Maintenance work orders", className="h2"),
            html.Div(id=ids.OVERDUE),
            dbc.Row([
                dbc.Col(dbc.Select(id=ids.STATE, options=STATES, value="not_done", size="lg"), md=3),
                dbc.Col(dbc.Select(id=ids.MACHINE, options=[], placeholder="Every machine", size="lg"), md=3),
                dbc.Col(dbc.Select(id=ids.ASSIGNEE, options=[], placeholder="Anyone", size="lg"), md=3),
            ], className="g-2 mb-3"),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                       defaultColDef={"sortable": True, "resizable": True},
                       dashGridOptions={"rowHeight": 48, "tooltipShowDelay": 300},
                       style={"height": "440px"}, className="ag-theme-alpine mb-4"),
            dbc.Row([
                dbc.Col(dbc.Card([dbc.CardHeader(dbc.Row([
                    dbc.Col(html.Span("MTTR by machine: from work orders and from stops"), className="pt-2"),
                    dbc.Col(dbc.Select(id=ids.DAYS, options=WINDOWS, value="30"), width="auto")])),
                    dbc.CardBody(html.Div(id=ids.MTTR))], className="mb-3"), lg=7),
                dbc.Col(dbc.Card([dbc.CardHeader("Preventive plans"), dbc.CardBody(html.Div(id=ids.PLANS))],
                                 className="mb-3"), lg=5),
            ]),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ]
    )
