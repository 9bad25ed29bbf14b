"""Callbacks of the managers' job assignment board: the choices, create a work order, assign a job, the jobs by
status (refreshed), cancel the selected job with a reason. Each calls one use case of core.job_workflow."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from core.clock import utc_now
from core.job_workflow.choices import assignment_choices
from core.job_workflow.lifecycle import LABELS, STATUSES, JobError
from core.job_workflow.operator_jobs import assign_job, cancel_job
from core.job_workflow.views import JobView, list_jobs
from core.job_workflow.work_orders import create_work_order
from dashapp.actor import current_actor
from pages.ids import JobBoard as ids

PERMISSION = "jobs.assign"


def _options(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"value": value, "label": label} for value, label in pairs]


def _alert(text: str, color: str = "danger") -> dbc.Alert:
    return dbc.Alert(text, color=color, dismissable=True, id="job-board-alert")


def job_rows(jobs: list[JobView]) -> list[dict]:
    """Grid rows, in lifecycle order (open jobs first), soonest due first within a status."""
    ordered = sorted(jobs, key=lambda j: (STATUSES.index(j.status), j.due_date, -j.id))
    return [{"id": j.id, "key": str(j.id), "status": LABELS[j.status], "work_order": j.work_order,
             "product": f"{j.product_code} · {j.product_name}", "quantity": j.quantity,
             "machine": j.equipment_code, "operator": j.operator, "due": j.due_date.isoformat(),
             "made": f"{j.good} / {j.scrap}" if j.good is not None else "",
             "note": j.cancel_reason or ("changeover" if j.in_changeover else "")} for j in ordered]


def _board(db, statuses) -> list[dict]:
    jobs = list_jobs(db, now=utc_now())
    return job_rows([j for j in jobs if not statuses or j.status in statuses])


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.PRODUCT, "options"), Output(ids.WHERE, "options"), Output(ids.WORK_ORDER, "options"),
                    Output(ids.OPERATOR, "options"), Output(ids.MACHINE, "options"),
                    Input(ids.PRODUCT, "id"), Input(ids.MESSAGE, "children"), permission=PERMISSION)
    def choices(_id, _message):  # again after each change: a new work order shows up to assign
        found = assignment_choices(db)
        return (_options(found.products), _options(found.places), _options(found.work_orders),
                _options(found.operators), _options(found.machines))

    @guard.callback(Output(ids.GRID, "rowData"), Input(ids.TICK, "n_intervals"), Input(ids.STATUS, "value"),
                    Input(ids.MESSAGE, "children"), permission=PERMISSION)
    def show_jobs(_tick, statuses, _message):
        return _board(db, statuses)

    @guard.callback(Output(ids.MESSAGE, "children"), Input(ids.CREATE, "n_clicks"), State(ids.NUMBER, "value"),
                    State(ids.PRODUCT, "value"), State(ids.QUANTITY, "value"), State(ids.WHERE, "value"),
                    State(ids.DUE, "date"), State(ids.LOT, "value"), prevent_initial_call=True,
                    permission=PERMISSION)
    def create(clicks, number, product, quantity, where, due, lot):
        if not clicks:
            raise PreventUpdate
        kind, _, code = (where or "").partition(":")
        try:
            order = create_work_order(
                db, number or "", product or "", quantity, due, current_actor(), utc_now(),
                line_code=code if kind == "line" else None, equipment_code=code if kind == "machine" else None,
                lot_number=lot)
        except JobError as exc:
            return _alert(str(exc))
        return _alert(f"Work order {order.number} created: {order.quantity} × {order.product_code} on "
                      f"{order.where}, due {order.due_date:%d %b}.", "success")

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True), Input(ids.ASSIGN, "n_clicks"),
                    State(ids.WORK_ORDER, "value"), State(ids.OPERATOR, "value"), State(ids.MACHINE, "value"),
                    prevent_initial_call=True, permission=PERMISSION)
    def assign(clicks, work_order, operator, machine):
        if not clicks:
            raise PreventUpdate
        try:
            job = assign_job(db, work_order or "", operator or "", machine or "", current_actor(), utc_now())
        except JobError as exc:
            return _alert(str(exc))
        return _alert(f"Job {job.id} assigned: {job.work_order} to {job.operator} on {job.equipment_code}.",
                      "success")

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True), Output(ids.REASON, "value"),
                    Input(ids.CANCEL, "n_clicks"), State(ids.GRID, "selectedRows"), State(ids.REASON, "value"),
                    prevent_initial_call=True, permission=PERMISSION)
    def cancel(clicks, selected, reason):
        if not clicks:
            raise PreventUpdate
        if not selected:
            return _alert("Select a job in the table first.", "warning"), reason
        try:
            job = cancel_job(db, int(selected[0]["id"]), reason or "", current_actor(), utc_now())
        except JobError as exc:
            return _alert(str(exc)), reason
        return _alert(f"Job {job.id} ({job.work_order}) cancelled.", "warning"), ""
