"""Quality (tablet or PC): record a check from a template with big inputs and in/out-of-limits feedback as
each value is typed, record scrap with its defect code, see the recent checks and scrap and first-pass yield
by machine."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Quality as ids

dash.register_page(__name__, path="/quality", name="Quality", title="Quality", permission="quality.manage",
                   area="Quality", order=300)

PERIODS = [{"label": "Today", "value": "today"}, {"label": "Yesterday", "value": "yesterday"},
           {"label": "Last 7 days", "value": "week"}]
CHECK_COLUMNS = [{"field": "at", "headerName": "When", "width": 105}, {"field": "machine", "width": 90},
                 {"field": "check", "flex": 1, "minWidth": 170}, {"field": "result", "width": 135},
                 {"field": "by", "width": 90}, {"field": "andon", "headerName": "Andon", "width": 80}]
SCRAP_COLUMNS = [{"field": "at", "headerName": "When", "width": 150}, {"field": "machine", "width": 110},
                 {"field": "quantity", "width": 110}, {"field": "defect", "flex": 1},
                 {"field": "counted", "headerName": "Counted as", "flex": 1}, {"field": "by", "width": 120}]


def _check_card() -> dbc.Card:
    return dbc.Card([
        dbc.CardHeader("Quality check", className="fs-4"),
        dbc.CardBody([
            dcc.Dropdown(id=ids.TEMPLATE, clearable=False, searchable=False, placeholder="Check",
                         className="quality-select mb-3"),
            html.Div(id=ids.FORM),
            dcc.Store(id=ids.LIMITS),
            dbc.Input(id=ids.NOTE, placeholder="Note (optional)", maxLength=2000, className="quality-note mt-3"),
            dbc.Button("Record check", id=ids.SUBMIT, color="primary", size="lg", className="quality-submit mt-3 w-100"),
            html.Div(id=ids.RESULT, className="mt-3"),
        ]),
    ], className="mb-3")


def _scrap_card() -> dbc.Card:
    return dbc.Card([
        dbc.CardHeader("Scrap", className="fs-4"),
        dbc.CardBody([
            dbc.Label("Units scrapped", html_for=ids.SCRAP_QUANTITY, className="fs-5"),
            dbc.Input(id=ids.SCRAP_QUANTITY, type="number", min=1, step=1, inputMode="numeric",
                      className="quality-input mb-3"),
            dbc.Label("Defect", className="fs-5"),
            dcc.Dropdown(id=ids.SCRAP_DEFECT, placeholder="Defect code", className="quality-select mb-3"),
            dbc.Label("Made", className="fs-5"),
            dcc.Dropdown(id=ids.SCRAP_MADE, value="latest", clearable=False, searchable=False,
                         options=[{"label": "Latest production", "value": "latest"}], className="quality-select mb-3"),
            dbc.Input(id=ids.SCRAP_NOTE, placeholder="Note (optional)", maxLength=2000, className="quality-note"),
            dbc.Button("Record scrap", id=ids.SCRAP_RECORD, color="warning", size="lg",
                       className="quality-submit mt-3 w-100"),
            html.Div(id=ids.SCRAP_RESULT, className="mt-3"),
        ]),
    ], className="mb-3")


def layout(**_query):
    return html.Div([
        html.H1("Quality", className="h2"),
        dbc.Row([dbc.Col(dcc.Dropdown(id=ids.MACHINE, clearable=False, searchable=False, placeholder="Machine",
                                      className="quality-select"), md=6),
                 dbc.Col(dcc.Link("Control charts →", href="/quality/spc", className="fs-5"), md="auto",
                         className="ms-auto align-self-center")], className="mb-3"),
        dbc.Row([dbc.Col(_check_card(), lg=7), dbc.Col(_scrap_card(), lg=5)]),
        dcc.Store(id=ids.REFRESH, data=0),
        dbc.Row([dbc.Col(html.H2("Recent", className="h4"), md="auto"),
                 dbc.Col(dbc.RadioItems(id=ids.PERIOD, options=PERIODS, value="today", inline=True,
                                        inputClassName="btn-check", labelClassName="btn btn-outline-info me-2",
                                        labelCheckedClassName="active"), md="auto")],
                className="g-2 align-items-center mb-2"),
        dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader("First-pass yield by machine"), dbc.CardBody([
                dcc.Graph(id=ids.FPY, config={"displayModeBar": False}, style={"height": "320px"}),
                html.Div(id=ids.FPY_LINES, className="text-body-secondary")])], className="mb-3"), lg=5),
            dbc.Col(dbc.Card([dbc.CardHeader("Checks"), dbc.CardBody(
                dag.AgGrid(id=ids.CHECKS, columnDefs=CHECK_COLUMNS, rowData=[], getRowId="params.data.key",
                           style={"height": "320px"}, className="ag-theme-alpine"))], className="mb-3"), lg=7),
        ]),
        dbc.Card([dbc.CardHeader("Scrap"), dbc.CardBody([
            dag.AgGrid(id=ids.SCRAP, columnDefs=SCRAP_COLUMNS, rowData=[], getRowId="params.data.key",
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True}},
                       style={"height": "300px"}, className="ag-theme-alpine mb-2"),
            dbc.Button("Take back the selected entry", id=ids.VOID, color="secondary"),
            html.Div(id=ids.VOID_MESSAGE, className="mt-2"),
        ])], className="mb-3"),
    ], className="quality-page")
