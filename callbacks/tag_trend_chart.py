"""Plotly figure of tag trends (DTO -> figure): step lines for raw samples, mean with a min-max band for minutes;
stretches the anomaly model found odd shaded and labelled with what was odd."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence
from zoneinfo import ZoneInfo

import plotly.graph_objects as go

from callbacks.oee_charts import LAYOUT, empty
from core.ml.views import AnomalyStretch
from core.plc.tag_trends import TagSeries

PALETTE = ("#4dabf7", "#fcc419", "#51cf66", "#ff8787", "#e599f7", "#63e6be")
ANOMALY_COLOR = "#fd7e14"


def local(times: list[datetime], zone: ZoneInfo) -> list[datetime]:
    """Wall-clock times of the site (plotly draws a time as written, whatever its offset)."""
    return [moment.astimezone(zone).replace(tzinfo=None) for moment in times]


def anomaly_label(stretch: AnomalyStretch) -> str:
    """The first thing that was odd, without its figures in brackets: "cycle time 20% slower than usual"."""
    return "anomaly: " + stretch.detail.split(";")[0].split(" (")[0]


def trend_figure(series: list[TagSeries], start: datetime, end: datetime, zone: ZoneInfo,
                 mark: tuple[datetime, datetime] | None = None,
                 anomalies: Sequence[AnomalyStretch] = ()) -> go.Figure:
    """`mark`: a stretch to shade (a stop the trend was opened for); `anomalies`: the machine's stored anomaly
    stretches in the window, each shaded and labelled."""
    if not any(s.times for s in series):
        return empty("No values stored for these tags in this window")
    figure = go.Figure(layout=LAYOUT)
    if mark is not None:
        low, high = local(list(mark), zone)
        figure.add_vrect(x0=low, x1=high, fillcolor="#fa5252", opacity=0.15, line_width=0, annotation_text="stop",
                         annotation_position="top left")
    for stretch in anomalies:
        low, high = local([max(stretch.start, start), min(stretch.end, end)], zone)
        figure.add_vrect(x0=low, x1=high, fillcolor=ANOMALY_COLOR, opacity=0.2, line_width=0, layer="below",
                         annotation_text=anomaly_label(stretch), annotation_position="bottom left",
                         annotation_font=dict(size=11, color=ANOMALY_COLOR), name=f"anomaly {stretch.machine}")
    start, end = local([start, end], zone)
    for index, one in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        times = local(one.times, zone)
        if one.resolution == "minutes" and one.lows:
            figure.add_trace(go.Scatter(x=times + times[::-1], y=one.highs + one.lows[::-1], fill="toself",
                                        fillcolor=color, opacity=0.2, line=dict(width=0), hoverinfo="skip",
                                        showlegend=False, name=f"{one.tag} min-max"))
        figure.add_trace(go.Scatter(
            x=times, y=one.values, name=one.tag, mode="lines", line=dict(color=color, width=2,
                                                                              shape="hv" if one.resolution == "samples"
                                                                              else "linear"),
            yaxis="y" if index == 0 else "y2"))
    figure.update_layout(uirevision="tags", hovermode="x unified",
                         xaxis=dict(range=[start, end], rangeslider=dict(visible=True, thickness=0.08)),
                         yaxis2=dict(overlaying="y", side="right", showgrid=False))
    return figure
