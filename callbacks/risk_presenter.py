"""How the risk board reads (core.ml.views -> words, then components): what is predicted, the machines riskiest
first with their drivers, and the model's accuracy against the naive baseline, on the holdout and as achieved
since. Every figure shown comes from the views; where one could not be measured, the page says so in words.

The functions above `# Components` are Dash-free (strings and dicts), so the wording is tested on its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import dcc, html

from core.ml.views import Achieved, Driver, Metrics, RiskBoard, RiskRow, VersionSummary

NOT_MEASURED = "not measurable"
STALE_AFTER = timedelta(hours=2)  # scoring runs hourly for machines in a shift: older than this is worth saying
FAULTS_PATH = "/engineering/faults"
TAGS_PATH = "/engineering/tags"


@dataclass(frozen=True)
class MetricLine:
    """One measure, model beside baseline; `better` is "model", "baseline" or None (equal or not measurable)."""

    measure: str
    explain: str
    model: str
    baseline: str
    better: str | None


def number(value: float) -> str:
    """10.0 -> "10", 1.5 -> "1.5": settings read as people wrote them."""
    return f"{value:g}"


def percent(probability: float | None) -> str:
    if probability is None:
        return NOT_MEASURED
    shown = probability * 100
    return f"{shown:.0f} %" if shown >= 9.5 or shown == 0 else f"{shown:.1f} %"


def target_words(stop_minutes: float, horizon_hours: float) -> str:
    hours = "hour" if horizon_hours == 1 else f"{number(horizon_hours)} hours"
    return f"Chance of an unplanned stop of {number(stop_minutes)} minutes or more in the next {hours}"


def local(moment: datetime, zone: ZoneInfo, fmt: str = "%a %d %b %H:%M") -> str:
    return moment.astimezone(zone).strftime(fmt)


def ago(moment: datetime, now: datetime) -> str:
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


def scored_words(made_at: datetime, now: datetime, zone: ZoneInfo) -> str:
    same_day = made_at.astimezone(zone).date() == now.astimezone(zone).date()
    return f"scored {local(made_at, zone, '%H:%M' if same_day else '%a %d %b %H:%M')} ({ago(made_at, now)})"


def is_stale(made_at: datetime, now: datetime) -> bool:
    return now - made_at > STALE_AFTER


def risk_level(row: RiskRow) -> str:
    """"high" at twice the usual chance for the hour or more, "above" over it, else "usual"."""
    if row.probability >= 2 * row.baseline_probability:
        return "high"
    return "above" if row.probability > row.baseline_probability else "usual"


def driver_words(driver: Driver) -> str:
    """The driver in plant words, with how many points of probability it adds (when it adds at least half a one)."""
    points = driver.effect * 100
    return f"{driver.text} (+{points:.0f} pts)" if points >= 0.5 else driver.text


def machine_links(row: RiskRow) -> dict[str, str]:
    return {"Fault analysis": f"{FAULTS_PATH}?{urlencode({'line': row.line, 'machine': row.machine})}",
            "Tag trends": f"{TAGS_PATH}?{urlencode({'machine': row.machine})}"}


def metrics_from(figures: dict | None) -> Metrics | None:
    """A version's stored metrics (a JSON dict) as Metrics; None when nothing was stored."""
    if not figures:
        return None
    return Metrics(rows=int(figures.get("rows") or 0), positives=int(figures.get("positives") or 0),
                   roc_auc=figures.get("roc_auc"), brier=figures.get("brier"),
                   precision_at_k=figures.get("precision_at_k"), k=int(figures.get("k") or figures.get("top_k") or 0))


def _better(model: float | None, baseline: float | None, higher_is_better: bool) -> str | None:
    if model is None or baseline is None or round(model, 3) == round(baseline, 3):
        return None
    return "model" if (model > baseline) == higher_is_better else "baseline"


def _fixed(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.3f}"


def metric_lines(model: Metrics | None, baseline: Metrics | None) -> list[MetricLine]:
    """ROC-AUC, precision at the top k and Brier score of the model beside the baseline's."""
    m, b = model or _NOTHING, baseline or _NOTHING
    k = m.k or b.k
    top = f"the {k} riskiest machines" if k else "the riskiest machines"
    return [
        MetricLine("ROC-AUC", "ranks stops above quiet hours; 0.5 is a coin toss, 1 perfect",
                   _fixed(m.roc_auc), _fixed(b.roc_auc), _better(m.roc_auc, b.roc_auc, True)),
        MetricLine(f"Precision at top {k}" if k else "Precision at top k",
                   f"share of {top} at each scoring that did stop",
                   percent(m.precision_at_k), percent(b.precision_at_k),
                   _better(m.precision_at_k, b.precision_at_k, True)),
        MetricLine("Brier score", "error of the probability, lower is better",
                   _fixed(m.brier), _fixed(b.brier), _better(m.brier, b.brier, False)),
    ]


_NOTHING = Metrics(rows=0, positives=0, roc_auc=None, brier=None, precision_at_k=None, k=0)


def beats_of(version: VersionSummary | None) -> bool | None:
    """Whether the version beat its baseline on its holdout, as recorded at training; None when not recorded."""
    value = (version.metrics or {}).get("beats_baseline") if version is not None else None
    return value if isinstance(value, bool) else None


def holdout_verdict(version: VersionSummary | None, beats_baseline: bool | None, zone: ZoneInfo) -> tuple[str, str]:
    """(Bootstrap colour, words): does the model earn its place against the machine's usual rate for the hour?"""
    if version is None:
        return "info", "No model is active: there is no measured accuracy to show."
    window = f"{local(version.holdout_start, zone, '%d %b')} – {local(version.holdout_end, zone, '%d %b %Y')}"
    if beats_baseline is True:
        return "success", (f"Version {version.version} beats the baseline on the holdout ({window}): its ranking is "
                           "better than each machine's usual rate for the hour.")
    if beats_baseline is False:
        return "warning", (f"Version {version.version} does NOT beat the baseline on the holdout ({window}): its "
                           "ranking is no better than each machine's usual rate for the hour. Use it with care.")
    return "secondary", f"Version {version.version}: whether it beats the baseline was not measured."


def achieved_title(achieved: Achieved, zone: ZoneInfo) -> str:
    return f"Achieved since {local(achieved.since, zone, '%a %d %b')}"


# Components


def _cell(line: MetricLine, who: str):
    shown = line.model if who == "model" else line.baseline
    return html.Td(shown, className="risk-metric-better" if line.better == who else None)


def metrics_table(holdout: tuple[Metrics | None, Metrics | None], holdout_title: str,
                  achieved: Achieved | None, achieved_title: str) -> dbc.Table:
    """One table: each measure on the holdout and as achieved, model beside baseline (the better one bold)."""
    sets = [(holdout_title, metric_lines(*holdout), holdout[0])]
    if achieved is not None:
        sets.append((achieved_title, metric_lines(achieved.model, achieved.baseline), achieved.model))
    head = [html.Tr([html.Th("")] + [html.Th(title, colSpan=2, className="risk-set") for title, _, _ in sets]),
            html.Tr([html.Th("Measure")] + [html.Th(who) for _ in sets for who in ("Model", "Baseline")])]
    body = [html.Tr([html.Td(line.measure)] + [_cell(lines[i], who) for _, lines, _ in sets
                                                  for who in ("model", "baseline")])
            for i, line in enumerate(sets[0][1])]
    body.append(html.Tr([html.Td("Predictions (stops)")] + [
        html.Td(counted(measured), colSpan=2, className="risk-counted") for _, _, measured in sets]))
    return dbc.Table([html.Thead(head), html.Tbody(body)], bordered=False, size="sm", responsive=True,
                     className="risk-metrics mb-1", id="risk-metrics")


def counted(metrics: Metrics | None) -> str:
    if metrics is None or metrics.rows == 0:
        return "none yet"
    return f"{metrics.rows:,} ({metrics.positives:,})"


def measures_explained(lines: list[MetricLine]) -> str:
    return ". ".join(f"{line.measure}: {line.explain}" for line in lines) + (
        ". Baseline: the machine's usual rate for that hour of the day. In green: the better of the two.")


def accuracy_panel(version: VersionSummary | None, beats_baseline: bool | None, achieved: Achieved | None,
                   zone: ZoneInfo) -> html.Div:
    """The model's accuracy against the baseline: on the holdout when it was trained, and achieved since."""
    color, verdict = holdout_verdict(version, beats_baseline, zone)
    why = (version.metrics or {}).get("verdict") if version is not None else None
    alert = dbc.Alert([verdict] + ([html.Div(f"On its holdout it {why}.", className="small mt-1")] if why else []),
                      color=color, className="mb-2 risk-verdict", id="risk-verdict")
    if version is None:
        return html.Div(alert)
    holdout = (metrics_from(version.metrics), metrics_from(version.baseline_metrics))
    title = f"Holdout {local(version.holdout_start, zone, '%d %b')} – {local(version.holdout_end, zone, '%d %b')}"
    achieved_note = achieved.note if achieved else (f"Achieved: no prediction of version {version.version} has "
                                                    "reached the end of its horizon yet, so there is nothing "
                                                    "achieved to measure.")
    return dbc.Row([
        dbc.Col([alert, html.Div(achieved_note, className="risk-explain")], xl=5),
        dbc.Col([metrics_table(holdout, title, achieved, achieved_title(achieved, zone) if achieved else ""),
                 html.Details([html.Summary("What these measures mean", className="risk-explain"),
                               html.Div(measures_explained(metric_lines(*holdout)), className="risk-explain")])],
                xl=7),
    ], className="g-3")


def target_header(board: RiskBoard) -> html.Div:
    return html.Div(target_words(board.stop_minutes, board.horizon_hours), className="risk-target-words")


BAR_LEGEND = ("Riskiest first. The white mark on each bar is the machine's usual chance for this hour (the baseline); "
              "the bar is red at twice that or more, orange above it, blue at or below it.")


def _bar(row: RiskRow) -> html.Div:
    width = f"{min(100.0, row.probability * 100):.1f}%"
    usual = f"{min(100.0, row.baseline_probability * 100):.1f}%"
    return html.Div([html.Div(className=f"risk-bar-fill risk-level-{risk_level(row)}", style={"width": width}),
                     html.Div(className="risk-bar-usual", style={"left": usual}, title="usual for this hour")],
                    className="risk-bar")


def machine_row(rank: int, row: RiskRow, now: datetime, zone: ZoneInfo) -> dbc.Card:
    drivers = ([html.Li(driver_words(d)) for d in row.drivers[:3]] or
               [html.Li("no single reason stands out", className="risk-explain")])
    stale = is_stale(row.made_at, now)
    scored = scored_words(row.made_at, now, zone) + (
        " — not scored since: out of its shift, or the jobs process is not running" if stale else "")
    return dbc.Card(dbc.CardBody(dbc.Row([
        dbc.Col([html.Span(f"{rank}", className="risk-rank"),
                 html.Div([html.Div(row.machine, className="risk-machine"),
                           html.Div(f"{row.machine_name} · line {row.line}", className="risk-explain"),
                           html.Div(scored, className="risk-scored text-warning" if stale else "risk-scored")])],
                className="risk-who", lg=3, md=6),
        dbc.Col([html.Div(percent(row.probability), className="risk-probability"), _bar(row),
                 html.Div(f"usual for this hour: {percent(row.baseline_probability)}", className="risk-usual")],
                lg=3, md=6),
        dbc.Col([html.Div("Why", className="risk-label"), html.Ul(drivers, className="risk-drivers")], lg=4, md=8),
        dbc.Col(html.Div([dcc.Link(label, href=href, className="risk-link") for label, href
                          in machine_links(row).items()], className="risk-links"), lg=2, md=4),
    ], className="g-2 align-items-center")), className="risk-row mb-2", id=f"risk-machine-{row.machine}")


def machine_rows(board: RiskBoard, now: datetime, zone: ZoneInfo) -> list:
    if not board.rows:
        return [dbc.Alert(board.note or "No machine has been scored yet.", color="info", id="risk-empty")]
    rows = [machine_row(rank, row, now, zone) for rank, row in enumerate(board.rows, start=1)]
    color = "warning" if board.beats_baseline is not True else "info"
    return ([dbc.Alert(board.note, color=color, id="risk-note")] if board.note else []) + [
        html.Div(BAR_LEGEND, className="risk-explain mb-2")] + rows
