"""Operators: my jobs, as big cards readable at 2 m, with one large button for the next step (accept, start,
changeover done, complete with good and scrap); shift managers may also cancel with a reason."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import MyJobs as ids

dash.register_page(__name__, path="/jobs", name="My jobs", title="My jobs", permission="jobs.operate",
                   area="Floor", order=15)

REFRESH_MS = 5000


def _number_field(label: str, component_id: str) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=component_id, className="fs-4"),
                    dbc.Input(id=component_id, type="number", min=0, step=1, inputMode="numeric",
                              className="jobs-number", placeholder="0")], xs=6)


def layout(**_query):
    return html.Div(
        [
            html.H1("My jobs", className="h2"),
            html.Div(id=ids.MESSAGE, className="jobs-message"),
            html.Div(id=ids.CARDS, className="jobs-cards"),
            dcc.Store(id=ids.CHOSEN),
            dcc.Store(id=ids.REFRESH, data=0),
            dbc.Modal([
                dbc.ModalHeader(dbc.ModalTitle(id=ids.COMPLETE_TITLE, className="jobs-dialog-title")),
                dbc.ModalBody([dbc.Row([_number_field("Good", ids.GOOD), _number_field("Scrap", ids.SCRAP)],
                                       className="g-3"), html.Div(id=ids.COMPLETE_ERROR, className="mt-3")]),
                dbc.ModalFooter([dbc.Button("Back", id=ids.COMPLETE_BACK, color="secondary", size="lg",
                                            className="jobs-dialog-button"),
                                 dbc.Button("Complete the job", id=ids.COMPLETE, color="success", size="lg",
                                            className="jobs-dialog-button")]),
            ], id=ids.COMPLETE_MODAL, is_open=False, centered=True, size="lg"),
            dbc.Modal([
                dbc.ModalHeader(dbc.ModalTitle(id=ids.CANCEL_TITLE, className="jobs-dialog-title")),
                dbc.ModalBody([dbc.Textarea(id=ids.REASON, placeholder="Why is it cancelled?", rows=2,
                                            className="fs-4"), html.Div(id=ids.CANCEL_ERROR, className="mt-3")]),
                dbc.ModalFooter([dbc.Button("Back", id=ids.CANCEL_BACK, color="secondary", size="lg",
                                            className="jobs-dialog-button"),
                                 dbc.Button("Cancel the job", id=ids.CANCEL, color="danger", size="lg",
                                            className="jobs-dialog-button")]),
            ], id=ids.CANCEL_MODAL, is_open=False, centered=True, size="lg"),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ],
        className="my-jobs",
    )
