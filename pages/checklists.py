"""Operators: the pre-start checklist runner on the tablet. Pick the machine, answer one item per row with
big buttons, sign with a finger, submit; the result says passed or what failed."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Checklists as ids

dash.register_page(__name__, path="/checklists", name="Checklists", title="Checklists",
                   permission="checklists.fill", area="Floor", order=15)


def layout(**_query):
    return html.Div(
        [
            dbc.Row([dbc.Col(dcc.Dropdown(id=ids.MACHINE, clearable=False, searchable=False, placeholder="Machine",
                                          className="checklist-machine"), md=6)], className="mb-3"),
            html.Div(id=ids.STATUS, className="mb-3"),
            dbc.RadioItems(id=ids.CHOICE, options=[], inline=True, className="checklist-choice mb-3",
                           inputClassName="btn-check", labelClassName="btn btn-outline-info checklist-button",
                           labelCheckedClassName="active"),
            html.Div(id=ids.FORM),
            # the signature pad (assets/checklist_signature.js) writes the drawn PNG here
            dcc.Store(id=ids.SIGNATURE),
            dbc.Button("Submit checklist", id=ids.SUBMIT, color="primary", size="lg",
                       className="checklist-submit mt-3 w-100"),
            dbc.Modal([dbc.ModalBody(html.Div(id=ids.RESULT)),
                       dbc.ModalFooter(dbc.Button("Close", id=ids.RESULT_CLOSE, color="secondary", size="lg",
                                                  className="checklist-button"))],
                      id=ids.RESULT_MODAL, is_open=False, centered=True, size="lg"),
        ],
        className="checklist-runner",
    )
