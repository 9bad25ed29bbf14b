"""Callbacks of the data sources page: the cards every few seconds, "Sync now" and "Retry quarantined rows"
(marks for the jobs process), and the chosen source's quarantined rows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, no_update

from callbacks.source_status_presenter import empty_state, quarantine_rows, source_card
from core.clock import utc_now
from core.plant.equipment import site_calendar
from core.sync.source_status import UnknownSource, quarantined_rows, request_retry, request_sync, source_statuses
from dashapp.actor import current_actor
from pages.ids import AdminSources as ids

PERMISSION = "datasources.manage"


def _zone(db) -> ZoneInfo:
    calendar = site_calendar(db)
    return calendar.zone if calendar else ZoneInfo("UTC")


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.CARDS, "children"), Output(ids.EMPTY, "children"),
                    Output(ids.QUARANTINE_SOURCE, "options"), Output(ids.QUARANTINE_SOURCE, "value"),
                    Output(ids.QUARANTINE_SECTION, "hidden"),
                    Input(ids.TICK, "n_intervals"), Input(ids.REFRESH, "data"), State(ids.QUARANTINE_SOURCE, "value"),
                    permission=PERMISSION)
    def show_sources(_tick, _refresh, chosen):
        now, zone = utc_now(), _zone(db)
        statuses = source_statuses(db, now)
        if not statuses:
            return [], empty_state(), [], None, True
        options = [{"label": f"{s.name} ({s.in_quarantine:,} in quarantine)", "value": s.name} for s in statuses]
        names = [s.name for s in statuses]
        if chosen not in names:  # first the source that holds rows, else the first one
            chosen = next((s.name for s in statuses if s.in_quarantine), names[0])
        return [source_card(s, now, zone) for s in statuses], None, options, chosen, False

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"),
                    Input({"type": ids.SYNC, "source": ALL}, "n_clicks"),
                    Input({"type": ids.RETRY, "source": ALL}, "n_clicks"), State(ids.REFRESH, "data"),
                    prevent_initial_call=True, permission=PERMISSION)
    def ask_jobs_process(_syncs, _retries, refresh):
        # The cards are redrawn every few seconds: a new button (no click) must not count as a request.
        if not isinstance(ctx.triggered_id, dict) or not ctx.triggered[0]["value"]:
            return no_update, no_update
        name, retry = ctx.triggered_id["source"], ctx.triggered_id["type"] == ids.RETRY
        try:
            (request_retry if retry else request_sync)(db, name, current_actor(), utc_now())
        except UnknownSource as exc:
            return dbc.Alert(str(exc), color="danger", dismissable=True), no_update
        what = "A retry of the quarantined rows" if retry else "A sync"
        return (dbc.Alert(f"{what} of {name} was requested: the jobs process does it on its next tick.",
                          color="success", dismissable=True, duration=8000), (refresh or 0) + 1)

    @guard.callback(Output(ids.QUARANTINE, "rowData"), Input(ids.QUARANTINE_SOURCE, "value"),
                    Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def show_quarantine(name, _tick):
        if not name:
            return []
        return quarantine_rows(quarantined_rows(db, name), _zone(db))
