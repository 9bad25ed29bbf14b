"""Plotly figures of the faults page (DTO -> figure): the Gantt of states and the fault Pareto."""

from __future__ import annotations

from typing import Sequence
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from callbacks.oee_charts import LAYOUT, empty
from core.faults.pareto import FaultBar
from core.faults.timeline import Segment

STATE_COLORS = {"running": "#51cf66", "down": "#fa5252", "changeover": "#fcc419", "idle": "#adb5bd",
                "planned_stop": "#4dabf7", "no_data": "#495057"}
STATE_NAMES = {"running": "running", "down": "down (breakdown)", "changeover": "changeover (setup)", "idle": "idle",
               "planned_stop": "planned stop", "no_data": "no signal"}
ROW_HEIGHT_PX = 34


def minutes_text(seconds: float) -> str:
    return f"{seconds / 60:,.1f} min" if seconds < 5400 else f"{seconds / 3600:,.1f} h"


def _hover(segment: Segment, zone: ZoneInfo, texts: dict[str, str], reasons: dict[str, str]) -> str:
    start, end = segment.start.astimezone(zone), segment.end.astimezone(zone)
    lines = [f"<b>{segment.equipment_code} · {STATE_NAMES.get(segment.state, segment.state)}</b>",
             f"{start:%a %d %b %H:%M:%S} – {end:%H:%M:%S} ({minutes_text(segment.seconds)})"]
    if segment.fault_code:
        lines.append(f"Fault {segment.fault_code}: {texts.get(segment.fault_code, 'not in the fault catalog')}")
    if segment.reason_code:
        lines.append(f"Reason: {reasons.get(segment.reason_code, segment.reason_code)}")
    return "<br>".join(lines)


def gantt_figure(segments: Sequence[Segment], machines: Sequence[str], zone: ZoneInfo, texts: dict[str, str],
                 reasons: dict[str, str]) -> go.Figure:
    """One row per machine (board order, top down), one bar per segment coloured by state; the fault code and
    its text on hover."""
    if not segments:
        return empty("Nothing heard from these machines in this window")
    frame = pd.DataFrame({
        "machine": [s.equipment_code for s in segments],
        "start": [s.start.astimezone(zone).replace(tzinfo=None) for s in segments],  # drawn as wall-clock time
        "end": [s.end.astimezone(zone).replace(tzinfo=None) for s in segments],
        "state": [s.state for s in segments],
        "hover": [_hover(s, zone, texts, reasons) for s in segments],
    })
    figure = px.timeline(frame, x_start="start", x_end="end", y="machine", color="state",
                         color_discrete_map=STATE_COLORS, custom_data=["hover"],
                         category_orders={"machine": list(machines), "state": list(STATE_COLORS)})
    figure.update_traces(hovertemplate="%{customdata[0]}<extra></extra>")
    for trace in figure.data:
        trace.name = STATE_NAMES.get(trace.name, trace.name)
    figure.update_layout(**LAYOUT, height=max(220, 90 + ROW_HEIGHT_PX * len(machines)), legend_title_text="")
    figure.update_yaxes(title=None, categoryorder="array", categoryarray=list(machines), autorange="reversed")
    figure.update_xaxes(title=None)
    return figure


def fault_pareto_figure(bars: Sequence[FaultBar], top: int = 15) -> go.Figure:
    """Time stopped (hours, left axis) and occurrences (right axis) per fault code, most time first; each bar
    carries its fault code for a click."""
    if not bars:
        return empty("No fault stopped a machine in this window")
    shown = list(bars)[:top]
    codes = [b.fault_code for b in shown]
    hover = [f"<b>{b.fault_code}</b> {b.text}<br>{minutes_text(b.seconds)} stopped, {b.occurrences} times"
             f"{f' ({b.small_stops} small stops)' if b.small_stops else ''}" for b in shown]
    figure = go.Figure(layout=LAYOUT)
    figure.add_trace(go.Bar(x=codes, y=[b.seconds / 3600 for b in shown], name="hours stopped", offsetgroup=0,
                            marker_color="#fa5252", customdata=list(zip(codes, hover)),
                            hovertemplate="%{customdata[1]}<extra></extra>"))
    figure.add_trace(go.Bar(x=codes, y=[b.occurrences for b in shown], name="occurrences", offsetgroup=1,
                            yaxis="y2", marker_color="#fcc419", customdata=list(zip(codes, hover)),
                            hovertemplate="%{customdata[1]}<extra></extra>"))
    figure.update_layout(barmode="group", yaxis=dict(title="hours stopped", rangemode="tozero"),
                         yaxis2=dict(title="occurrences", overlaying="y", side="right", showgrid=False,
                                     rangemode="tozero", tickformat=",d"))
    return figure
