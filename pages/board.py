"""Operator line board (tablet): one tile per machine of the operator's line, refreshed every 2 seconds, and
above them the line's stops waiting for a reason (shown only while there are some)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Board as ids
from pages.stop_reason_queue import stop_reason_message, stop_reason_queue

dash.register_page(__name__, path="/board", name="Line board", title="Line board", permission="board.view",
                   area="Floor", order=10)

REFRESH_MS = 2000


def layout(line=None, **_query):
    return html.Div(
        [
            dcc.Store(id=ids.REQUESTED_LINE, data=line),
            dcc.Store(id=ids.SHOWN_LINE),
            dbc.Row(
                [
                    dbc.Col(dbc.Select(id=ids.LINE, options=[], size="lg", className="board-line-select"),
                            xs=12, md=5, lg=4),
                    dbc.Col(html.Div(id=ids.SHIFT, className="board-shift"), xs=8, md=5, lg=6),
                    dbc.Col(html.Div(id=ids.UPDATED, className="board-updated text-end"), xs=4, md=2),
                ],
                className="align-items-center g-2 mb-3",
            ),
            stop_reason_message(),
            stop_reason_queue(),
            html.Div(id=ids.TILES, className="board-grid"),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ],
        className="board",
    )
