"""The stop-reason queue on the line board: the line's stops still without a reason, and big reason buttons
that walk down the reason tree (at most three taps). Not a page of its own: `pages/board.py` shows it."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import StopQueue as ids


def stop_reason_queue() -> html.Div:
    return html.Div(
        [
            dcc.Store(id=ids.STOPS, data=[]),
            dcc.Store(id=ids.SELECTED),
            dcc.Store(id=ids.PATH, data=[]),
            html.H2(["Stops waiting for a reason ", dbc.Badge(id=ids.COUNT, color="danger", pill=True)],
                    className="stop-queue-title"),
            html.Div(id=ids.STOP_LIST, className="stop-queue-stops"),
            html.Div([dbc.Button("‹ Back", id=ids.BACK, color="secondary", outline=True, size="lg",
                                 className="stop-queue-back"),
                      html.Span(id=ids.TRAIL, className="stop-queue-trail")],
                     className="stop-queue-trailbar"),
            html.Div(id=ids.REASONS, className="stop-queue-reasons"),
        ],
        id=ids.SECTION, className="stop-queue", hidden=True,
    )


def stop_reason_message() -> html.Div:
    """What became of the last tap; outside the queue, which hides when its last stop got a reason."""
    return html.Div(id=ids.MESSAGE, className="stop-queue-message")
