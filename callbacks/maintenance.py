"""Callbacks of the maintenance list: the orders as filtered, overdue preventive work on top, the preventive
plans, and MTTR from work orders beside MTTR from stops per machine."""

from __future__ import annotations

from datetime import timedelta

from dash import Input, Output

from callbacks.maintenance_presenter import mttr_table, order_rows, overdue_banner, plan_list
from core.clock import utc_now
from core.maintenance.order_views import OrderFilter, list_orders, maintenance_people, overdue_orders
from core.maintenance.preventive_orders import plan_statuses
from core.maintenance.repair_times import mttr_from_stops, mttr_from_work_orders
from core.oee.service import Window
from core.plant.equipment import machines, site_zone
from pages.ids import MaintenanceIds as ids

PERMISSION = "workorders.manage"
ANYONE, NOBODY = "any", "none"


def order_filter(state: str | None, machine: str | None, assignee: str | None) -> OrderFilter:
    return OrderFilter(state=None if state in (None, "", "all") else state,
                       equipment_code=machine or None,
                       assignee=None if assignee in (None, "", ANYONE) else ("" if assignee == NOBODY else assignee))


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.MACHINE, "options"), Output(ids.ASSIGNEE, "options"), Input(ids.STATE, "id"),
                    permission=PERMISSION)
    def offer_filters(_id):
        return ([{"label": "Every machine", "value": ""}] +
                [{"label": f"{m.code} · {m.name}", "value": m.code} for m in machines(db)],
                [{"label": "Anyone", "value": ANYONE}, {"label": "Nobody yet", "value": NOBODY}] +
                [{"label": name, "value": user} for user, name in maintenance_people(db)])

    @guard.callback(Output(ids.GRID, "rowData"), Output(ids.OVERDUE, "children"),
                    Input(ids.STATE, "value"), Input(ids.MACHINE, "value"), Input(ids.ASSIGNEE, "value"),
                    Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def show_orders(state, machine, assignee, _tick):
        now, zone = utc_now(), site_zone(db)
        orders = list_orders(db, order_filter(state, machine, assignee))
        return order_rows(orders, zone, now), overdue_banner(overdue_orders(db, now), zone, now)

    @guard.callback(Output(ids.MTTR, "children"), Output(ids.PLANS, "children"),
                    Input(ids.DAYS, "value"), Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def show_reliability(days, _tick):
        now = utc_now()
        window = Window(now - timedelta(days=int(days or 30)), now, f"last {days} days")
        chosen = machines(db)
        by_orders = mttr_from_work_orders(db, [m.id for m in chosen], window)
        return (mttr_table(chosen, by_orders, mttr_from_stops(db, window, now)),
                plan_list(plan_statuses(db, now), site_zone(db)))
