"""Admin: the audit log, filtered and paged on the server."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Audit as ids

dash.register_page(__name__, path="/admin/audit", name="Audit log", permission="audit.view", area="Admin", order=910)

COLUMNS = [
    {"field": "at", "headerName": "When (UTC)", "flex": 2, "cellDataType": "text"},
    {"field": "actor", "headerName": "Who", "flex": 1},
    {"field": "action", "headerName": "Action", "flex": 1},
    {"field": "target", "headerName": "What", "flex": 2},
    {"field": "detail", "headerName": "Detail", "flex": 3},
    {"field": "address", "headerName": "From", "flex": 1},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Audit log", className="h2"),
            dbc.Row(
                [
                    dbc.Col(dcc.Dropdown(id=ids.ACTOR, placeholder="Anyone"), md=2),
                    dbc.Col(dcc.Dropdown(id=ids.ACTION, placeholder="Any action"), md=3),
                    dbc.Col(dcc.DatePickerRange(id=ids.DATES, start_date_placeholder_text="From (UTC)",
                                                end_date_placeholder_text="To (UTC)", clearable=True), md=4),
                    dbc.Col(dbc.Input(id=ids.TEXT, placeholder="Search what / detail", debounce=True), md=3),
                ],
                className="mb-3 g-2",
            ),
            html.Div(id=ids.SUMMARY, className="mb-2 text-body-secondary"),
            dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[],
                       style={"height": "560px"}),
            dbc.Pagination(id=ids.PAGER, max_value=1, active_page=1, fully_expanded=False, first_last=True,
                           previous_next=True, className="mt-3"),
        ]
    )
