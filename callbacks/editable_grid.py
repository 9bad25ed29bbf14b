"""What the admin pages that edit a list in a grid share: add a row, remove the chosen rows, say why a save
was refused. The rows are saved by each page's own use case."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate


def register_row_editing(guard, grid: str, add: str, remove: str, new_row: dict, permission: str) -> None:
    """Callbacks that add `new_row` (with a fresh key) to `grid` and remove its selected rows."""

    @guard.callback(Output(grid, "rowData", allow_duplicate=True), Input(add, "n_clicks"),
                    State(grid, "rowData"), prevent_initial_call=True, permission=permission)
    def add_row(clicks, rows):
        if not clicks or rows is None:
            raise PreventUpdate
        return [*rows, {**new_row, "key": f"new-{clicks}"}]

    @guard.callback(Output(grid, "rowData", allow_duplicate=True), Input(remove, "n_clicks"),
                    State(grid, "selectedRows"), State(grid, "rowData"), prevent_initial_call=True,
                    permission=permission)
    def remove_rows(clicks, selected, rows):
        if not clicks or not selected or rows is None:
            raise PreventUpdate
        removed = {row.get("key") for row in selected}
        return [row for row in rows if row.get("key") not in removed]


def refused(problems: list[str]) -> dbc.Alert:
    """A save refused: every problem, one per line."""
    return dbc.Alert([html.Div(f"Not saved ({len(problems)} problem{'s' if len(problems) > 1 else ''}):"),
                      html.Ul([html.Li(problem) for problem in problems], className="mb-0")],
                     color="danger", dismissable=True)
