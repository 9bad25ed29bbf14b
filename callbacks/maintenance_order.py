"""Callbacks of one maintenance order's pages: the stop or call a new order is for and the one tap that makes
it (then off to its page); an order's facts and tasks, tick a task, assign, start, complete."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from core.plant.equipment import site_zone
from callbacks.maintenance_presenter import order_facts, order_link, order_title, source_card, task_checks
from core.clock import utc_now
from core.maintenance.corrective_orders import call_source, create_from_call, create_from_stop, stop_source
from core.maintenance.order_moves import assign_order, complete_order, set_task_done, start_order
from core.maintenance.order_rules import MaintenanceError
from core.maintenance.order_views import find_order, maintenance_people
from core.plant.equipment import site_calendar
from dashapp.actor import current_actor
from pages.ids import MaintenanceIds as ids

PERMISSION = "workorders.manage"
HIDDEN, SHOWN = {"display": "none"}, {}


def requested(request: dict | None) -> tuple[str, int]:
    """("stop" | "andon", id) from the page's address, or MaintenanceError."""
    for kind in ("stop", "andon"):
        value = (request or {}).get(kind)
        if value not in (None, ""):
            try:
                return kind, int(value)
            except (TypeError, ValueError):
                raise MaintenanceError(f"{kind} must be a number, not {value!r}") from None
    raise MaintenanceError("open this page from a stop or an andon call: it needs ?stop=<id> or ?andon=<id>")


def _alert(text: str, color: str):
    return dbc.Alert(text, color=color, dismissable=True, className="fs-5")


def register(guard, services) -> None:
    db = services.db
    register_new_order(guard, db)
    register_order(guard, db)


def register_new_order(guard, db) -> None:
    @guard.callback(Output(ids.SOURCE, "children"), Output(ids.CREATE, "disabled"), Output(ids.CREATE, "children"),
                    Input(ids.REQUEST, "data"), permission=PERMISSION)
    def show_source(request):
        try:
            kind, ref = requested(request)
            source = stop_source(db, ref) if kind == "stop" else call_source(db, ref)
        except MaintenanceError as error:
            return _alert(str(error), "warning"), True, "Create work order"
        card = source_card(source, site_zone(db), utc_now())
        if source.open_order_id is not None:
            note = dbc.Alert(f"Work order {source.open_order_id} is already open for this "
                             f"{'stop' if kind == 'stop' else 'call'}.", color="info", className="mt-3 fs-5")
            return [card, note], False, f"Show work order {source.open_order_id}"
        return card, False, "Create work order"

    @guard.callback(Output(ids.GO, "href"), Output(ids.CREATE_MESSAGE, "children"),
                    Input(ids.CREATE, "n_clicks"), State(ids.REQUEST, "data"), prevent_initial_call=True,
                    permission=PERMISSION, running=[(Output(ids.CREATE, "disabled"), True, False)])
    def create(clicks, request):
        if not clicks:
            raise PreventUpdate
        try:
            kind, ref = requested(request)
            make = create_from_stop if kind == "stop" else create_from_call
            made = make(db, ref, current_actor(), utc_now())
        except MaintenanceError as error:
            return no_update, _alert(str(error), "danger")
        return order_link(made.order_id), None


def register_order(guard, db) -> None:
    @guard.callback(Output(ids.ORDER_TITLE, "children"), Output(ids.ORDER_FACTS, "children"),
                    Output(ids.TASKS, "children"), Output(ids.ASSIGN_TO, "options"), Output(ids.ASSIGN_TO, "value"),
                    Output(ids.START, "style"), Output(ids.COMPLETE_CARD, "style"), Output(ids.ASSIGN, "disabled"),
                    Output(ids.ASSIGN_TO, "disabled"), Output(ids.CURRENCY, "children"),
                    Input(ids.ORDER, "data"), Input(ids.REFRESH, "data"), permission=PERMISSION)
    def show_order(order_id, _refresh):
        try:
            order = find_order(db, int(order_id))
        except (MaintenanceError, TypeError, ValueError):
            message = html.Span(f"No work order {order_id}" if order_id else "No work order chosen",
                                className="text-danger")
            return message, None, None, [], None, HIDDEN, HIDDEN, True, True, "Parts cost"
        calendar = site_calendar(db)
        zone, currency = site_zone(db), calendar.currency if calendar else ""
        people = [{"label": name, "value": user} for user, name in maintenance_people(db)]
        return (order_title(order), order_facts(order, zone, currency, utc_now()), task_checks(order, zone), people,
                order.assignee, SHOWN if order.state == "open" else HIDDEN,
                SHOWN if order.state == "in_progress" else HIDDEN, order.state == "done", order.state == "done",
                f"Parts cost ({currency})")

    @guard.callback(Output(ids.ORDER_MESSAGE, "children"), Output(ids.REFRESH, "data"),
                    Input(ids.ASSIGN, "n_clicks"), Input(ids.START, "n_clicks"), Input(ids.COMPLETE, "n_clicks"),
                    State(ids.ORDER, "data"), State(ids.ASSIGN_TO, "value"), State(ids.MINUTES, "value"),
                    State(ids.PARTS, "value"), State(ids.COST, "value"), State(ids.REFRESH, "data"),
                    prevent_initial_call=True, permission=PERMISSION)
    def act(_assign, _start, _complete, order_id, assignee, minutes, parts, cost, refresh):
        if not ctx.triggered_id or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        actor, now = current_actor(), utc_now()
        try:
            if ctx.triggered_id == ids.ASSIGN:
                order = assign_order(db, int(order_id), assignee or "", actor, now)
                text = f"Assigned to {order.assignee}."
            elif ctx.triggered_id == ids.START:
                order = start_order(db, int(order_id), actor, now)
                text = f"Started; {order.assignee} has it."
            else:
                order = complete_order(db, int(order_id), minutes, parts, cost, actor, now)
                text = f"Work order {order.id} completed: {order.minutes_spent} min."
        except MaintenanceError as error:
            return _alert(str(error), "danger"), no_update
        return _alert(text, "success"), (refresh or 0) + 1

    @guard.callback(Output(ids.ORDER_MESSAGE, "children", allow_duplicate=True),
                    Output(ids.REFRESH, "data", allow_duplicate=True),
                    Input({"type": ids.TASK, "task": ALL}, "value"), State(ids.ORDER, "data"),
                    State(ids.REFRESH, "data"), prevent_initial_call=True, permission=PERMISSION)
    def tick(_values, order_id, refresh):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or ctx.triggered[0]["value"] is None:
            raise PreventUpdate
        done = bool(ctx.triggered[0]["value"])
        try:
            before = {t.id: t.done for t in find_order(db, int(order_id)).tasks}
            if before.get(trigger["task"]) == done:
                raise PreventUpdate  # the checkbox was drawn again, nobody ticked it
            set_task_done(db, int(order_id), trigger["task"], done, current_actor(), utc_now())
        except MaintenanceError as error:
            return _alert(str(error), "danger"), (refresh or 0) + 1
        return None, (refresh or 0) + 1
