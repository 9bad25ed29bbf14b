"""The trials page's figures and words: list rows, the form's values, and the trial-against-baseline panel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from callbacks.oee_charts import COLORS, LAYOUT, empty
from core.trials.comparison import TrialComparison
from core.trials.lifecycle import LABELS
from core.trials.trial_input import parameters_text
from core.trials.views import TrialView

NAMES = {"availability": "Availability", "performance": "Performance", "quality": "Quality", "oee": "OEE"}
BASELINE_COLOR = "#868e96"


def percent(value: float | None) -> str:
    """One decimal: a trial's effect is often a point or two."""
    return "–" if value is None else f"{value:.1%}"


def local(moment: datetime | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(zone).strftime(fmt) if moment else ""


def span_text(start: datetime | None, end: datetime | None, zone: ZoneInfo) -> str:
    if start is None:
        return ""
    same_day = end is not None and local(start, zone, "%Y-%m-%d") == local(end, zone, "%Y-%m-%d")
    return f"{local(start, zone)} – {local(end, zone, '%H:%M' if same_day else '%Y-%m-%d %H:%M') if end else 'now'}"


def success_word(success: bool | None) -> str:
    return "" if success is None else ("yes" if success else "no")


def trial_rows(trials: list[TrialView], zone: ZoneInfo) -> list[dict]:
    return [{"key": str(t.id), "id": t.id, "title": t.title, "line": t.line_code, "state": LABELS[t.state],
             "when": span_text(t.actual_start, t.actual_end, zone) if t.actual_start
             else f"planned {span_text(t.planned_start, t.planned_end, zone)}",
             "success": success_word(t.success)} for t in trials]


def form_values(trial: TrialView, zone: ZoneInfo) -> tuple:
    """Title, line, planned start and end (as a datetime-local input shows them), parameters, expected outcome,
    results, learnings, success."""
    return (trial.title, trial.line_code, local(trial.planned_start, zone, "%Y-%m-%dT%H:%M"),
            local(trial.planned_end, zone, "%Y-%m-%dT%H:%M"), parameters_text(trial.parameters),
            trial.expected_outcome, trial.results or "", trial.learnings or "", success_word(trial.success) or None)


def heading(trial: TrialView) -> list:
    color = {"planned": "secondary", "in_progress": "info", "completed": "success", "cancelled": "dark"}[trial.state]
    return [html.Span(trial.title, className="fw-bold me-2"), dbc.Badge(LABELS[trial.state], color=color)]


def points(delta: float | None) -> str:
    return "–" if delta is None else f"{delta * 100:+.1f} pts"


def comparison_summary(comparison: TrialComparison, zone: ZoneInfo) -> list:
    if comparison.trial_span is None:
        return [html.P("Not started yet: nothing to compare.", className="text-body-secondary")]
    span, base = comparison.trial_span, comparison.baseline_span
    rows = [html.Tr([html.Td(NAMES[m.measure]), html.Td(percent(m.trial)), html.Td(percent(m.baseline)),
                     html.Td(points(m.delta), className=_delta_class(m.delta))]) for m in comparison.measures]
    parts = [
        html.P([html.Strong("Trial "), f"{span_text(span.start, comparison.trial.actual_end, zone)}",
                f" ({_hours(comparison.trial_planned_s)} of planned production)", html.Br(),
                html.Strong("Baseline "), f"{span_text(base.start, base.end, zone)}",
                f" — the {comparison.baseline_days} days before the start"
                f" ({_hours(comparison.baseline_planned_s)} of planned production)"], className="mb-2"),
        dbc.Table([html.Thead(html.Tr([html.Th(""), html.Th("Trial"), html.Th("Baseline"), html.Th("Difference")])),
                   html.Tbody(rows)], size="sm", className="mb-2 fs-5"),
    ]
    if comparison.overlapping:
        parts.append(dbc.Alert("Other trials ran on this line during the baseline: "
                               + ", ".join(comparison.overlapping), color="warning", className="py-2"))
    return parts


def comparison_figure(comparison: TrialComparison) -> go.Figure:
    measures = comparison.measures
    if comparison.trial_span is None or all(m.trial is None and m.baseline is None for m in measures):
        return empty("No planned production to compare" if comparison.trial_span else "Not started yet")
    names = [NAMES[m.measure] for m in measures]
    figure = go.Figure(layout=LAYOUT)
    figure.add_trace(go.Bar(x=names, y=[m.baseline for m in measures], name="Baseline", marker_color=BASELINE_COLOR,
                            text=[percent(m.baseline) for m in measures], textposition="outside"))
    figure.add_trace(go.Bar(x=names, y=[m.trial for m in measures], name="Trial", marker_color=COLORS["oee"],
                            text=[percent(m.trial) for m in measures], textposition="outside",
                            customdata=[points(m.delta) for m in measures],
                            hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra>Trial</extra>"))
    figure.update_layout(barmode="group", margin=dict(l=50, r=20, t=40, b=40))
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    return figure


def _delta_class(delta: float | None) -> str:
    if delta is None or abs(delta) < 0.0005:
        return ""
    return "text-success fw-bold" if delta > 0 else "text-danger fw-bold"


def _hours(seconds: float | None) -> str:
    """Summed over the line's machines, as the OEE engine rolls a line up."""
    return "no machine-hours" if not seconds else f"{seconds / 3600:.1f} machine-hours"
