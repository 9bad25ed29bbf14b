"""Plotly figures of quality: first-pass yield by machine, and a control chart (DTO -> figure)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from callbacks.oee_charts import LAYOUT, empty
from core.quality.control_charts import ChartSeries
from core.quality.spc import SpcData
from core.quality.yields import LineYield

IN_CONTROL, OUT_OF_CONTROL = "#4dabf7", "#ff6b6b"


def fpy_figure(lines: list[LineYield]) -> go.Figure:
    rows = [m for line in lines for m in line.machines if m.first_pass_yield is not None]
    if not rows:
        return empty("No units counted in this period")
    rows.reverse()  # the first machine on top
    figure = go.Figure(layout=LAYOUT)
    figure.add_trace(go.Bar(
        x=[m.first_pass_yield for m in rows], y=[m.equipment_code for m in rows], orientation="h",
        marker_color=["#51cf66" if m.first_pass_yield >= 0.99 else "#fcc419" if m.first_pass_yield >= 0.95
                      else "#ff8787" for m in rows],
        text=[f"{m.first_pass_yield:.1%}" for m in rows], textposition="auto",
        customdata=[[m.units.good, m.units.total, m.scrap, m.top_defect or "–"] for m in rows],
        hovertemplate="%{y}: %{x:.2%}<br>%{customdata[0]} good of %{customdata[1]}<br>scrap %{customdata[2]}, "
                      "mostly %{customdata[3]}<extra></extra>"))
    low = min(m.first_pass_yield for m in rows)
    figure.update_xaxes(tickformat=".0%", range=[max(0.0, low - 0.05), 1.0])
    figure.update_layout(margin=dict(l=60, r=20, t=10, b=30))
    return figure


def _series(figure: go.Figure, series: ChartSeries, x: list, row: int, name: str, hover: list[str]) -> None:
    out = set(series.out_of_control)
    figure.add_trace(go.Scatter(
        x=x, y=list(series.points), mode="lines+markers", name=name, line=dict(color=IN_CONTROL, width=2),
        marker=dict(size=[12 if i in out else 7 for i in range(len(x))],
                    color=[OUT_OF_CONTROL if i in out else IN_CONTROL for i in range(len(x))],
                    symbol=["diamond" if i in out else "circle" for i in range(len(x))]),
        customdata=hover, hovertemplate="%{customdata}<br>" + name + " %{y:.4g}<extra></extra>"), row=row, col=1)
    for value, label, dash in ((series.upper, "UCL", "dash"), (series.centre, "CL", "solid"),
                               (series.lower, "LCL", "dash")):
        figure.add_hline(y=value, line=dict(color="#adb5bd" if label == "CL" else "#e599f7", dash=dash, width=1),
                         annotation_text=f"{label} {value:.4g}", annotation_position="right", row=row, col=1)


def control_chart_figure(data: SpcData, zone: ZoneInfo) -> go.Figure:
    chart = data.chart
    if chart is None:
        return empty(data.problem or "No chart")
    x = [g.checked_at.astimezone(zone) for g in data.subgroups]
    hover = [f"{g.checked_at.astimezone(zone):%a %d %b %H:%M} · {g.equipment_code} · check {g.check_id}"
             for g in data.subgroups]
    individuals = chart.kind == "I-MR"
    names = ("Value", "Moving range") if individuals else ("Subgroup mean", "Range")
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06,
                           subplot_titles=(f"{names[0]} ({chart.kind})", names[1]))
    figure.update_layout(**LAYOUT)
    figure.update_layout(showlegend=False, margin=dict(l=60, r=110, t=40, b=40))
    _series(figure, chart.location, x, 1, names[0], hover)
    # the first value has no moving range: moving range i belongs to value i + 1
    _series(figure, chart.spread, x[1:] if individuals else x, 2, names[1], hover[1:] if individuals else hover)
    limits = data.characteristic.limits
    # specification limits hold for single values: drawn on the individuals chart, not beside subgroup means
    for value, label in ((limits.lower, "LSL"), (limits.upper, "USL")) if individuals else ():
        if value is not None:
            figure.add_hline(y=value, line=dict(color="#ffa94d", dash="dot", width=1), row=1, col=1,
                             annotation_text=f"{label} {value:g}", annotation_position="left")
    return figure
