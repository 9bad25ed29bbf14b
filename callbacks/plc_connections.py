"""Callbacks of the PLC connections page: the scanner's reports, the spool warning, recent outages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output

from core.clock import utc_now
from core.plant.equipment import site_calendar
from core.plc.connection_status import ConnectionReport, Outage, connection_reports, recent_outages
from callbacks.floor_presenter import duration
from pages.ids import PlcConnections as ids

PERMISSION = "faults.view"
STALE_AFTER = timedelta(seconds=30)  # the jobs process reports every few seconds
SPOOL_WARNING_DEPTH = 1_000


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if moment else "never"


def connection_rows(reports: list[ConnectionReport], zone: ZoneInfo) -> list[dict]:
    return [{"connection": r.connection, "state": r.state, "machines": ", ".join(r.machines),
             "last_good_read": _when(r.last_good_read_at, zone),
             "latency": None if r.latency_ms is None else round(r.latency_ms, 1), "reads": r.reads,
             "errors": r.errors, "last_error": r.last_error or ""} for r in reports]


def outage_rows(outages: list[Outage], now: datetime, zone: ZoneInfo) -> list[dict]:
    return [{"machine": o.equipment_code, "started": _when(o.started_at, zone),
             "ended": _when(o.ended_at, zone) if o.ended_at
             else "still out", "lasted": duration(o.started_at, o.ended_at or now), "error": o.error}
            for o in outages]


def warnings(reports: list[ConnectionReport], now: datetime) -> list:
    if not reports:
        return [dbc.Alert("No PLC connection has reported: is `floorboard jobs` running, and does any machine "
                          "have a plc in the plant file?", color="secondary")]
    shown = []
    newest = max(r.updated_at for r in reports)
    if now - newest > STALE_AFTER:
        shown.append(dbc.Alert(f"The jobs process last reported {duration(newest, now)} ago: the figures below "
                               "are old. Check that `floorboard jobs` is running.", color="warning"))
    spool = reports[0]
    if spool.spool_overflow:
        shown.append(dbc.Alert(f"The local spool overflowed: {spool.spool_overflow:,} readings were refused while "
                               "the database was away. Counts are kept (counters are cumulative) but the states "
                               "in between are lost.", color="danger", id="plc-spool-overflow"))
    if spool.spool_refused:
        shown.append(dbc.Alert(f"The database refused {spool.spool_refused:,} readings as data (for example a "
                               "value out of range); they were set aside and logged by the jobs process with "
                               "their content.", color="danger", id="plc-spool-refused"))
    if spool.spool_depth >= SPOOL_WARNING_DEPTH:
        shown.append(dbc.Alert(f"{spool.spool_depth:,} readings wait in the local spool: the database is slow "
                               "or away.", color="warning", id="plc-spool-depth"))
    return shown


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.GRID, "rowData"), Output(ids.OUTAGES, "rowData"), Output(ids.WARNING, "children"),
                    Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def refresh_connections(_tick):
        now, calendar = utc_now(), site_calendar(db)
        zone = calendar.zone if calendar else ZoneInfo("UTC")
        reports = connection_reports(db)
        return connection_rows(reports, zone), outage_rows(recent_outages(db), now, zone), warnings(reports, now)
