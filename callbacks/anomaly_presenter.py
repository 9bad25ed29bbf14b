"""The anomaly page's pieces (DTO -> components): the timeline figure, the rows of the latest stretches with a
link to the tag trend at that time, and what the model is, in words."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from dash import html

from callbacks.fault_charts import ROW_HEIGHT_PX
from callbacks.oee_charts import LAYOUT, empty
from core.ml.anomaly_timeline import AnomalyTimeline
from core.ml.views import AnomalyStretch

TREND_MARGIN = timedelta(hours=1)  # the trend opens an hour either side of the stretch
ODD_COLORS = "YlOrRd_r"  # lower score (odder): darker red
# A fixed colour range, so that a colour means the same oddness whatever else the window holds: ordinary minutes
# score about -0.45, flagging thresholds lie near -0.7, and below -0.8 a minute is as odd as it gets.
SCORE_RANGE = (-0.8, -0.5)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """Wall-clock time of the site (plotly draws a time as written, whatever its offset)."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _minutes(stretch: AnomalyStretch) -> int:
    return round((stretch.end - stretch.start).total_seconds() / 60)


def _hover(stretch: AnomalyStretch, zone: ZoneInfo) -> str:
    return (f"<b>{stretch.machine}</b> {stretch.start.astimezone(zone):%a %d %b %H:%M} – "
            f"{stretch.end.astimezone(zone):%H:%M} ({_minutes(stretch)} min)<br>{stretch.detail}"
            f"<br>score {stretch.score:.3f} (lower: odder)")


def timeline_figure(timeline: AnomalyTimeline, zone: ZoneInfo) -> go.Figure:
    """A row per machine (board order, top down), a bar per stretch coloured by its score, what was odd on hover."""
    if not timeline.machines:
        return empty("No machines in the plant")
    start, end = local(timeline.start, zone), local(timeline.end, zone)
    if timeline.stretches:
        frame = pd.DataFrame({
            "machine": [s.machine for s in timeline.stretches],
            "start": [local(s.start, zone) for s in timeline.stretches],
            "end": [local(s.end, zone) for s in timeline.stretches],
            "score": [s.score for s in timeline.stretches],
            "hover": [_hover(s, zone) for s in timeline.stretches],
        })
        figure = px.timeline(frame, x_start="start", x_end="end", y="machine", color="score",
                             color_continuous_scale=ODD_COLORS, range_color=SCORE_RANGE, custom_data=["hover"],
                             category_orders={"machine": list(timeline.machines)})
        figure.update_traces(hovertemplate="%{customdata[0]}<extra></extra>")
        figure.update_layout(coloraxis_colorbar=dict(title="score<br>(lower: odder)", thickness=12))
    else:
        figure = go.Figure()
        figure.add_annotation(text="No odd behaviour in this window", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper", font=dict(size=16))
    # an invisible point per machine keeps a row for every machine, odd or not
    figure.add_trace(go.Scatter(x=[start] * len(timeline.machines), y=list(timeline.machines), mode="markers",
                                marker=dict(opacity=0), hoverinfo="skip", showlegend=False))
    figure.update_layout(**LAYOUT, height=max(220, 90 + ROW_HEIGHT_PX * len(timeline.machines)))
    figure.update_yaxes(title=None, type="category", categoryorder="array",
                        categoryarray=list(timeline.machines), autorange="reversed")
    figure.update_xaxes(title=None, type="date", range=[start, end])
    return figure


def trend_link(stretch: AnomalyStretch) -> str:
    """The tags page on this machine around this stretch. No mark_start/mark_end: the trend shades every stored
    stretch itself, labelled as an anomaly (a mark would be labelled "stop")."""
    query = {"machine": stretch.machine, "start": (stretch.start - TREND_MARGIN).isoformat(),
             "end": (stretch.end + TREND_MARGIN).isoformat()}
    return f"/engineering/tags?{urlencode(query)}"


def stretch_rows(timeline: AnomalyTimeline, zone: ZoneInfo) -> list[dict]:
    """The stretches of the window, latest first."""
    return [{"key": f"{s.equipment_id}-{s.start.isoformat()}", "machine": s.machine,
             "began": s.start.astimezone(zone).strftime("%a %d %b %H:%M"), "minutes": _minutes(s),
             "score": round(s.score, 3), "detail": s.detail, "trend": f"[Tag trend]({trend_link(s)})"}
            for s in sorted(timeline.stretches, key=lambda s: s.start, reverse=True)]


def model_note(timeline: AnomalyTimeline, zone: ZoneInfo):
    """What the active model is and what it achieved on its holdout days; or, plainly, that there is none."""
    version = timeline.version
    if version is None:
        return dbc.Alert(timeline.note, color="warning")
    metrics = version.metrics
    parts = [f"Anomaly model version {version.version}, trained {version.trained_at.astimezone(zone):%d %b %H:%M} "
             f"on {version.train_start.astimezone(zone):%d %b} – {version.train_end.astimezone(zone):%d %b}."]
    share = metrics.get("flagged_share")
    if share is not None:
        parts.append(f"On its holdout days it flagged {share:.1%} of running minutes.")
    parts.append(_lift_words(metrics))
    children = [html.Div(" ".join(parts))]
    if timeline.note:
        children.append(html.Div(timeline.note, className="fw-bold mt-1"))
    return dbc.Alert(children, color="secondary")


def _lift_words(metrics: dict) -> str:
    lift, stop, hours = metrics.get("lift"), metrics.get("long_stop_minutes"), metrics.get("lift_hours")
    if lift is None:
        return ("Whether a long stop follows flagged minutes more often could not be measured on the holdout "
                "(too few flagged minutes, or no long stop after unflagged ones).")
    after, usual = metrics.get("long_stop_rate_after_flagged"), metrics.get("long_stop_rate_after_unflagged")
    return (f"A stop of {stop:g} min or more began within {hours:g} h after {after:.0%} of flagged minutes against "
            f"{usual:.0%} of the others ({lift:.1f}× as often).")
