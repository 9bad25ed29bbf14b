"""Callbacks of the tags page: machine list, live values with quality, trends re-read for the zoomed window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dash import Input, Output, State, ctx, no_update
from flask_login import current_user

from core.clock import utc_now
from core.ml.anomaly import anomaly_stretches
from core.plant.equipment import Machine, machines, site_zone
from core.plc.connection_status import connection_reports
from core.plc.tag_trends import MAX_POINTS, RAW_UP_TO, tag_trends
from callbacks.tag_trend_chart import trend_figure
from pages.ids import Tags as ids
from pages.ids import TagsFocus as focus

PERMISSION = "faults.view"
ANOMALIES = "predictions.view"  # the anomaly band is drawn for those who may see the anomalies


def live_rows(machine: Machine, values: dict[str, tuple]) -> list[dict]:
    roles = {tag: role for role, tag in machine.tags.items()}
    rows = []
    for tag in machine.read_tags:
        value, error = values.get(tag, (None, "not read yet"))
        rows.append({"tag": tag, "role": roles.get(tag, "trend"), "value": "" if value is None else str(value),
                     "quality": "good" if error is None else error})
    return rows


def zoomed_window(relayout: dict | None, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The window the person zoomed to on the chart (or the range slider), if they did."""
    if not relayout:
        return None
    low = relayout.get("xaxis.range[0]") or (relayout.get("xaxis.range") or [None])[0]
    high = relayout.get("xaxis.range[1]") or (relayout.get("xaxis.range") or [None, None])[1]
    if not low or not high:
        return None
    try:  # plotly sends the axis range as "YYYY-MM-DD HH:MM:SS.ffff", the site's wall-clock time as drawn
        return _aware(low, zone), _aware(high, zone)
    except ValueError:
        return None


def _aware(text: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(str(text).replace(" ", "T")).replace(tzinfo=zone).astimezone(timezone.utc)


def focus_window(data: dict | None) -> tuple[tuple[datetime, datetime] | None, tuple[datetime, datetime] | None]:
    """The window the address asked for (start, end) and the part to shade (mark_start, mark_end), if valid."""
    def pair(a: str, b: str):
        try:
            low, high = (datetime.fromisoformat((data or {}).get(key) or "") for key in (a, b))
        except ValueError:
            return None
        return (low, high) if low.tzinfo and high.tzinfo and low < high else None

    return pair("start", "end"), pair("mark_start", "mark_end")


def register(guard, services) -> None:
    db = services.db

    def find(code: str | None) -> Machine | None:
        return next((m for m in machines(db) if m.code == code), None)

    @guard.callback(Output(ids.MACHINE, "options"), Output(ids.MACHINE, "value"), Input(ids.MACHINE, "id"),
                    State(ids.MACHINE, "value"), permission=PERMISSION)
    def list_machines(_id, chosen):
        plant = [m for m in machines(db) if m.plc_driver]
        options = [{"label": f"{m.code} · {m.name}", "value": m.code} for m in plant]
        codes = [m.code for m in plant]
        return options, chosen if chosen in codes else (codes[0] if codes else None)

    @guard.callback(Output(ids.LIVE, "rowData"), Output(ids.LIVE_NOTE, "children"),
                    Input(ids.TICK, "n_intervals"), Input(ids.MACHINE, "value"), permission=PERMISSION)
    def live_values(_tick, code):
        machine = find(code)
        if machine is None:
            return [], "Choose a machine."
        report = next((r for r in connection_reports(db) if machine.code in r.machines), None)
        if report is None:
            return live_rows(machine, {}), "The scanner has not reported this machine yet."
        read_at = report.last_good_read_at
        note = (f"{report.connection} · {report.state} · last good read "
                f"{read_at.astimezone(site_zone(db)):%H:%M:%S}" if read_at else f"{report.connection} · "
                f"{report.state} · never read")
        return live_rows(machine, report.values.get(machine.code, {})), note

    @guard.callback(Output(ids.TREND_TAGS, "options"), Output(ids.TREND_TAGS, "value"), Input(ids.MACHINE, "value"),
                    permission=PERMISSION)
    def trend_tag_choices(code):
        machine = find(code)
        if machine is None:
            return [], []
        chosen = list(machine.trend_tags[:2]) or machine.read_tags[:1]
        return [{"label": tag, "value": tag} for tag in machine.read_tags], chosen

    @guard.callback(Output(focus.WINDOW, "data"), Input(ids.RANGE, "value"), prevent_initial_call=True,
                    permission=PERMISSION)
    def leave_focus(_hours):
        return None  # a range chosen: the window from the address no longer holds

    @guard.callback(Output(ids.TREND, "figure"), Output(ids.TREND_NOTE, "children"),
                    Input(ids.TREND_TAGS, "value"), Input(ids.RANGE, "value"), Input(ids.TREND, "relayoutData"),
                    Input(focus.WINDOW, "data"), State(ids.MACHINE, "value"), permission=PERMISSION)
    def draw_trend(tags, hours, relayout, focused, code):
        machine, zone = find(code), site_zone(db)
        if machine is None or not tags:
            return trend_figure([], utc_now(), utc_now(), zone), "Choose a machine and tags."
        end = utc_now()
        zoomed = zoomed_window(relayout, zone) if ctx.triggered_id == ids.TREND else None  # a new choice: no zoom
        asked, mark = focus_window(focused)
        start, end = zoomed or asked or (end - timedelta(hours=hours or 8), end)
        if end <= start:
            return no_update, no_update
        series = tag_trends(db, machine.id, [t for t in tags if t in machine.read_tags], start, end)
        resolution = "every stored change" if end - start <= RAW_UP_TO else "minute means with min-max band"
        if asked and not zoomed:
            resolution = f"{start.astimezone(zone):%d %b %H:%M} to {end.astimezone(zone):%H:%M} from the link " \
                         f"(choose a range to leave it); {resolution}"
        points = max((len(s.times) for s in series), default=0)
        odd = anomaly_stretches(db, start, end, [machine.id]) if current_user.can(ANOMALIES) else []
        return (trend_figure(series, start, end, zone, mark, odd),
                f"{resolution}; {points:,} points per trace at most (limit {MAX_POINTS:,}); zoom in for detail")
