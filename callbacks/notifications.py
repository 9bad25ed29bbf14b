"""Callbacks of the notices page: the user's feed, and marking it read."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html
from flask_login import current_user

from core.andon_notices import FeedItem, feed, mark_feed_read
from core.clock import utc_now
from core.permissions import USE_APP
from callbacks.floor_presenter import duration
from pages.ids import Notices as ids


def feed_items(items: list[FeedItem]) -> list:
    if not items:
        return [html.P("Nothing for you yet.", className="text-body-secondary")]
    now = utc_now()
    return [dbc.Alert([html.Strong(f"{item.priority.upper()} {item.kind} at {item.equipment_code}"),
                       html.Span(f" · call {item.call_id} is {item.call_status} · level {item.level + 1}"
                                 f"{' after acknowledgement' if item.phase == 'acknowledged' else ''}"
                                 f" · {duration(item.at, now)} ago"),
                       dbc.Badge("new", color="danger", className="ms-2") if not item.read else None],
                      color="secondary" if item.read else "warning", className="mb-2") for item in items]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.LIST, "children"), Input(ids.LIST, "id"), permission=USE_APP)
    def show_feed(_id):
        return feed_items(feed(db, current_user.username))

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.LIST, "children", allow_duplicate=True),
                    Input(ids.MARK_READ, "n_clicks"), prevent_initial_call=True, permission=USE_APP)
    def mark_read(_clicks):
        marked = mark_feed_read(db, current_user.username, utc_now())
        return (dbc.Alert(f"{marked} marked read.", color="success", dismissable=True),
                feed_items(feed(db, current_user.username)))
