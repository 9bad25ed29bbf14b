"""Stops and reasons -> what the tablet shows: stop buttons, reason buttons and the trail of taps so far."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from core.stop_queue import ReasonChoice, Stop
from pages.ids import StopQueue as ids

CATEGORY_COLORS = {"unplanned": "danger", "quality": "info", "planned": "success", "changeover": "primary",
                   "idle": "secondary"}


def stop_record(stop: Stop, now: datetime, zone: ZoneInfo | None) -> dict:
    """A queued stop as kept in the browser's store (JSON)."""
    start = stop.start.astimezone(zone) if zone else stop.start
    return {"id": stop.id, "machine": stop.equipment_code, "name": stop.equipment_name, "state": stop.state,
            "start": start.strftime("%H:%M"), "minutes": int(stop.seconds(now) // 60), "ongoing": stop.end is None,
            "fault": stop.fault_code}


def stop_buttons(stops: list[dict], selected: int | None) -> list:
    return [dbc.Button([html.Div(s["machine"], className="stop-queue-machine"),
                        html.Div(f"{'stopped' if s['state'] == 'down' else s['state']} {s['start']}"
                                 f" · {s['minutes']} min{' · still stopped' if s['ongoing'] else ''}",
                                 className="stop-queue-when")],
                       id={"type": ids.STOP, "stop": s["id"]}, color="warning", outline=s["id"] != selected,
                       className="stop-queue-stop")
            for s in stops]


def level_of(tree: tuple[ReasonChoice, ...], path: list[str]) -> tuple[tuple[ReasonChoice, ...], list[str]]:
    """The choices after the taps in `path`, and the names tapped so far (a stale path starts again)."""
    choices, names = tree, []
    for code in path:
        chosen = next((c for c in choices if c.code == code), None)
        if chosen is None or not chosen.children:
            return tree, []
        choices, names = chosen.children, names + [chosen.name]
    return choices, names


def reason_buttons(choices: tuple[ReasonChoice, ...]) -> list:
    return [dbc.Button([html.Span(c.name), html.Span(" ›", className="stop-queue-more") if c.children else None],
                       id={"type": ids.REASON, "code": c.code}, color=CATEGORY_COLORS.get(c.category, "secondary"),
                       className="stop-queue-reason")
            for c in choices]


def reason_given(machine: str, reason: str) -> dbc.Alert:
    """Thanks, and the next step when the stop needs people: a call for help at that machine."""
    return dbc.Alert([html.Span(f"{machine}: {reason} — thank you.", className="me-3"),
                      dbc.Button(f"Call for help at {machine}", href=f"/andon?machine={machine}", color="danger",
                                 size="lg", className="stop-queue-call", id=ids.CALL_FOR_HELP)],
                     color="success", className="fs-5 d-flex align-items-center flex-wrap gap-2", dismissable=True)
