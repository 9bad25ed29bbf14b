"""Admin: users: create, change role, reset password, set the email address, deactivate."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from core.permissions import ROLE_DESCRIPTIONS
from pages.ids import Users as ids

dash.register_page(__name__, path="/admin/users", name="Users", permission="users.manage", area="Admin", order=900)

ROLE_OPTIONS = [{"label": f"{role.replace('_', ' ')}", "value": role, "title": text}
                for role, text in ROLE_DESCRIPTIONS.items()]

COLUMNS = [
    {"field": "username", "headerName": "User name", "filter": True},
    {"field": "display_name", "headerName": "Name", "filter": True},
    {"field": "role", "headerName": "Role", "filter": True},
    {"field": "email", "headerName": "Email", "filter": True},
    {"field": "active", "headerName": "Active", "cellDataType": "text"},
    {"field": "last_login_at", "headerName": "Last login (UTC)", "cellDataType": "text"},
    {"field": "created_at", "headerName": "Created (UTC)", "cellDataType": "text"},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Users", className="h2"),
            html.Div(id=ids.MESSAGE),
            dbc.Row(
                [
                    dbc.Col(
                        dag.AgGrid(
                            id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.username",
                            columnSize="responsiveSizeToFit", dashGridOptions={"rowSelection": {"mode": "singleRow"}},
                            style={"height": "520px"},
                        ),
                        lg=8, className="mb-3",
                    ),
                    dbc.Col([_new_user_card(), _selected_user_card()], lg=4),
                ]
            ),
        ]
    )


def _new_user_card() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader("New user"),
            dbc.CardBody(
                [
                    dbc.Label("User name", html_for=ids.NEW_USERNAME),
                    dbc.Input(id=ids.NEW_USERNAME, autoComplete="off", className="mb-2"),
                    dbc.Label("Full name", html_for=ids.NEW_DISPLAY_NAME),
                    dbc.Input(id=ids.NEW_DISPLAY_NAME, autoComplete="off", className="mb-2"),
                    dbc.Label("Role", html_for=ids.NEW_ROLE),
                    dbc.Select(id=ids.NEW_ROLE, options=ROLE_OPTIONS, value="operator", className="mb-2"),
                    dbc.Label("Password (at least 10 characters)", html_for=ids.NEW_PASSWORD),
                    dbc.Input(id=ids.NEW_PASSWORD, type="password", autoComplete="new-password", className="mb-2"),
                    dbc.Label("Email (andon escalations, reports; optional)", html_for=ids.NEW_EMAIL),
                    dbc.Input(id=ids.NEW_EMAIL, type="email", autoComplete="off", className="mb-3"),
                    dbc.Button("Create user", id=ids.CREATE, color="primary", className="w-100 touch-target"),
                ]
            ),
        ],
        className="mb-3",
    )


def _selected_user_card() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(["Selected user: ", html.Strong("none", id=ids.SELECTED)]),
            dbc.CardBody(
                html.Fieldset(
                    [
                        dbc.Label("Role", html_for=ids.EDIT_ROLE),
                        dbc.InputGroup(
                            [dbc.Select(id=ids.EDIT_ROLE, options=ROLE_OPTIONS),
                             dbc.Button("Change role", id=ids.CHANGE_ROLE, color="secondary")],
                            className="mb-3",
                        ),
                        dbc.Label("New password", html_for=ids.EDIT_PASSWORD),
                        dbc.InputGroup(
                            [dbc.Input(id=ids.EDIT_PASSWORD, type="password", autoComplete="new-password"),
                             dbc.Button("Reset password", id=ids.RESET_PASSWORD, color="secondary")],
                            className="mb-3",
                        ),
                        dbc.Label("Email (empty: none)", html_for=ids.EDIT_EMAIL),
                        dbc.InputGroup(
                            [dbc.Input(id=ids.EDIT_EMAIL, type="email", autoComplete="off"),
                             dbc.Button("Change email", id=ids.CHANGE_EMAIL, color="secondary")],
                            className="mb-3",
                        ),
                        dbc.Button("Deactivate", id=ids.TOGGLE_ACTIVE, color="danger", className="w-100 touch-target"),
                    ],
                    id=ids.EDIT_PANEL, disabled=True,
                )
            ),
        ]
    )
