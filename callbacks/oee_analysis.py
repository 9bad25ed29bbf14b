"""Callbacks of the OEE analysis page: filters kept in the address, one chart per use case, CSV/Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask_login import current_user

from callbacks.floor_presenter import percent, unexplained_text
from callbacks.oee_charts import (
    STEP_LOSSES, clicked_reason, clicked_step, lines_figure, pareto_figure, trend_figure, waterfall_figure,
    waterfall_rows,
)
from core.faults.counted_stops import NOT_MADE_OF_STOPS
from core.clock import utc_now
from core.oee.service import (
    OeeRequestError, Scope, downtime_pareto, line_comparison, local_day_window, oee_for, oee_overview, oee_trend,
    downtime_summary,
)
from core.plant.equipment import lines, machines, site_calendar
from pages.ids import Oee as ids
from pages.ids import OeeDrill as drill

PERMISSION = "oee.view"
STOPS_PERMISSION = "faults.view"  # the stops list is the engineers' (pages/fault_stops.py)
STOPS_PATH = "/engineering/stops"
DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Filters:
    first: date
    last: date
    line: str | None
    machine: str | None
    granularity: str

    @property
    def scope(self) -> Scope:
        return Scope(line=None if self.machine else self.line, equipment=self.machine)


def filters_from(search: str | None, today: date, days: int = DEFAULT_DAYS) -> Filters:
    """The filters in the address; a missing or bad day falls back to the last `days` days."""
    query = query_of(search)

    def day(name: str, default: date) -> date:
        try:
            return date.fromisoformat(query[name][:10]) if query.get(name) else default
        except ValueError:
            return default

    return Filters(first=day("start", today - timedelta(days=days - 1)), last=day("end", today),
                   line=query.get("line") or None, machine=query.get("machine") or None,
                   granularity=query.get("granularity") or "day")


def query_of(search: str | None) -> dict[str, str]:
    """The address's query as one value per name (the last one given)."""
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?"), keep_blank_values=True).items()}


def search_of(start, end, line, machine, granularity) -> str:
    query = {k: v for k, v in {"start": (start or "")[:10], "end": (end or "")[:10], "line": line,
                               "machine": machine, "granularity": granularity}.items() if v}
    return "?" + urlencode(query) if query else ""


def stops_link(chosen: Filters, **what: str) -> str:
    """The stops list of one loss or bar (`loss=`, `reason=` or `fault=`) for the same scope and window."""
    query = {"start": chosen.first.isoformat(), "end": chosen.last.isoformat(), "line": chosen.line,
             "machine": chosen.machine, **what}
    return f"{STOPS_PATH}?{urlencode({k: v for k, v in query.items() if v or k in what})}"


def drill_target(step: str | None, reason: str | None) -> tuple[str | None, str | None]:
    """(what to list, as a query pair "name=value", or None; else the words telling why nothing is listed)."""
    if reason is not None:
        return f"reason={reason}", None
    loss = STEP_LOSSES.get(step or "")
    if loss is None:
        return None, f"{step} is a total, not a loss: click a red bar to list the stops behind it." if step else None
    if loss in NOT_MADE_OF_STOPS:
        return None, NOT_MADE_OF_STOPS[loss]
    return f"loss={loss}", None


def summary_tiles(result) -> dbc.Row:
    f = result.figures
    tiles = [("OEE", percent(f.oee)), ("Availability", percent(f.availability)), ("Performance", percent(f.performance)),
             ("Quality", percent(f.quality)), ("Good", f"{f.good_count:,}"), ("Rejects", f"{f.reject_count:,}")]
    columns = [dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="text-body-secondary"),
                                              html.Div(value, className="h3 mb-0", id=f"oee-kpi-{label.lower()}")])),
                       xs=6, md=2) for label, value in tiles]
    warning = [dbc.Col(dbc.Alert("Performance above 100%: check the ideal cycle times.", color="warning"), xs=12)] \
        if f.performance_above_one else []
    how = result.explanation
    source = dbc.Col(html.Small(
        f"{how['window']['label']} · counted until {how['window']['counted_until'][:16]} UTC · "
        f"{how['calendar']['timezone']} shifts {', '.join(how['calendar']['shifts']) or 'none'} · "
        f"policy {how['policy']} · startup rejects within {how['startup_window_minutes']:g} min of a changeover · "
        f"{len(result.machines)} machines, ideal cycle times and micro-stop thresholds from the plant file",
        className="text-body-secondary", id="oee-explanation"), xs=12)
    return dbc.Row(columns + warning + [source], className="g-2")


def register(guard, services) -> None:
    db = services.db

    def today() -> date:
        calendar = site_calendar(db)
        return utc_now().astimezone(calendar.zone).date() if calendar else utc_now().date()

    @guard.callback(
        Output(ids.URL, "search"), Output(ids.LINE, "options"), Output(ids.LINE, "value"),
        Output(ids.MACHINE, "options"), Output(ids.MACHINE, "value"), Output(ids.START, "start_date"),
        Output(ids.START, "end_date"), Output(ids.GRANULARITY, "value"),
        Input(ids.URL, "search"), Input(ids.START, "start_date"), Input(ids.START, "end_date"),
        Input(ids.LINE, "value"), Input(ids.MACHINE, "value"), Input(ids.GRANULARITY, "value"),
        permission=PERMISSION,
    )
    def sync_filters(search, start, end, line, machine, granularity):
        """One callback keeps the address and the filter controls in step, whichever changed."""
        if search is None:
            raise PreventUpdate  # the address is not known yet: dcc.Location reports it right after
        if ctx.triggered_id in (None, ids.URL):
            chosen = filters_from(search, today())
        else:
            chosen = filters_from(search_of(start, end, line, machine, granularity), today())
        line_codes = {line.code for line in lines(db)}
        plant = machines(db, chosen.line if chosen.line in line_codes else None)
        machine = chosen.machine if chosen.machine in {m.code for m in plant} else None
        wanted = search_of(chosen.first.isoformat(), chosen.last.isoformat(), chosen.line, machine,
                           chosen.granularity)
        return (wanted if wanted != (search or "") else no_update,
                [{"label": f"{code} · {name}", "value": code} for code, name in ((x.code, x.name) for x in lines(db))],
                chosen.line, [{"label": f"{m.code} · {m.name}", "value": m.code} for m in plant], machine,
                chosen.first.isoformat(), chosen.last.isoformat(), chosen.granularity)

    @guard.callback(Output(ids.SUMMARY, "children"), Output(ids.TREND, "figure"), Output(ids.WATERFALL, "figure"),
                    Input(ids.URL, "search"), permission=PERMISSION)
    def show_oee(search):
        chosen = filters_from(search, today())
        calendar = site_calendar(db)
        try:
            window = local_day_window(calendar, chosen.first, chosen.last)
            result, trend = oee_overview(db, chosen.scope, window, utc_now(), chosen.granularity)
        except OeeRequestError as refused:
            return dbc.Alert(str(refused), color="warning"), no_update, no_update
        target = calendar.target_oee if calendar else None
        return summary_tiles(result), trend_figure(trend, target), waterfall_figure(waterfall_rows(result.figures))

    @guard.callback(Output(ids.PARETO, "figure"), Output(ids.PARETO_NOTE, "children"), Input(ids.URL, "search"),
                    permission=PERMISSION)
    def show_pareto(search):
        chosen = filters_from(search, today())
        try:
            window = local_day_window(site_calendar(db), chosen.first, chosen.last)
            pareto, unexplained = downtime_summary(db, chosen.scope, window, utc_now())
        except OeeRequestError as refused:
            return no_update, str(refused)
        return pareto_figure(pareto), unexplained_text(unexplained)

    @guard.callback(Output(drill.LOCATION, "href"), Output(drill.NOTE, "children"),
                    Input(ids.WATERFALL, "clickData"), Input(ids.PARETO, "clickData"), State(ids.URL, "search"),
                    prevent_initial_call=True, permission=PERMISSION)
    def drill_into_stops(waterfall_click, pareto_click, search):
        """A click on a loss of the waterfall or a bar of the Pareto opens the stops that make it up."""
        if ctx.triggered_id == ids.WATERFALL:
            wanted, why_not = drill_target(clicked_step(waterfall_click), None)
        else:
            wanted, why_not = drill_target(None, clicked_reason(pareto_click))
        if wanted is None:
            return no_update, why_not or no_update
        if not current_user.can(STOPS_PERMISSION):
            return no_update, "The list of stops is for engineers and maintenance (faults.view)."
        name, value = wanted.split("=", 1)
        return stops_link(filters_from(search, today()), **{name: value}), ""

    @guard.callback(Output(ids.LINES, "figure"), Input(ids.URL, "search"), permission=PERMISSION)
    def show_lines(search):
        chosen = filters_from(search, today())
        calendar = site_calendar(db)
        window = local_day_window(calendar, chosen.first, chosen.last)
        return lines_figure(line_comparison(db, window, utc_now()), calendar.target_oee if calendar else None)

    @guard.callback(Output(ids.DOWNLOAD, "data"), Input(ids.EXPORT_CSV, "n_clicks"),
                    Input(ids.EXPORT_XLSX, "n_clicks"), State(ids.EXPORT_TABLE, "value"), State(ids.URL, "search"),
                    prevent_initial_call=True, permission=PERMISSION)
    def export_table(_csv, _xlsx, table, search):
        chosen = filters_from(search, today())
        frame = _export_frame(db, table, chosen)
        name = f"oee-{table}-{chosen.first.isoformat()}-{chosen.last.isoformat()}"
        if ctx.triggered_id == ids.EXPORT_XLSX:
            return dcc.send_data_frame(frame.to_excel, f"{name}.xlsx", sheet_name=table, index=False)
        return dcc.send_data_frame(frame.to_csv, f"{name}.csv", index=False)


def _export_frame(db, table: str, chosen: Filters) -> pd.DataFrame:
    window = local_day_window(site_calendar(db), chosen.first, chosen.last)
    now = utc_now()
    if table == "losses":
        return waterfall_rows(oee_for(db, chosen.scope, window, now).figures)
    if table == "pareto":
        return downtime_pareto(db, chosen.scope, window, now)
    if table == "lines":
        return line_comparison(db, window, now)
    trend = oee_trend(db, chosen.scope, window, now, chosen.granularity)
    if not trend.empty:  # Excel cannot hold timezone-aware times
        trend = trend.assign(period_start=trend["period_start"].map(lambda t: t.isoformat()),
                             period_end=trend["period_end"].map(lambda t: t.isoformat()))
    return trend
