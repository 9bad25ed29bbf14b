"""Callbacks of the faults page: filters kept in the address, the analysis drawn from one use case, and a click
on a bar of the fault Pareto opening its stops."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.fault_charts import fault_pareto_figure, gantt_figure
from callbacks.fault_presenter import fault_rows, machine_rows, overdue_banner, repeats_list, summary
from callbacks.oee_analysis import filters_from, search_of, stops_link
from callbacks.oee_charts import clicked_point
from core.clock import utc_now
from core.faults.analysis import fault_analysis
from core.maintenance.order_views import overdue_orders
from core.oee.service import OeeRequestError, local_day_window
from core.plant.equipment import lines, machines, site_calendar
from pages.ids import Faults as ids

PERMISSION = "faults.view"
DEFAULT_DAYS = 2  # yesterday and today: "availability fell yesterday"


def register(guard, services) -> None:
    db = services.db

    def today() -> date:
        calendar = site_calendar(db)
        return utc_now().astimezone(calendar.zone).date() if calendar else utc_now().date()

    def chosen_filters(search):
        return filters_from(search, today(), DEFAULT_DAYS)

    @guard.callback(
        Output(ids.URL, "search"), Output(ids.LINE, "options"), Output(ids.LINE, "value"),
        Output(ids.MACHINE, "options"), Output(ids.MACHINE, "value"), Output(ids.START, "start_date"),
        Output(ids.START, "end_date"),
        Input(ids.URL, "search"), Input(ids.START, "start_date"), Input(ids.START, "end_date"),
        Input(ids.LINE, "value"), Input(ids.MACHINE, "value"), permission=PERMISSION,
    )
    def sync_filters(search, start, end, line, machine):
        """One callback keeps the address and the filter controls in step, whichever changed."""
        if search is None:
            raise PreventUpdate  # the address is not known yet: dcc.Location reports it right after
        from_address = ctx.triggered_id in (None, ids.URL)
        chosen = chosen_filters(search if from_address else search_of(start, end, line, machine, None))
        known_lines = lines(db)
        plant = machines(db, chosen.line if chosen.line in {x.code for x in known_lines} else None)
        machine = chosen.machine if chosen.machine in {m.code for m in plant} else None
        wanted = search_of(chosen.first.isoformat(), chosen.last.isoformat(), chosen.line, machine, None)
        return (wanted if wanted != (search or "") else no_update,
                [{"label": f"{x.code} · {x.name}", "value": x.code} for x in known_lines], chosen.line,
                [{"label": f"{m.code} · {m.name}", "value": m.code} for m in plant], machine,
                chosen.first.isoformat(), chosen.last.isoformat())

    @guard.callback(Output(ids.SUMMARY, "children"), Output(ids.TIMELINE, "figure"), Output(ids.PARETO, "figure"),
                    Output(ids.BY_MACHINE, "rowData"), Output(ids.BY_FAULT, "rowData"),
                    Output(ids.REPEATS, "children"), Input(ids.URL, "search"), permission=PERMISSION)
    def show_analysis(search):
        chosen = chosen_filters(search)
        calendar = site_calendar(db)
        zone = calendar.zone if calendar else ZoneInfo("UTC")
        try:
            window = local_day_window(calendar, chosen.first, chosen.last)
            analysis = fault_analysis(db, chosen.scope, window, utc_now())
        except OeeRequestError as refused:
            return dbc.Alert(str(refused), color="warning"), no_update, no_update, [], [], []
        return (summary(analysis),
                gantt_figure(analysis.segments, [m.code for m in analysis.machines], zone, analysis.fault_texts,
                             analysis.reason_names),
                fault_pareto_figure(analysis.pareto), machine_rows(analysis), fault_rows(analysis),
                repeats_list(analysis, zone))

    @guard.callback(Output(ids.OVERDUE, "children"), Input(ids.OVERDUE + "-tick", "n_intervals"),
                    permission=PERMISSION)
    def show_overdue_work(_tick):
        """Preventive maintenance past its due time, above the analysis: a machine's faults may be its cause."""
        now = utc_now()
        return overdue_banner(overdue_orders(db, now), now, site_calendar(db))

    @guard.callback(Output(ids.DRILL, "href"), Input(ids.PARETO, "clickData"), State(ids.URL, "search"),
                    prevent_initial_call=True, permission=PERMISSION)
    def drill_into_fault(click, search):
        """A click on a bar of the fault Pareto opens the stops with that fault code."""
        point = clicked_point(click)
        data = point.get("customdata") if point else None
        if not isinstance(data, list) or not data:
            raise PreventUpdate
        return stops_link(chosen_filters(search), fault=str(data[0]))
