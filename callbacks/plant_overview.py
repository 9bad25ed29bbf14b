"""Callbacks of the plant overview: every line's machines, refreshed, each line linking to its board."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html

from core.clock import utc_now
from core.live_status import FloorNow, floor_now
from callbacks.floor_presenter import duration, number, percent, shift_text, state_word
from pages.ids import Plant as ids

PERMISSION = "oee.view"


def plant_tables(floor: FloorNow) -> list:
    by_line: dict[tuple[str, str], list] = {}
    for machine in floor.machines:
        by_line.setdefault((machine.line_code, machine.line_name), []).append(machine)
    cards = []
    for (code, name), members in by_line.items():
        rows = [
            html.Tr([
                html.Td(m.name),
                html.Td(html.Span(state_word(m.state), className=f"state-badge state-{m.state}")),
                html.Td(duration(m.since, floor.now)),
                html.Td(m.reason_name or ""),
                html.Td(number(m.good), className="text-end"),
                html.Td(number(m.target_so_far), className="text-end"),
                html.Td(percent(m.availability), className="text-end"),
                html.Td(percent(m.oee), className="text-end"),
            ], id=f"plant-row-{m.code}")
            for m in members
        ]
        header = html.Thead(html.Tr([html.Th("Machine"), html.Th("State"), html.Th("For"), html.Th("Reason"),
                                     html.Th("Good", className="text-end"), html.Th("Target", className="text-end"),
                                     html.Th("Availability", className="text-end"),
                                     html.Th("OEE", className="text-end")]))
        cards.append(dbc.Card([
            dbc.CardHeader([html.Strong(f"{code} · {name}"),
                            dbc.Button("Open line board", href=f"/board?line={code}", size="sm", color="primary",
                                       className="float-end")]),
            dbc.Table([header, html.Tbody(rows)], className="mb-0", hover=True, responsive=True),
        ], className="mb-3"))
    return cards or [html.P("No lines are configured yet.")]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.TABLE, "children"), Output(ids.SHIFT, "children"), Input(ids.TICK, "n_intervals"),
                    permission=PERMISSION)
    def refresh_plant(_tick):
        floor = floor_now(db, utc_now())
        return plant_tables(floor), shift_text(floor)
