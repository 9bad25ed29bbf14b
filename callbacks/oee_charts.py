"""Plotly figures for the OEE analysis page, built from the engine's tables (DTO -> figure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.oee.figures import OeeFigures

WORLD_CLASS = 0.85
MAX_POINTS = 2000
COLORS = {"oee": "#4dabf7", "availability": "#51cf66", "performance": "#fcc419", "quality": "#ff8787"}
LAYOUT = dict(template="plotly_dark", paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
              margin=dict(l=50, r=20, t=20, b=40), legend=dict(orientation="h", y=1.12))


def empty(message: str) -> go.Figure:
    figure = go.Figure(layout=LAYOUT)
    figure.add_annotation(text=message, showarrow=False, font=dict(size=16), x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def trend_figure(trend: pd.DataFrame, target: float | None) -> go.Figure:
    if trend.empty:
        return empty("No planned production in this window")
    trend = trend.iloc[-MAX_POINTS:]
    figure = go.Figure(layout=LAYOUT)
    for measure in ("oee", "availability", "performance", "quality"):
        figure.add_trace(go.Scatter(
            x=trend["period_start"], y=trend[measure], name=measure.upper() if measure == "oee" else measure.title(),
            mode="lines+markers", line=dict(color=COLORS[measure], width=4 if measure == "oee" else 2),
            customdata=trend["period"], hovertemplate="%{customdata}: %{y:.1%}<extra>%{fullData.name}</extra>"))
    figure.add_hline(y=WORLD_CLASS, line=dict(dash="dot", color="#adb5bd"), annotation_text="world class 85%")
    if target:
        figure.add_hline(y=target, line=dict(dash="dash", color="#e599f7"), annotation_text=f"target {target:.0%}",
                         annotation_position="bottom right")
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    if len(trend) == 1:  # one period: plotly would zoom its time axis to milliseconds around the point
        figure.update_xaxes(tickvals=list(trend["period_start"]), ticktext=list(trend["period"]))
    return figure


def waterfall_rows(figures: OeeFigures) -> pd.DataFrame:
    """From all time down to fully productive time, in hours, as the waterfall shows it."""
    losses = figures.losses
    steps = [
        ("All time", figures.all_time_s, "absolute"),
        ("Not scheduled", -losses["not_scheduled_s"], "relative"),
        ("Planned stops", -losses["planned_stops_s"] if figures.policy == "oee_com" else 0.0, "relative"),
        ("No signal", -losses["no_data_s"], "relative"),
        ("Planned production", figures.planned_production_time_s, "total"),
        ("Breakdowns", -losses["breakdowns_s"], "relative"),
        ("Changeovers", -losses["setup_s"], "relative"),
        ("Idle", -losses["idle_s"], "relative"),
        ("Run time", figures.run_time_s, "total"),
        ("Small stops", -losses["small_stops_s"], "relative"),
        ("Reduced speed", -losses["reduced_speed_s"], "relative"),
        ("Startup rejects", -losses["startup_rejects_s"], "relative"),
        ("Production rejects", -losses["production_rejects_s"], "relative"),
        ("Fully productive", losses["fully_productive_s"], "total"),
    ]
    return pd.DataFrame([{"step": name, "hours": seconds / 3600, "measure": measure} for name, seconds, measure in steps])


# The waterfall's steps that are losses: step -> loss key (core.faults.counted_stops); the others are totals
STEP_LOSSES = {"Not scheduled": "not_scheduled", "Planned stops": "planned_stops", "No signal": "no_data",
               "Breakdowns": "breakdowns", "Changeovers": "setup", "Idle": "idle", "Small stops": "small_stops",
               "Reduced speed": "reduced_speed", "Startup rejects": "startup_rejects",
               "Production rejects": "production_rejects"}


def clicked_point(click: dict | None) -> dict | None:
    points = (click or {}).get("points") or []
    return points[0] if points else None


def clicked_step(click: dict | None) -> str | None:
    """The waterfall step a click landed on."""
    point = clicked_point(click)
    return None if point is None else point.get("x") or point.get("label")


def clicked_reason(click: dict | None) -> str | None:
    """The reason code of the downtime Pareto bar a click landed on ("" for stops without a reason)."""
    point = clicked_point(click)
    data = point.get("customdata") if point else None
    if not isinstance(data, list) or len(data) < 2:
        return None
    return "" if data[1] == "(no reason)" else data[1]


def waterfall_figure(rows: pd.DataFrame) -> go.Figure:
    if rows.empty or rows["hours"].iloc[0] == 0:
        return empty("Nothing to show in this window")
    figure = go.Figure(go.Waterfall(
        x=rows["step"], y=rows["hours"], measure=rows["measure"], texttemplate="%{y:.1f} h", textposition="outside",
        decreasing=dict(marker=dict(color="#fa5252")), totals=dict(marker=dict(color="#4dabf7")),
        increasing=dict(marker=dict(color="#51cf66")), connector=dict(line=dict(color="#868e96"))), layout=LAYOUT)
    figure.update_yaxes(title="hours")
    figure.update_layout(showlegend=False)
    return figure


def pareto_figure(pareto: pd.DataFrame) -> go.Figure:
    if pareto.empty:
        return empty("No stops in this window")
    top = pareto.head(20)
    figure = go.Figure(layout=LAYOUT)
    clickable = list(zip(top["occurrences"].astype(int), top["reason"]))  # a click lists the reason's stops
    figure.add_trace(go.Bar(x=top["name"], y=top["seconds"] / 3600, name="hours", marker_color="#fa5252",
                            customdata=clickable,
                            hovertemplate="%{x}: %{y:.1f} h in %{customdata[0]} stops<extra></extra>"))
    figure.add_trace(go.Scatter(x=top["name"], y=top["share"].cumsum(), name="cumulative share", yaxis="y2",
                                mode="lines+markers", line=dict(color="#fcc419"), customdata=clickable))
    figure.update_layout(yaxis=dict(title="hours"), yaxis2=dict(overlaying="y", side="right", tickformat=".0%",
                                                                 range=[0, 1.05]))
    return figure


def lines_figure(lines: pd.DataFrame, target: float | None) -> go.Figure:
    if lines.empty:
        return empty("No lines")
    figure = go.Figure(layout=LAYOUT)
    for measure in ("oee", "availability", "performance", "quality"):
        figure.add_trace(go.Bar(x=lines["line"], y=lines[measure], name=measure.upper() if measure == "oee" else
                                measure.title(), marker_color=COLORS[measure],
                                hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>"))
    figure.add_hline(y=WORLD_CLASS, line=dict(dash="dot", color="#adb5bd"))
    if target:
        figure.add_hline(y=target, line=dict(dash="dash", color="#e599f7"))
    figure.update_layout(barmode="group")
    figure.update_yaxes(tickformat=".0%")
    return figure
