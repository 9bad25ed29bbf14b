"""How maintenance work orders read on screen: grid rows, the overdue banner, an order's facts and tasks, the
stop or call a new order is for, the preventive plans and the MTTR comparison."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from callbacks.floor_presenter import duration
from core.faults.reliability import Reliability
from core.maintenance.corrective_orders import OrderSource
from core.maintenance.order_views import OrderView
from core.maintenance.preventive_orders import PlanStatus
from core.maintenance.preventive_rules import UNITS
from core.maintenance.repair_times import RepairTimes
from core.plant.equipment import Machine
from pages.ids import MaintenanceIds as ids

ORDER_PATH = "/maintenance/work-orders/view"
STATE_WORDS = {"open": "Open", "in_progress": "In progress", "done": "Done"}
STATE_COLORS = {"open": "warning", "in_progress": "primary", "done": "success"}


def order_link(order_id: int) -> str:
    return f"{ORDER_PATH}?id={order_id}"


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M") if moment else ""


def minutes(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def order_rows(orders: list[OrderView], zone: ZoneInfo, now: datetime) -> list[dict]:
    return [{"key": str(o.id), "open": f"[{o.id}]({order_link(o.id)})", "kind": o.kind, "machine": o.equipment_code,
             "title": o.title, "state": STATE_WORDS[o.state] + (" · overdue" if o.overdue(now) else ""),
             "overdue": o.overdue(now), "assignee": o.assignee or "", "created": when(o.created_at, zone),
             "due": when(o.due_at, zone), "tasks": f"{o.tasks_done}/{o.tasks_total}" if o.tasks_total else ""}
            for o in orders]


def overdue_banner(orders: list[OrderView], zone: ZoneInfo, now: datetime):
    if not orders:
        return dbc.Alert("No preventive work is overdue.", color="success", className="fs-5")
    items = [html.Li([html.A(f"{o.equipment_code}: {o.title}", href=order_link(o.id), className="fw-bold"),
                      f" — due {when(o.due_at, zone)}, {duration(o.due_at, now)} overdue",
                      f" · {o.assignee}" if o.assignee else " · nobody assigned"]) for o in orders]
    return dbc.Alert([html.H2(f"{len(orders)} preventive work order{'s' if len(orders) > 1 else ''} overdue",
                              className="h5 alert-heading"), html.Ul(items, className="mb-0 fs-5")],
                     color="danger", id="maintenance-overdue-alert")


def mttr_table(chosen: list[Machine], by_orders: dict[int, RepairTimes], by_stops: dict[int, Reliability]):
    header = html.Thead([
        html.Tr([html.Th("", colSpan=1), html.Th("From work orders", colSpan=3, className="text-center"),
                 html.Th("From stops", colSpan=2, className="text-center")]),
        html.Tr([html.Th("Machine"), html.Th("Done"), html.Th("MTTR (min)"), html.Th("Spent (min)"),
                 html.Th("Breakdowns"), html.Th("MTTR (min)")])])
    rows = []
    for m in chosen:
        orders, stops = by_orders.get(m.id), by_stops.get(m.id)
        rows.append(html.Tr([html.Td(f"{m.code} · {m.name}"), html.Td(orders.orders if orders else 0),
                             html.Td(minutes(orders.mttr_minutes if orders else None)),
                             html.Td(minutes(orders.spent_minutes if orders else None)),
                             html.Td(stops.breakdowns if stops else "–"),
                             html.Td(minutes(stops.mttr / 60 if stops and stops.mttr is not None else None))]))
    note = html.P("From orders: failure (the stop's start, else the order's creation) to completion, corrective "
                  "orders completed in the window. From stops: breakdown time per breakdown begun in planned time.",
                  className="small text-body-secondary mb-0")
    return [dbc.Table([header, html.Tbody(rows)], striped=True, size="sm", responsive=True), note]


def plan_list(statuses: list[PlanStatus], zone: ZoneInfo):
    if not statuses:
        return html.P("No preventive plans: add [[maintenance_plans]] to the plant file.", className="mb-0")
    items = []
    for s in statuses:
        unit = UNITS[s.trigger]
        if s.open_order_id is not None:
            state = html.A(f"order {s.open_order_id} open", href=order_link(s.open_order_id))
        elif s.due is not None:
            state = html.Span(f"due since {when(s.due.fell_due_at, zone)}", className="text-danger")
        else:
            state = html.Span("not due", className="text-body-secondary")
        items.append(dbc.ListGroupItem([html.Div([html.Strong(f"{s.equipment_code} · {s.title}"), " — ", state]),
                                        html.Div(f"every {s.interval:,g} {unit}: {reading(s)} {unit} since "
                                                 f"{when(s.since, zone)}", className="small")]))
    return dbc.ListGroup(items, flush=True)


def reading(status: PlanStatus) -> str:
    return f"{status.reading:,.0f}" if status.trigger == "cycles" else f"{status.reading:,.1f}"


def source_card(source: OrderSource, zone: ZoneInfo, now: datetime):
    what = "Stop" if source.kind == "stop" else "Andon call"
    facts = [("Machine", f"{source.equipment_code} · {source.equipment_name} (line {source.line_code})"),
             ("Began" if source.kind == "stop" else "Raised", when(source.start, zone)),
             ("Duration" if source.kind == "stop" else "Open for",
              duration(source.start, source.end or now) + ("" if source.end else " so far")),
             ("State" if source.kind == "stop" else "Status", (source.state or "").replace("_", " ")),
             ("Reason", source.reason or "none given"), ("Fault", source.fault or "none")]
    if source.note:
        facts.append(("Note", source.note))
    if source.kind == "andon" and source.stop_id is not None:
        facts.append(("Stop", f"linked: the stop that began {when(source.stop_start, zone)}"))
    return dbc.Card([dbc.CardHeader(f"{what} {source.ref_id}", className="fs-4"),
                     dbc.CardBody(facts_list(facts, "col-4", "col-8"), className="maintenance-source")])


def facts_list(facts: list[tuple[str, str]], label_class: str = "col-sm-3 col-lg-2",
               value_class: str = "col-sm-9 col-lg-10"):
    return html.Dl([part for label, value in facts for part in (html.Dt(label, className=label_class),
                                                                html.Dd(value, className=value_class))],
                   className="row mb-0 maintenance-facts")


def order_title(order: OrderView) -> str:
    return f"Work order {order.id}: {order.title}"


def order_facts(order: OrderView, zone: ZoneInfo, currency: str, now: datetime):
    badge = dbc.Badge(STATE_WORDS[order.state] + (" · overdue" if order.overdue(now) else ""),
                      color="danger" if order.overdue(now) else STATE_COLORS[order.state], className="fs-5 mb-2",
                      id="maintenance-order-state")
    facts = [("Machine", f"{order.equipment_code} · {order.equipment_name} (line {order.line_code})"),
             ("Kind", order.kind + (f", plan {order.plan_code}" if order.plan_code else "")),
             ("What", order.description), ("Created", f"{when(order.created_at, zone)} by {order.created_by}")]
    if order.stop_id is not None:
        facts.append(("Stop", f"{order.stop_id}, began {when(order.stop_start, zone)}"))
    if order.andon_call_id is not None:
        facts.append(("Andon call", str(order.andon_call_id)))
    if order.due_at is not None:
        facts.append(("Due", when(order.due_at, zone)))
    if order.started_at is not None:
        facts.append(("Started", f"{when(order.started_at, zone)} by {order.started_by}"))
    if order.done_at is not None:
        facts += [("Done", f"{when(order.done_at, zone)} by {order.done_by}"),
                  ("Time spent", f"{order.minutes_spent} min"), ("Parts used", order.parts_used or "none"),
                  ("Parts cost", f"{order.parts_cost or 0:,.2f} {currency}")]
    return [badge, facts_list(facts)]


def task_checks(order: OrderView, zone: ZoneInfo):
    if not order.tasks:
        return html.P("No tasks: this order is one job.", className="mb-0")
    locked = order.state == "done"
    return [dbc.Checkbox(id={"type": ids.TASK, "task": t.id}, value=t.done, disabled=locked,
                         label=[t.text, html.Span(f"  ✓ {t.done_by}, {when(t.done_at, zone)}",
                                                  className="small text-body-secondary") if t.done else None],
                         className="maintenance-task") for t in order.tasks]
