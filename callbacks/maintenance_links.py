"""The "Work order" buttons of other pages (andon board, stops): where a tap leads, for whoever may make work
orders; the others are told whom to ask instead of being sent to a page they may not open."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import no_update
from flask_login import current_user

NEW_ORDER_PATH = "/maintenance/work-orders/new"  # a contract: the fault analysis links here too
PERMISSION = "workorders.manage"


def new_order_address(kind: str, selected: list[dict] | None, field: str = "id"):
    """(href, message) for the chosen row: `kind` is "stop" or "andon"."""
    if not selected:
        what = "a stop" if kind == "stop" else "a call"
        return no_update, dbc.Alert(f"Select {what} first.", color="warning", dismissable=True)
    if not current_user.can(PERMISSION):
        return no_update, dbc.Alert("Your role cannot make work orders: ask maintenance or an engineer.",
                                    color="warning", dismissable=True)
    return f"{NEW_ORDER_PATH}?{kind}={int(selected[0][field])}", None
