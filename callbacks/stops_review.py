"""Callbacks of the managers' stops page: a line's stops of a day, change a reason, split a stop."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update

from core.board_preferences import remembered_line
from core.clock import utc_now
from callbacks.floor_presenter import unexplained_text
from callbacks.maintenance_links import new_order_address
from core.oee.service import Scope, local_day_window, unexplained_stop_share
from core.plant.equipment import lines, reason_names, site_calendar
from core.stop_queue import QUEUED_STATES, ReasonChoice, line_stops, reason_tree
from core.stop_reasons import StopReasonError, change_reason, split_stop
from dashapp.actor import current_actor
from pages.ids import MaintenanceIds, Stops as ids

PERMISSION = "stops.edit"


def reason_options(tree: tuple[ReasonChoice, ...], above: str = "") -> list[dict]:
    """Every reason, children under their parents, labelled with the path down to them."""
    options = []
    for choice in tree:
        label = f"{above} › {choice.name}" if above else choice.name
        options.append({"label": label, "value": choice.code})
        options += reason_options(choice.children, label)
    return options


def moment_after(start: datetime, clock: str, zone: ZoneInfo) -> datetime:
    """The first moment at or after the local day of `start` that shows `clock` (HH:MM or HH:MM:SS), after
    `start` itself: a stop that began at 23:50 and is split at 00:10 is split the next day."""
    try:
        parts = [int(p) for p in (clock or "").strip().split(":")]
        wanted = time(*parts) if len(parts) in (2, 3) else None
    except (TypeError, ValueError):
        wanted = None
    if wanted is None:
        raise StopReasonError("give the split time as HH:MM or HH:MM:SS, in the plant's time")
    local = start.astimezone(zone)
    moment = datetime.combine(local.date(), wanted, tzinfo=zone)
    return moment if moment > start else moment + timedelta(days=1)


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.LINE, "options"), Output(ids.LINE, "value"), Output(ids.DAY, "date"),
                    Output(ids.REASON, "options"), Output(ids.SECOND_REASON, "options"),
                    Input(ids.LINE, "id"), permission=PERMISSION)
    def offer_choices(_id):
        known = [line.code for line in lines(db)]
        remembered = remembered_line(db, current_actor().username)
        chosen = remembered if remembered in known else (known[0] if known else None)
        calendar = site_calendar(db)
        today = utc_now().astimezone(calendar.zone).date() if calendar else utc_now().date()
        reasons = reason_options(reason_tree(db))
        return ([{"label": code, "value": code} for code in known], chosen, today.isoformat(), reasons, reasons)

    @guard.callback(Output(ids.GRID, "rowData"), Output(ids.SHARE, "children"),
                    Input(ids.LINE, "value"), Input(ids.DAY, "date"), Input(ids.REFRESH, "data"),
                    permission=PERMISSION)
    def show_stops(line_code, day, _refresh):
        if not line_code or not day:
            return [], ""
        now, calendar = utc_now(), site_calendar(db)
        window = local_day_window(calendar, date.fromisoformat(day), date.fromisoformat(day))
        zone = calendar.zone if calendar else ZoneInfo("UTC")
        names = reason_names(db)
        rows = [{"key": str(s.id), "id": s.id, "start": s.start.astimezone(zone).strftime("%H:%M:%S"),
                 "start_utc": s.start.isoformat(),
                 "machine": s.equipment_code, "state": s.state, "minutes": round(s.seconds(now) / 60, 1),
                 "reason": names.get(s.reason_code, s.reason_code) if s.reason_code
                 else ("No reason given" if s.state in QUEUED_STATES else ""),
                 "fault": s.fault_code or ""}
                for s in line_stops(db, line_code, window.start, window.end, now)]
        return rows, unexplained_text(unexplained_stop_share(db, Scope(line=line_code), window, now))

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"),
                    Input(ids.CHANGE, "n_clicks"), State(ids.GRID, "selectedRows"), State(ids.REASON, "value"),
                    State(ids.REFRESH, "data"), prevent_initial_call=True, permission=PERMISSION)
    def change(_clicks, selected, reason, refresh):
        if not selected or not reason:
            return dbc.Alert("Choose a stop in the table and a reason.", color="warning"), no_update
        try:
            stop = change_reason(db, selected[0]["id"], reason, current_actor(), utc_now())
        except StopReasonError as error:
            return dbc.Alert(str(error), color="danger"), (refresh or 0) + 1
        return dbc.Alert(f"{stop.equipment_code}: the reason is now {reason}.", color="success",
                         dismissable=True), (refresh or 0) + 1

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Output(ids.REFRESH, "data", allow_duplicate=True),
                    Input(ids.SPLIT, "n_clicks"), State(ids.GRID, "selectedRows"), State(ids.SPLIT_AT, "value"),
                    State(ids.REASON, "value"), State(ids.SECOND_REASON, "value"), State(ids.REFRESH, "data"),
                    prevent_initial_call=True, permission=PERMISSION)
    def split(_clicks, selected, clock, first, second, refresh):
        if not selected or not first or not second:
            return dbc.Alert("Choose a stop, a reason for each part and the split time.", color="warning"), no_update
        calendar = site_calendar(db)
        zone = calendar.zone if calendar else ZoneInfo("UTC")
        try:
            stop_start = datetime.fromisoformat(selected[0]["start_utc"])
            at = moment_after(stop_start, clock, zone)
            one, two = split_stop(db, selected[0]["id"], at, first, second, current_actor(), utc_now())
        except StopReasonError as error:
            return dbc.Alert(str(error), color="danger"), (refresh or 0) + 1
        return dbc.Alert(f"{one.equipment_code}: split at {at.astimezone(zone):%H:%M:%S} into {first} and {second}.",
                         color="success", dismissable=True), (refresh or 0) + 1

    @guard.callback(Output(MaintenanceIds.STOPS_GO, "href"), Output(ids.MESSAGE, "children", allow_duplicate=True),
                    Input(MaintenanceIds.STOPS_WORK_ORDER, "n_clicks"), State(ids.GRID, "selectedRows"),
                    prevent_initial_call=True, permission=PERMISSION)
    def work_order(_clicks, selected):
        return new_order_address("stop", selected)
