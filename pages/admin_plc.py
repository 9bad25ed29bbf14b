"""Admin: a machine's PLC address and tag map, saved to the plant configuration, and a connection test."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.plant.config_schema import PLC_DRIVERS, TAG_ROLES
from pages.ids import AdminPlc as ids

dash.register_page(__name__, path="/admin/plc", name="PLC tags", title="PLC tags", permission="datasources.manage",
                   area="Admin", order=910)

ROLE_HELP = {"running": "true while running", "speed": "running when > 0 (if no running tag)",
             "good": "cumulative good count", "reject": "cumulative reject count", "faults": "fault word (bits)",
             "changeover": "true during setup", "product": "current product code"}
RESULT_COLUMNS = [{"field": "tag", "headerName": "Tag", "flex": 2}, {"field": "value", "headerName": "Value", "flex": 1},
                  {"field": "type", "headerName": "Type", "flex": 1}, {"field": "quality", "headerName": "Quality",
                                                                         "flex": 2}]


def _field(label: str, control, help_text: str = "") -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control.id), control,
                    dbc.FormText(help_text) if help_text else None], md=3)


def layout(**_query):
    role_inputs = [dbc.Col([dbc.Label(role),
                            dbc.Input(id={"type": ids.ROLE_TAG, "role": role}, placeholder="tag name"),
                            dbc.FormText(ROLE_HELP[role])], md=3) for role in TAG_ROLES]
    return html.Div(
        [
            html.H1("PLC tags", className="h2"),
            html.P("Where each machine's data comes from. Saved settings go into the plant configuration "
                   "(`floorboard plant dump` shows them) and the jobs process picks them up within seconds.",
                   className="text-body-secondary"),
            dbc.Row([dbc.Col(dcc.Dropdown(id=ids.MACHINE, placeholder="Choose a machine", clearable=False), md=4)],
                    className="mb-3"),
            dbc.Row([
                _field("Driver", dbc.Select(id=ids.DRIVER, options=[{"label": "none (API or sync)", "value": ""}] +
                                            [{"label": d, "value": d} for d in PLC_DRIVERS])),
                _field("Address", dbc.Input(id=ids.ADDRESS, placeholder="192.168.1.10"), "IP address (:port if not 44818)"),
                _field("Slot", dbc.Input(id=ids.SLOT, type="number", min=0, max=31, step=1), "Logix CPU slot"),
                _field("Read every (s)", dbc.Input(id=ids.RATE, type="number", min=0.1, step=0.1)),
                _field("Timeout (s)", dbc.Input(id=ids.TIMEOUT, type="number", min=0.1, step=0.1)),
            ], className="g-3 mb-3"),
            html.H2("Tags by role", className="h5"),
            dbc.Row(role_inputs, className="g-3 mb-3"),
            dbc.Row([
                dbc.Col([dbc.Label("Trend tags (one per line)", html_for=ids.TREND_TAGS),
                         dbc.Textarea(id=ids.TREND_TAGS, rows=4)], md=4),
                dbc.Col([dbc.Label("Declared tag types (Tag = DINT), to skip the tag-list upload",
                                   html_for=ids.TAG_TYPES), dbc.Textarea(id=ids.TAG_TYPES, rows=4)], md=4),
                dbc.Col([dbc.Label("Trend deadbands (Tag = 0.5)", html_for=ids.DEADBANDS),
                         dbc.Textarea(id=ids.DEADBANDS, rows=4)], md=4),
            ], className="g-3 mb-3"),
            dbc.Row([dbc.Col([dbc.Button("Save", id=ids.SAVE, color="primary", className="me-2"),
                              dbc.Button("Test connection", id=ids.TEST, color="secondary")])], className="mb-3"),
            dcc.Loading(html.Div(id=ids.MESSAGE)),
            dag.AgGrid(id=ids.TEST_RESULT, columnDefs=RESULT_COLUMNS, rowData=[], style={"height": "320px"}),
        ]
    )
