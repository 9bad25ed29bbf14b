"""Managers: build a production report now (shift, daily, weekly, downtime) and download it as PDF, Excel or CSV;
the reports built so far, by hand or by a schedule, with what became of their email."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Reports as ids

dash.register_page(__name__, path="/reports", name="Reports", title="Reports", permission="reports.view",
                   area="Management", order=130)

KINDS = [{"label": "Shift report (one line)", "value": "shift"}, {"label": "Daily plant report", "value": "daily"},
         {"label": "Weekly report", "value": "weekly"}, {"label": "Downtime analysis", "value": "downtime"},
         {"label": "Custom (chosen sections and lines)", "value": "custom"}]
HISTORY_COLUMNS = [
    {"field": "created", "headerName": "Built", "width": 150},
    {"field": "source", "headerName": "By", "flex": 2, "tooltipField": "source"},
    {"field": "kind", "headerName": "Report", "width": 110},
    {"field": "line", "headerName": "Line", "width": 90},
    {"field": "window", "headerName": "Window", "flex": 3, "tooltipField": "window"},
    {"field": "status", "headerName": "Status", "width": 110,
     "cellClassRules": {"text-danger fw-bold": "params.value == 'failed' || params.value == 'retrying'"}},
    {"field": "size", "headerName": "Size", "width": 100},
    {"field": "to", "headerName": "Sent to", "flex": 2, "tooltipField": "to"},
    {"field": "error", "headerName": "Error", "flex": 2, "tooltipField": "error"},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Reports", className="h2"),
            dcc.Store(id=ids.REFRESH, data=0),
            dbc.Row([
                dbc.Col([dbc.Label("Report", html_for=ids.KIND),
                         dbc.Select(id=ids.KIND, options=KINDS, value="daily")], md=3),
                dbc.Col([dbc.Label("Line", html_for=ids.LINE), dbc.Select(id=ids.LINE, options=[], value="")], md=2),
                dbc.Col([dbc.Label("Day", html_for=ids.DAY),
                         dcc.DatePickerSingle(id=ids.DAY, display_format="YYYY-MM-DD", className="d-block")],
                        md="auto"),
                dbc.Col([dbc.Label("Shift", html_for=ids.SHIFT), dbc.Select(id=ids.SHIFT, options=[])], md=2,
                        id=ids.SHIFT_FIELD),
                dbc.Col([dbc.Label("Last day (optional)", html_for=ids.LAST_DAY),
                         dcc.DatePickerSingle(id=ids.LAST_DAY, display_format="YYYY-MM-DD", clearable=True,
                                              className="d-block")], md="auto", id=ids.LAST_DAY_FIELD),
            ], className="g-3 mb-3 align-items-end"),
            dbc.Row([
                dbc.Col([dbc.Label("Lines (none: whole plant)", html_for=ids.LINES),
                         dcc.Dropdown(id=ids.LINES, options=[], value=[], multi=True)], md=4),
                dbc.Col([dbc.Label("Sections", html_for=ids.SECTIONS),
                         dbc.Checklist(id=ids.SECTIONS, options=[], value=[], inline=True)], md=8),
            ], id=ids.CUSTOM_FIELDS, className="g-3 mb-3", style={"display": "none"}),
            html.Div([dbc.Button("Download PDF", id=ids.PDF, color="primary", className="me-2"),
                      dbc.Button("Download Excel", id=ids.XLSX, color="secondary", className="me-2"),
                      dbc.Button("Download CSV", id=ids.CSV, color="secondary")], className="mb-3"),
            dcc.Loading(html.Div(id=ids.MESSAGE), type="dot"),
            dcc.Download(id=ids.DOWNLOAD),
            html.H2("Reports built", className="h4 mt-4"),
            dag.AgGrid(id=ids.HISTORY, columnDefs=HISTORY_COLUMNS, rowData=[], getRowId="params.data.key",
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True}},
                       style={"height": "360px"}, className="mb-2"),
            dbc.Row([
                dbc.Col(dbc.Button("Download the chosen report's PDF", id=ids.HISTORY_DOWNLOAD, color="secondary"),
                        md="auto"),
                dbc.Col(dbc.InputGroup([dbc.Input(id=ids.SEND_TO, placeholder="roles, user names or addresses"),
                                        dbc.Button("Email the chosen report", id=ids.SEND, color="primary")]),
                        md=6),
            ], className="g-2"),
        ]
    )
