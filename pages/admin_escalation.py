"""Admin: the andon escalation rules (per priority, its levels: after how many minutes, counted from the call
or its acknowledgement, who is told and how), and where recent email and webhook notices stand."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.plant.config_schema import PRIORITIES
from pages.ids import AdminEscalation as ids

dash.register_page(__name__, path="/admin/escalation", name="Escalation rules", title="Escalation rules",
                   permission="plant.configure", area="Admin", order=930)

NOTICES_REFRESH_MS = 10_000
LEVEL_COLUMNS = [
    {"field": "priority", "headerName": "Priority", "flex": 1, "cellEditor": "agSelectCellEditor",
     "cellEditorParams": {"values": list(PRIORITIES)}},
    {"field": "after", "headerName": "Counted from", "flex": 1, "cellEditor": "agSelectCellEditor",
     "cellEditorParams": {"values": ["raised", "acknowledged"]}},
    {"field": "after_minutes", "headerName": "After (min)", "flex": 1, "cellEditor": "agNumberCellEditor"},
    {"field": "notify", "headerName": "Notify (roles, users, emails, webhook URLs)", "flex": 4,
     "tooltipField": "notify"},
    {"field": "channels", "headerName": "Channels (app, email, webhook)", "flex": 2},
]
NOTICE_COLUMNS = [
    {"field": "created", "headerName": "Planned (UTC)", "flex": 2},
    {"field": "call", "headerName": "Call", "flex": 1},
    {"field": "call_status", "headerName": "Call status", "flex": 1},
    {"field": "level", "headerName": "Level", "flex": 1},
    {"field": "channel", "headerName": "Channel", "flex": 1},
    {"field": "recipient", "headerName": "To", "flex": 3, "tooltipField": "recipient"},
    {"field": "status", "headerName": "Status", "flex": 1,
     "cellClassRules": {"text-danger fw-bold": "params.value == 'failed'"}},
    {"field": "attempts", "headerName": "Tries", "width": 80},
    {"field": "next", "headerName": "Next try (UTC)", "flex": 2},
    {"field": "error", "headerName": "Error", "flex": 4, "tooltipField": "error"},
]
NOTICE_STATUSES = [{"label": "all", "value": ""}, {"label": "waiting to be sent", "value": "pending"},
                   {"label": "failed", "value": "failed"}, {"label": "sent", "value": "sent"},
                   {"label": "not sent: call moved on", "value": "void"},
                   {"label": "skipped: rules changed after its time", "value": "skipped"}]


def layout(**_query):
    return html.Div(
        [
            html.H1("Escalation rules", className="h2"),
            html.P("Who is told about an andon call, and when: per priority, each level counts minutes from the "
                   "call (until it is acknowledged) or from its acknowledgement (until it is resolved). Notify "
                   "takes role names, user names, email addresses and http(s) webhook URLs, separated by commas; "
                   "webhook URLs are posted on the webhook channel only. Saved rules go into the plant "
                   "configuration (`floorboard plant dump` shows them); the jobs process uses them at its next "
                   "check. A level an open call has already passed when you save is skipped for that call, "
                   "not sent late. A priority without levels tells nobody.", className="text-body-secondary"),
            dbc.Row([dbc.Col([dbc.Button("Add a level", id=ids.ADD, color="secondary", className="me-2"),
                              dbc.Button("Remove the selected level", id=ids.REMOVE, color="secondary",
                                         className="me-2"),
                              dbc.Button("Save", id=ids.SAVE, color="primary", className="me-2"),
                              dbc.Button("Discard changes", id=ids.RELOAD, color="link")])], className="mb-2"),
            html.Div(id=ids.MESSAGE),
            dag.AgGrid(id=ids.GRID, columnDefs=LEVEL_COLUMNS, rowData=[], getRowId="params.data.key",
                       defaultColDef={"editable": True, "resizable": True},
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True},
                                        "singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True},
                       style={"height": "360px"}, className="mb-4"),
            html.H2("Recent email and webhook notices", className="h5"),
            dbc.Row([dbc.Col(dbc.Select(id=ids.NOTICE_STATUS, options=NOTICE_STATUSES, value=""), md=3)],
                    className="mb-2"),
            dag.AgGrid(id=ids.NOTICES, columnDefs=NOTICE_COLUMNS, rowData=[], style={"height": "420px"}),
            dcc.Interval(id=ids.TICK, interval=NOTICES_REFRESH_MS),
        ]
    )
