"""Callbacks of the stops list: the stops that make up the loss named in the address, their sum beside the
figure the chart showed."""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from callbacks.fault_charts import minutes_text
from callbacks.fault_presenter import stop_rows
from callbacks.oee_analysis import filters_from, query_of
from core.clock import utc_now
from core.faults.loss_stops import StopList, StopListError, StopQuery, stop_list
from core.faults.timeline_store import fault_texts
from core.oee.service import OeeRequestError, local_day_window
from core.plant.equipment import reason_names, site_calendar
from pages.ids import FaultStops as ids

PERMISSION = "faults.view"
WHAT = ("loss", "reason", "fault")
SHOWN, HIDDEN = {"height": "560px"}, {"display": "none"}  # no grid for a loss that no stops make up


def summary_of(result: StopList, scope_label: str, window_label: str, back: str):
    where = f"{scope_label} · {window_label}"
    if result.message:
        return [html.P(where, className="text-body-secondary"), dbc.Alert(result.message, color="info"),
                dcc.Link("Back to the chart", href=back)]
    parts = [f"{len(result.stops):,} stops, {minutes_text(result.total_s)} counted in the loss"]
    if result.loss_s is not None:
        parts.append(f"the chart shows {minutes_text(result.loss_s)}")
    note = ("Counted: the part of each stop inside the window and inside planned time (not outside the shifts, "
            "not in a break). A stop still going counts until now.")
    return [html.P(where, className="text-body-secondary mb-1"), html.P(" — ".join(parts), className="fs-5 mb-1",
                                                                         id="fault-stops-total"),
            html.P(note, className="small text-body-secondary mb-1"), dcc.Link("Back to the chart", href=back)]


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.TITLE, "children"), Output(ids.SUMMARY, "children"), Output(ids.GRID, "rowData"),
                    Output(ids.GRID, "style"), Input(ids.URL, "search"), permission=PERMISSION)
    def show_stops(search):
        query = query_of(search)
        calendar = site_calendar(db)
        zone = calendar.zone if calendar else ZoneInfo("UTC")
        today = utc_now().astimezone(zone).date()
        chosen = filters_from(search, today, 1)
        asked = {name: query[name] for name in WHAT if name in query}
        try:
            window = local_day_window(calendar, chosen.first, chosen.last)
            result = stop_list(db, StopQuery(chosen.scope, window, **asked), utc_now())
        except (StopListError, OeeRequestError) as refused:
            return "Stops", dbc.Alert(f"{refused}. Open this list from a bar of the OEE waterfall, the downtime "
                                      f"Pareto or the fault Pareto.", color="warning"), [], HIDDEN
        back = ("/engineering/faults" if "fault" in asked else "/oee") + _scope_search(search)
        days = chosen.first.isoformat() + ("" if chosen.last == chosen.first else f" to {chosen.last.isoformat()}")
        return (result.title, summary_of(result, _scope_words(chosen), days, back),
                stop_rows(result.stops, zone, reason_names(db), fault_texts(db)), HIDDEN if result.message else SHOWN)


def _scope_words(chosen) -> str:
    if chosen.machine:
        return f"Machine {chosen.machine}"
    return f"Line {chosen.line}" if chosen.line else "Whole plant"


def _scope_search(search: str | None) -> str:
    query = query_of(search)
    kept = {k: query[k] for k in ("start", "end", "line", "machine") if query.get(k)}
    return f"?{urlencode(kept)}" if kept else ""
