"""Callbacks of the escalation rules admin page: load the levels into the table, add and remove rows, save
(checked by the plant file's rules, audited), and list recent email and webhook notices."""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from core.andon_escalation_rules import EscalationRulesError, Ladders, escalation_ladders, save_escalation_rules
from core.andon_notices import NoticeState, recent_notices
from core.clock import utc_now
from callbacks.editable_grid import refused, register_row_editing
from dashapp.actor import current_actor
from pages.ids import AdminEscalation as ids

PERMISSION = "plant.configure"
NEW_LEVEL = {"priority": "medium", "after": "raised", "after_minutes": 0, "notify": "", "channels": "app, email"}


def level_rows(ladders: Ladders) -> list[dict]:
    return [{"key": f"{priority}-{index}", "priority": priority, "after": level["after"],
             "after_minutes": level["after_minutes"], "notify": ", ".join(level["notify"]),
             "channels": ", ".join(level["channels"])}
            for priority, levels in ladders.items() for index, level in enumerate(levels)]


def _names(text) -> list[str]:
    # Names, addresses and URLs never hold a comma or a space (the schema refuses a URL with a space).
    return [part for part in re.split(r"[,\s]+", str(text or "")) if part]


def ladders_from_rows(rows: list[dict]) -> dict[str, list[dict]]:
    """Table rows -> levels per priority as typed; the checking is core's (every problem is listed there)."""
    ladders: dict[str, list[dict]] = {}
    for row in rows:
        minutes = row.get("after_minutes")
        ladders.setdefault(str(row.get("priority") or "").strip(), []).append({
            "after": row.get("after") or "raised", "after_minutes": None if minutes in ("", None) else minutes,
            "notify": _names(row.get("notify")), "channels": _names(row.get("channels"))})
    return ladders


def notice_rows(notices: list[NoticeState]) -> list[dict]:
    return [{"created": f"{n.created_at:%Y-%m-%d %H:%M}", "call": f"#{n.call_id} {n.equipment_code} ({n.priority})",
             "call_status": n.call_status, "level": f"{n.phase} {n.level + 1}", "channel": n.channel,
             "recipient": n.recipient, "status": n.status, "attempts": n.attempts,
             "next": f"{n.next_attempt_at:%Y-%m-%d %H:%M}" if n.next_attempt_at else "", "error": n.error or ""}
            for n in notices]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.GRID, "rowData"), Input(ids.RELOAD, "n_clicks"), permission=PERMISSION)
    def load_levels(_clicks):
        return level_rows(escalation_ladders(db))

    register_row_editing(guard, ids.GRID, ids.ADD, ids.REMOVE, NEW_LEVEL, PERMISSION)

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.GRID, "rowData", allow_duplicate=True),
                    Input(ids.SAVE, "n_clicks"), State(ids.GRID, "rowData"), prevent_initial_call=True,
                    permission=PERMISSION)
    def save_levels(clicks, rows):
        if not clicks or rows is None:
            raise PreventUpdate
        try:
            changed = save_escalation_rules(db, ladders_from_rows(rows), current_actor(), utc_now())
        except EscalationRulesError as exc:
            return refused(exc.problems), no_update
        text = "Saved; the jobs process escalates by these rules from its next check." if changed else "No changes."
        return dbc.Alert(text, color="success", dismissable=True), level_rows(escalation_ladders(db))

    @guard.callback(Output(ids.NOTICES, "rowData"), Input(ids.NOTICE_STATUS, "value"), Input(ids.TICK, "n_intervals"),
                    permission=PERMISSION)
    def list_notices(status, _tick):
        return notice_rows(recent_notices(db, status or None))
