"""Admin: the report schedules (which report, for which line, when by cron, to whom), and what their recent runs
became: built, sent, or failed and retrying."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import AdminReports as ids

dash.register_page(__name__, path="/admin/reports", name="Report schedules", title="Report schedules",
                   permission="reports.schedule", area="Admin", order=940)

RUNS_REFRESH_MS = 30_000
RUN_COLUMNS = [
    {"field": "due", "headerName": "Due (site time)", "width": 150},
    {"field": "schedule", "headerName": "Schedule", "flex": 2, "tooltipField": "schedule"},
    {"field": "window", "headerName": "Covers", "flex": 2, "tooltipField": "window"},
    {"field": "status", "headerName": "Status", "width": 110,
     "cellClassRules": {"text-danger fw-bold": "params.value == 'failed'",
                        "text-warning-emphasis fw-bold": "params.value == 'retrying'"}},
    {"field": "attempts", "headerName": "Tries", "width": 80},
    {"field": "next", "headerName": "Next try", "width": 150},
    {"field": "size", "headerName": "Size", "width": 100},
    {"field": "recipients", "headerName": "Sent to", "flex": 2, "tooltipField": "recipients"},
    {"field": "error", "headerName": "Error", "flex": 3, "tooltipField": "error"},
]
# Failed and retrying runs stand out in the whole row, so they are seen without reading the status column.
RUN_ROW_STYLE = {"styleConditions": [
    {"condition": "params.data.status == 'failed'", "style": {"backgroundColor": "var(--bs-danger-bg-subtle)"}},
    {"condition": "params.data.status == 'retrying'", "style": {"backgroundColor": "var(--bs-warning-bg-subtle)"}},
]}


def layout(**_query):
    return html.Div(
        [
            html.H1("Report schedules", className="h2"),
            html.P(["Which report is made when, and who gets it by email. Cron has five fields (minute hour "
                    "day-of-month month weekday, Sunday = 0) read in the site's timezone: ", html.Code("5 6 * * 1-6"),
                    " is 06:05 Monday to Saturday. Recipients are role names, user names or email addresses, "
                    "separated by commas. A shift report covers the last shift that ended, daily, downtime and "
                    "custom reports the day before, a weekly report the Monday to Sunday before. A custom report "
                    "is made of the sections named (comma-separated keys, listed in the column's tooltip: ",
                    html.Code("pareto, reliability, stops"), ") of the lines named (blank: the whole plant). "
                    "Saved schedules go into the plant configuration (", html.Code("floorboard plant dump"),
                    " shows them); the jobs process makes them from its next check."], className="text-body-secondary"),
            dbc.Row([dbc.Col([dbc.Button("Add a schedule", id=ids.ADD, color="secondary", className="me-2"),
                              dbc.Button("Remove the selected schedule", id=ids.REMOVE, color="secondary",
                                         className="me-2"),
                              dbc.Button("Save", id=ids.SAVE, color="primary", className="me-2"),
                              dbc.Button("Discard changes", id=ids.RELOAD, color="link")])], className="mb-2"),
            html.Div(id=ids.MESSAGE),
            # A plant has a handful of schedules: the table grows with them instead of scrolling inside itself.
            dag.AgGrid(id=ids.GRID, columnDefs=[], rowData=[], getRowId="params.data.key",
                       defaultColDef={"resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True},
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True},
                                        "singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True,
                                        "tooltipShowDelay": 300, "domLayout": "autoHeight"},
                       style={"height": None}, className="mb-4"),
            html.H2("Recent runs of scheduled reports", className="h5"),
            html.P("Newest first; a failed send is retried with a growing wait and stays listed here.",
                   className="text-body-secondary small"),
            dag.AgGrid(id=ids.RUNS, columnDefs=RUN_COLUMNS, rowData=[], getRowStyle=RUN_ROW_STYLE,
                       defaultColDef={"resizable": True}, dashGridOptions={"tooltipShowDelay": 300},
                       style={"height": "380px"}),
            dcc.Interval(id=ids.TICK, interval=RUNS_REFRESH_MS),
        ]
    )
