"""Operators: call for help at a machine with one tap and a confirmation, and see what became of the calls."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.andon_calls import KIND_PRIORITY
from pages.ids import AndonPanel as ids

dash.register_page(__name__, path="/andon", name="Andon", title="Andon", permission="andon.raise", area="Floor",
                   order=20)

REFRESH_MS = 2000
KIND_LABELS = {"maintenance": "Maintenance", "quality": "Quality", "material": "Material", "safety": "Safety",
               "help": "Help"}
KIND_COLORS = {"maintenance": "warning", "quality": "info", "material": "primary", "safety": "danger",
               "help": "secondary"}


def layout(machine=None, **_query):
    buttons = [dbc.Col(dbc.Button([html.Div(KIND_LABELS[kind], className="andon-kind-label"),
                                   html.Div(f"{KIND_PRIORITY[kind]} priority", className="andon-kind-priority")],
                                  id={"type": ids.KIND, "kind": kind}, color=KIND_COLORS[kind],
                                  className="andon-kind w-100"), className="mb-3")
               for kind in KIND_PRIORITY]
    return html.Div(
        [
            dbc.Row([dbc.Col(dcc.Dropdown(id=ids.MACHINE, clearable=False, placeholder="Machine",
                                          className="andon-machine"), md=6)], className="mb-3"),
            dbc.Row(buttons, className="g-3 row-cols-2 row-cols-md-3 row-cols-lg-5"),
            dcc.Store(id=ids.CHOSEN),
            dcc.Store(id=ids.REQUESTED_MACHINE, data=machine),
            dbc.Modal([
                dbc.ModalHeader(dbc.ModalTitle("Call for help?")),
                dbc.ModalBody([html.Div(id=ids.CONFIRM_TEXT, className="fs-4 mb-3"),
                               dbc.Textarea(id=ids.NOTE, placeholder="What is wrong? (optional)", rows=2,
                                            className="fs-5")]),
                dbc.ModalFooter([dbc.Button("Cancel", id=ids.CANCEL, color="secondary", size="lg",
                                            className="andon-confirm-button"),
                                 dbc.Button("Call now", id=ids.CONFIRM, color="danger", size="lg",
                                            className="andon-confirm-button")]),
            ], id=ids.CONFIRM_MODAL, is_open=False, centered=True, size="lg"),
            html.Div(id=ids.MESSAGE, className="mt-2"),
            html.H2("Calls at this line", className="h4 mt-4"),
            html.Div(id=ids.CALLS),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ],
        className="andon-panel",
    )
