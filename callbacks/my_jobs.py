"""Callbacks of the operator's "My jobs" page: the cards, refreshed; accept, start, changeover done; complete
with good and scrap; cancel with a reason (managers). Each calls one use case of core.job_workflow."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate
from flask_login import current_user

from core.clock import utc_now
from core.job_workflow.lifecycle import JobError
from core.job_workflow.operator_jobs import accept_job, cancel_job, complete_job, end_changeover, start_job
from core.job_workflow.start_checks import checklists_before_start
from core.job_workflow.views import find_job, list_jobs
from callbacks.my_jobs_presenter import job_cards
from dashapp.actor import current_actor
from pages.ids import MyJobs as ids

PERMISSION, MANAGE = "jobs.operate", "jobs.assign"
DONE = {"accept": "accepted", "start": "started", "changeover": "running again: changeover done"}


def _alert(text: str, color: str = "danger", **kwargs) -> dbc.Alert:
    return dbc.Alert(text, color=color, className="jobs-alert", dismissable=True, **kwargs)


def _tapped() -> dict:
    """The pattern-matching button that was tapped (cards re-drawn by a refresh trigger nothing)."""
    if not isinstance(ctx.triggered_id, dict) or not ctx.triggered[0]["value"]:
        raise PreventUpdate
    return ctx.triggered_id


def _whole(value):
    """A number typed in a number box (a float when it has a decimal point) as a whole number when it is one."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def register(guard, services) -> None:
    db = services.db
    moves = {"accept": accept_job, "changeover": end_changeover,
             "start": lambda *args: start_job(*args, start_blockers=checklists_before_start)}

    @guard.callback(Output(ids.CARDS, "children"), Input(ids.TICK, "n_intervals"), Input(ids.REFRESH, "data"),
                    permission=PERMISSION)
    def show_jobs(_tick, _refresh):
        jobs = list_jobs(db, operator=current_actor().username, open_only=True, now=utc_now())
        return job_cards(jobs, current_user.can(MANAGE))

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"),
                    Input({"type": ids.MOVE, "action": ALL, "job": ALL}, "n_clicks"),
                    prevent_initial_call=True, permission=PERMISSION)
    def move(_clicks):
        tapped = _tapped()
        try:
            job = moves[tapped["action"]](db, int(tapped["job"]), current_actor(), utc_now())
        except JobError as exc:
            return _alert(str(exc)), utc_now().timestamp()
        return (_alert(f"{job.work_order} on {job.equipment_code}: {DONE[tapped['action']]}.", "success",
                       id="my-jobs-done"), utc_now().timestamp())

    @guard.callback(Output(ids.COMPLETE_MODAL, "is_open"), Output(ids.CHOSEN, "data"),
                    Output(ids.COMPLETE_TITLE, "children"), Output(ids.GOOD, "value"), Output(ids.SCRAP, "value"),
                    Output(ids.COMPLETE_ERROR, "children"),
                    Input({"type": ids.ASK_COMPLETE, "job": ALL}, "n_clicks"), Input(ids.COMPLETE_BACK, "n_clicks"),
                    prevent_initial_call=True, permission=PERMISSION)
    def ask_to_complete(_clicks, _back):
        if ctx.triggered_id == ids.COMPLETE_BACK:
            return False, None, no_update, no_update, no_update, None
        job = find_job(db, int(_tapped()["job"]))
        return True, job.id, f"Complete {job.work_order}: {job.quantity} × {job.product_code}", None, None, None

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Output(ids.REFRESH, "data", allow_duplicate=True),
                    Output(ids.COMPLETE_MODAL, "is_open", allow_duplicate=True),
                    Output(ids.COMPLETE_ERROR, "children", allow_duplicate=True),
                    Input(ids.COMPLETE, "n_clicks"), State(ids.CHOSEN, "data"), State(ids.GOOD, "value"),
                    State(ids.SCRAP, "value"), prevent_initial_call=True, permission=PERMISSION,
                    running=[(Output(ids.COMPLETE, "disabled"), True, False)])  # a double tap completes once
    def complete(_clicks, job_id, good, scrap):
        if not job_id:
            raise PreventUpdate
        try:
            job = complete_job(db, int(job_id), _whole(good), _whole(scrap), current_actor(), utc_now())
        except JobError as exc:
            return no_update, no_update, True, _alert(str(exc))
        return (_alert(f"{job.work_order} completed: {job.good} good, {job.scrap} scrap.", "success",
                       id="my-jobs-done"), utc_now().timestamp(), False, None)

    @guard.callback(Output(ids.CANCEL_MODAL, "is_open"), Output(ids.CHOSEN, "data", allow_duplicate=True),
                    Output(ids.CANCEL_TITLE, "children"), Output(ids.REASON, "value"),
                    Output(ids.CANCEL_ERROR, "children"),
                    Input({"type": ids.ASK_CANCEL, "job": ALL}, "n_clicks"), Input(ids.CANCEL_BACK, "n_clicks"),
                    prevent_initial_call=True, permission=MANAGE)
    def ask_to_cancel(_clicks, _back):
        if ctx.triggered_id == ids.CANCEL_BACK:
            return False, None, no_update, no_update, None
        job = find_job(db, int(_tapped()["job"]))
        return True, job.id, f"Cancel {job.work_order} on {job.equipment_code}?", "", None

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Output(ids.REFRESH, "data", allow_duplicate=True),
                    Output(ids.CANCEL_MODAL, "is_open", allow_duplicate=True),
                    Output(ids.CANCEL_ERROR, "children", allow_duplicate=True),
                    Input(ids.CANCEL, "n_clicks"), State(ids.CHOSEN, "data"), State(ids.REASON, "value"),
                    prevent_initial_call=True, permission=MANAGE)
    def cancel(_clicks, job_id, reason):
        if not job_id:
            raise PreventUpdate
        try:
            job = cancel_job(db, int(job_id), reason or "", current_actor(), utc_now())
        except JobError as exc:
            return no_update, no_update, True, _alert(str(exc))
        return (_alert(f"{job.work_order} on {job.equipment_code} cancelled.", "warning"), utc_now().timestamp(),
                False, None)
