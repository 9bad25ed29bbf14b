"""Callbacks of the operator board: choose the line (remembered), build its tiles, refresh them every tick.

The refresh sends only what changed: each field's current text comes in as
State and a field whose text is the same is answered with no_update.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, no_update
from flask_login import current_user

from core.board_preferences import remember_line, remembered_line
from core.clock import utc_now
from core.live_status import floor_now
from core.plant.equipment import lines, machines
from callbacks.floor_presenter import shift_text, tile_class, tile_fields
from pages.board_tiles import machine_tile
from pages.ids import Board as ids

PERMISSION = "board.view"


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.LINE, "options"), Output(ids.LINE, "value"), Input(ids.REQUESTED_LINE, "data"),
                    permission=PERMISSION)
    def offer_lines(requested):
        known = lines(db)
        codes = [line.code for line in known]
        chosen = next((c for c in (requested, remembered_line(db, current_user.username)) if c in codes),
                      codes[0] if codes else None)
        return [{"label": f"{line.code} · {line.name}", "value": line.code} for line in known], chosen

    @guard.callback(Output(ids.TILES, "children"), Output(ids.SHOWN_LINE, "data"), Input(ids.LINE, "value"),
                    permission=PERMISSION)
    def show_line(line_code):
        if not line_code:
            return "No lines are configured yet: an admin loads the plant file (floorboard plant load).", None
        remember_line(db, current_user.username, line_code)
        return [machine_tile(m.code, m.name) for m in machines(db, line_code)], line_code

    @guard.callback(
        Output({"type": ids.FIELD, "machine": ALL, "field": ALL}, "children"),
        Output({"type": ids.TILE, "machine": ALL}, "className"),
        Output(ids.SHIFT, "children"),
        Output(ids.UPDATED, "children"),
        Input(ids.TICK, "n_intervals"),
        Input(ids.SHOWN_LINE, "data"),
        State({"type": ids.FIELD, "machine": ALL, "field": ALL}, "children"),
        State({"type": ids.TILE, "machine": ALL}, "className"),
        permission=PERMISSION,
    )
    def refresh_tiles(_tick, line_code, shown_fields, shown_classes):
        if not line_code:
            return [], [], "", ""
        now = utc_now()
        floor = floor_now(db, now, line_code)
        by_code = {m.code: m for m in floor.machines}
        field_ids = ctx.outputs_list[0]
        tile_ids = ctx.outputs_list[1]
        fields = [_changed(tile_fields(by_code[i["id"]["machine"]], now)[i["id"]["field"]], shown)
                  if i["id"]["machine"] in by_code else no_update for i, shown in zip(field_ids, shown_fields)]
        classes = [_changed(tile_class(by_code[i["id"]["machine"]]), shown) if i["id"]["machine"] in by_code
                   else no_update for i, shown in zip(tile_ids, shown_classes)]
        updated = now.astimezone(floor.zone).strftime("%H:%M:%S") if floor.zone else now.strftime("%H:%M:%S")
        return fields, classes, shift_text(floor), updated


def _changed(new, shown):
    return no_update if new == shown else new
