"""The operator board's machine tile: one per machine, its fields filled by callbacks/board.py."""

from dash import html

from pages.ids import Board as ids


def field_id(machine: str, field: str) -> dict:
    return {"type": ids.FIELD, "machine": machine, "field": field}


def machine_tile(code: str, name: str) -> html.Div:
    return html.Div(
        [
            html.Div([html.Span(name, className="tile-name"), html.Span(code, className="tile-code")],
                     className="tile-head"),
            html.Div("…", id=field_id(code, "state"), className="tile-state"),
            html.Div("", id=field_id(code, "since"), className="tile-since"),
            html.Div("", id=field_id(code, "reason"), className="tile-reason"),
            html.Div(
                [
                    html.Div([html.Div("", id=field_id(code, "good"), className="tile-number"),
                              html.Div("", id=field_id(code, "target"), className="tile-label")]),
                    html.Div([html.Div("", id=field_id(code, "oee"), className="tile-number"),
                              html.Div("OEE so far", className="tile-label")], className="text-end"),
                ],
                className="tile-figures",
            ),
            html.Div("", id=field_id(code, "apq"), className="tile-apq"),
        ],
        id={"type": ids.TILE, "machine": code},
        className="board-tile state-no_data",
    )
