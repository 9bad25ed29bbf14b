"""Callbacks of the money page: a preset or chosen days and a line -> core.money.money_lost -> the presenter."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks import money_presenter as present
from core.clock import utc_now
from core.money.money_lost import money_lost
from core.oee.service import OeeRequestError, Scope, local_day_window
from core.plant.equipment import lines, site_calendar
from pages.ids import Money as ids

PERMISSION = "money.view"
PRESET_DAYS = {"today": (0, 0), "yesterday": (1, 1), "7d": (6, 0), "30d": (29, 0)}  # days back: first, last


def preset_days(preset: str, today: date) -> tuple[date, date]:
    first_back, last_back = PRESET_DAYS[preset]
    return today - timedelta(days=first_back), today - timedelta(days=last_back)


def preset_of(first: date, last: date, today: date) -> str | None:
    """The preset these days are, None when they are days of one's own choosing."""
    return next((name for name in PRESET_DAYS if preset_days(name, today) == (first, last)), None)


def register(guard, services) -> None:
    db = services.db

    def today() -> date:
        calendar = site_calendar(db)
        return utc_now().astimezone(calendar.zone).date() if calendar else utc_now().date()

    @guard.callback(Output(ids.LINE, "options"), Input(ids.LINE, "id"), permission=PERMISSION)
    def line_options(_id):
        return [{"label": f"{line.code} · {line.name}", "value": line.code} for line in lines(db)]

    @guard.callback(Output(ids.DATES, "start_date"), Output(ids.DATES, "end_date"), Output(ids.PRESET, "value"),
                    Input(ids.PRESET, "value"), Input(ids.DATES, "start_date"), Input(ids.DATES, "end_date"),
                    permission=PERMISSION)
    def choose_days(preset, start, end):
        """A preset sets the days; days chosen by hand show the preset they match, or none."""
        local_today = today()
        if ctx.triggered_id == ids.DATES:
            if not start or not end:
                raise PreventUpdate
            return no_update, no_update, preset_of(date.fromisoformat(start[:10]), date.fromisoformat(end[:10]),
                                                   local_today)
        if preset not in PRESET_DAYS:
            raise PreventUpdate
        first, last = preset_days(preset, local_today)
        return first.isoformat(), last.isoformat(), no_update

    @guard.callback(Output(ids.SUMMARY, "children"), Output(ids.CATEGORY, "figure"), Output(ids.TREND, "figure"),
                    Output(ids.LINES, "rowData"), Output(ids.MACHINES, "rowData"), Output(ids.NOTES, "children"),
                    Input(ids.DATES, "start_date"), Input(ids.DATES, "end_date"), Input(ids.LINE, "value"),
                    permission=PERMISSION)
    def show_money(start, end, line):
        if not start or not end:
            raise PreventUpdate
        try:
            window = local_day_window(site_calendar(db), date.fromisoformat(start[:10]), date.fromisoformat(end[:10]))
            money = money_lost(db, Scope(line=line or None), window, utc_now())
        except (OeeRequestError, ValueError) as refused:
            return dbc.Alert(str(refused), color="warning"), no_update, no_update, [], [], ""
        label = start[:10] if start[:10] == end[:10] else f"{start[:10]} to {end[:10]}"
        query = urlencode({k: v for k, v in (("line", line), ("start", window.start.isoformat()),
                                             ("end", window.end.isoformat())) if v}, safe=":")
        return (present.summary_tiles(money, label), present.category_figure(money), present.trend_figure(money),
                present.line_rows(money), present.machine_rows(money), present.notes(money, query))
