"""Job cards for the operator's tablet: what to make, where, by when, and one big button for the next step."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from core.job_workflow.lifecycle import LABELS
from core.job_workflow.views import JobView
from pages.ids import MyJobs as ids

STATUS_COLORS = {"assigned": "info", "accepted": "primary", "in_progress": "success", "completed": "secondary",
                 "cancelled": "dark"}
# status -> (action, label, colour) of the big button
NEXT_STEP = {"assigned": ("accept", "Accept", "primary"), "accepted": ("start", "Start", "success")}


def _next_step(job: JobView) -> list:
    if job.status in NEXT_STEP:
        action, label, color = NEXT_STEP[job.status]
        return [dbc.Button(label, id={"type": ids.MOVE, "action": action, "job": job.id}, color=color,
                           className="jobs-step")]
    if job.status != "in_progress":
        return []
    complete = dbc.Button("Complete", id={"type": ids.ASK_COMPLETE, "job": job.id}, color="success",
                          className="jobs-step")
    if job.in_changeover:
        return [dbc.Button("Changeover done", id={"type": ids.MOVE, "action": "changeover", "job": job.id},
                           color="warning", className="jobs-step"), complete]
    return [complete]


def job_card(job: JobView, may_cancel: bool) -> dbc.Card:
    details = [f"{job.quantity} units", f"{job.equipment_code} · {job.equipment_name}", f"due {job.due_date:%a %d %b}"]
    if job.lot_number:
        details.append(f"lot {job.lot_number}")
    buttons = _next_step(job)
    if may_cancel:
        buttons.append(dbc.Button("Cancel job", id={"type": ids.ASK_CANCEL, "job": job.id}, color="danger",
                                  outline=True, className="jobs-cancel"))
    return dbc.Card(dbc.CardBody([
        html.Div([html.Span(job.work_order, className="jobs-order"),
                  dbc.Badge(LABELS[job.status].upper(), color=STATUS_COLORS[job.status], className="jobs-status",
                            id=f"my-jobs-status-{job.id}")], className="jobs-head"),
        html.Div(f"{job.product_code} · {job.product_name}", className="jobs-product"),
        html.Div(" · ".join(details), className="jobs-details"),
        html.Div("Changeover in progress: tap “Changeover done” when the machine is set up", className="jobs-changeover")
        if job.in_changeover else None,
        html.Div(buttons, className="jobs-buttons"),
    ]), className="jobs-card", id=f"my-jobs-card-{job.id}")


def job_cards(jobs: list[JobView], may_cancel: bool) -> list:
    if not jobs:
        return [html.P("No jobs for you right now.", className="jobs-none")]
    return [job_card(job, may_cancel) for job in jobs]
