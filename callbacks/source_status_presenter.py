"""How a source's sync status reads on the data sources page: one card of figures per source, quarantine rows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from callbacks.floor_presenter import duration
from core.sync.source_status import QuarantineEntry, SourceStatus
from pages.ids import AdminSources as ids

HEALTH_COLORS = {"ok": "success", "warning": "warning", "failing": "danger", "idle": "secondary"}


def when(moment: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    """Site time, the date only when not today, and how long ago."""
    return "never" if moment is None else f"{clock(moment, now, zone)} ({ago(moment, now)})"


def clock(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    return local.strftime("%H:%M:%S") if local.date() == today else local.strftime("%Y-%m-%d %H:%M")


def ago(moment: datetime, now: datetime) -> str:
    return f"{duration(moment, now)} ago"


def empty_state() -> dbc.Alert:
    return dbc.Alert([
        html.H2("No data sources", className="h5 alert-heading"),
        html.P(["The plant file has no ", html.Code("[[sources]]"), " block. To read machine data from another "
                "database (a CIMCO-style job and state log in MySQL): put its URL in an environment variable of "
                "the jobs process (", html.Code("CIMCO_DATABASE_URL"), " for a source named cimco) and run ",
                html.Code("floorboard sync inspect cimco"), ". It lists the tables and columns and prints a "
                "proposed block; paste it into the plant file, fill in what it left as comments, and load it "
                "with ", html.Code("floorboard plant load plant.toml"), ". A block looks like this:"]),
        html.Pre(SOURCE_EXAMPLE, className="mb-0"),
    ], color="secondary", id="admin-sources-empty-state")


SOURCE_EXAMPLE = """[[sources]]
name = "cimco"
url_env = "CIMCO_DATABASE_URL"
table = "JobLogOB"
id_column = "ID"
columns = { equipment = "MachineName", state = "State", start = "StartTime", end = "EndTime" }
states = { RUN = "running", DOWN = "down", SETUP = "changeover" }"""


def source_card(status: SourceStatus, now: datetime, zone: ZoneInfo) -> dbc.Card:
    header = html.Div([
        html.Div([html.H2(status.name, className="h5 mb-0"),
                  html.Small(f"{status.kind} · table {status.table} · every {status.every_s} s",
                             className="text-body-secondary")]),
        dbc.Badge(status.health, color=HEALTH_COLORS.get(status.health_level, "secondary"),
                  className="source-health"),
    ], className="d-flex justify-content-between align-items-start gap-2")
    return dbc.Card([
        dbc.CardHeader(header),
        dbc.CardBody([
            html.Div(_figures(status, now, zone), className="source-figures"),
            html.P(f"Since the first sync: {status.total_read:,} rows read, {status.total_written:,} written; "
                   f"{status.runs_failed:,} run{'s' if status.runs_failed != 1 else ''} failed.",
                   className="small text-body-secondary mb-2"),
            *_last_error(status, now, zone),
            *_requests(status, now, zone),
        ]),
        dbc.CardFooter([
            dbc.Button("Sync now", id={"type": ids.SYNC, "source": status.name}, color="primary", className="me-2"),
            dbc.Button("Retry quarantined rows", id={"type": ids.RETRY, "source": status.name}, color="secondary",
                       disabled=status.in_quarantine == 0 and status.retry_requested_at is None),
        ]),
    ], className=f"source-card source-{status.health_level}")


def _figure(label: str, value: str, *notes: str) -> html.Div:
    return html.Div([html.Div(label, className="source-figure-label"), html.Div(value, className="source-figure-value"),
                     *(html.Div(note, className="source-figure-note") for note in notes if note)],
                    className="source-figure")


def _moment(label: str, moment: datetime | None, now: datetime, zone: ZoneInfo, note: str = "") -> html.Div:
    if moment is None:
        return _figure(label, "never", note)
    return _figure(label, clock(moment, now, zone), ago(moment, now), note)


def _figures(status: SourceStatus, now: datetime, zone: ZoneInfo) -> list:
    if status.running:
        outcome = "running now"
    elif status.run_ok is None:
        outcome = ""
    else:
        took = duration(status.run_started_at, status.run_finished_at) if status.run_started_at else ""
        outcome = ("ok" if status.run_ok else "failed") + (f", took {took}" if took else "")
    lag = "not measured" if status.lag_rows is None else f"{status.lag_rows:,} rows"
    lag_note = "" if status.lag_seconds is None else f"{_seconds(status.lag_seconds)} behind the source"
    return [
        _moment("Last run", status.run_started_at, now, zone, outcome),
        _figure("Read", f"{status.rows_read:,}", "rows, last run"),
        _figure("Written", f"{status.rows_written:,}", "rows, last run"),
        _figure("Quarantined", f"{status.rows_quarantined:,}", "rows, last run"),
        _figure("Watermark", "none" if status.watermark_id is None else f"id {status.watermark_id:,}",
                f"changed rows up to {clock(status.watermark_updated, now, zone)}" if status.watermark_updated else ""),
        _figure("Lag", lag, lag_note),
        _moment("Last success", status.last_success_at, now, zone),
        _figure("In quarantine", f"{status.in_quarantine:,}", "rows now"),
    ]


def _seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _last_error(status: SourceStatus, now: datetime, zone: ZoneInfo) -> list:
    if not status.last_error:
        return []
    current = status.run_ok is False
    title = "Last run failed" if current else "Last error (runs have succeeded since)"
    return [dbc.Alert([html.Strong(f"{title}, {when(status.last_error_at, now, zone)}: "), status.last_error],
                      color="danger" if current else "secondary", className="py-2 small mb-2")]


def _requests(status: SourceStatus, now: datetime, zone: ZoneInfo) -> list:
    shown = []
    by = f" by {status.requested_by}" if status.requested_by else ""
    if status.run_requested_at is not None:
        shown.append(f"Sync requested{by} at {when(status.run_requested_at, now, zone)}: waiting for the jobs "
                     "process.")
    if status.retry_requested_at is not None:
        shown.append(f"Retry of the quarantined rows requested{by} at {when(status.retry_requested_at, now, zone)}: "
                     "waiting for the jobs process.")
    return [dbc.Alert(text, color="info", className="py-2 small mb-2") for text in shown]


def quarantine_rows(entries: list[QuarantineEntry], zone: ZoneInfo) -> list[dict]:
    def at(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")

    return [{"key": str(e.source_row_id), "row_id": e.source_row_id, "reason": e.reason, "raw": e.raw,
             "first_seen": at(e.first_seen_at), "last_seen": at(e.last_seen_at), "times_seen": e.times_seen}
            for e in entries]
