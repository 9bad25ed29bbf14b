"""Callbacks of the control-chart page: the characteristics to choose from, and the chart of the chosen one."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output

from callbacks.oee_charts import empty
from callbacks.quality_charts import control_chart_figure
from core.clock import utc_now
from core.plant.equipment import machines, site_calendar
from core.quality.spc import SpcData, characteristic_choices, spc_data
from pages.ids import QualitySpc as ids

PERMISSION = "oee.view"
MAX_DAYS = 400


def summary(data: SpcData):
    chart = data.chart
    if chart is None:
        return dbc.Alert(data.problem, color="secondary", className="mb-0")
    out = len(chart.location.out_of_control) + len(chart.spread.out_of_control)
    unit = f" {data.characteristic.unit}" if data.characteristic.unit else ""
    text = (f"{chart.kind} of {len(data.subgroups)} checks · centre {chart.location.centre:.4g}{unit} · control limits "
            f"{chart.location.lower:.4g} – {chart.location.upper:.4g}{unit} · specification "
            f"{data.characteristic.limits.text()}")
    parts = [text, f" · {out} point(s) out of control" if out else " · in control"]
    if data.problem:
        parts.append(f" · {data.problem}")
    return dbc.Alert("".join(parts), color="danger" if out else "success", className="mb-0",
                     id="quality-spc-verdict")


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.CHARACTERISTIC, "options"), Output(ids.CHARACTERISTIC, "value"),
                    Output(ids.MACHINE, "options"), Input(ids.CHARACTERISTIC, "id"), permission=PERMISSION)
    def offer_choices(_id):
        choices = characteristic_choices(db)
        return ([{"label": f"{t.name} › {c.name}" + (f" ({c.unit})" if c.unit else ""), "value": c.id}
                 for t, c in choices], choices[0][1].id if choices else None,
                [{"label": f"{m.code} · {m.name}", "value": m.code} for m in machines(db)])

    @guard.callback(Output(ids.CHART, "figure"), Output(ids.SUMMARY, "children"), Input(ids.CHARACTERISTIC, "value"),
                    Input(ids.MACHINE, "value"), Input(ids.DAYS, "value"), permission=PERMISSION)
    def draw(characteristic_id, machine, days):
        now = utc_now()
        days = min(max(int(days or 7), 1), MAX_DAYS)
        data = spc_data(db, int(characteristic_id), now - timedelta(days=days), now, machine) \
            if characteristic_id else None
        if data is None:
            return empty("Choose a characteristic"), None
        calendar = site_calendar(db)
        return control_chart_figure(data, calendar.zone if calendar else ZoneInfo("UTC")), summary(data)
