"""How the model page reads (core.ml.views.ModelOverview -> words, figure and components): the active version's
facts, drift per feature against the retraining threshold, the versions with their decisions, and the words of
the confirmation before a version is made active or rolled back.

The functions above `# Components` are Dash-free (strings and dicts)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from callbacks.oee_charts import LAYOUT, empty
from callbacks.risk_presenter import NOT_MEASURED, local, metrics_from, percent
from core.ml.views import ModelOverview, VersionSummary

STATUS_WORDS = {"active": "active", "candidate": "candidate", "retired": "retired", "rejected": "rejected"}
CAN_BECOME_ACTIVE = {"candidate", "retired"}
DRIFT_SHOWN = 20  # the features drifting most; the rest are summed up in words
MODEL_WORDS = {"downtime_risk": "downtime risk", "anomaly": "anomaly"}


def short_checksum(checksum: str) -> str:
    return f"SHA-256 {checksum[:12]}…" if checksum else "none stored"


def window_words(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    return f"{local(start, zone, '%a %d %b %Y %H:%M')} – {local(end, zone, '%a %d %b %Y %H:%M')}"


def who_when(moment: datetime | None, who: str | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "never"
    return f"{local(moment, zone)} by {who}" if who else local(moment, zone)


def active_facts(version: VersionSummary, zone: ZoneInfo) -> list[tuple[str, str]]:
    """(label, value) pairs describing the active version, in the order a reader checks them."""
    return [
        ("Version", f"{version.version} — active since {who_when(version.activated_at, version.activated_by, zone)}"),
        ("Trained", who_when(version.trained_at, version.trained_by, zone)),
        ("Training window", window_words(version.train_start, version.train_end, zone)),
        ("Holdout window", window_words(version.holdout_start, version.holdout_end, zone)),
        ("Artefact", short_checksum(version.checksum)),
        ("Decision", version.decision or "no decision recorded"),
    ]


def _auc(figures: dict) -> str:
    value = metrics_from(figures).roc_auc if figures else None
    return NOT_MEASURED if value is None else f"{value:.3f}"


def _lift(value) -> str:
    return NOT_MEASURED if value is None else f"{value:.1f}×"


# The two figures the versions table shows per model: (heading, from the version's metrics and baseline metrics)
HEADLINES = {
    "downtime_risk": (("ROC-AUC", lambda m, b: _auc(m)), ("Baseline ROC-AUC", lambda m, b: _auc(b))),
    "anomaly": (("Minutes flagged", lambda m, b: percent(m.get("flagged_share"))),
                ("Lift", lambda m, b: _lift(m.get("lift")))),
}


def headlines(model: str) -> tuple[str, str]:
    first, second = HEADLINES.get(model, HEADLINES["downtime_risk"])
    return first[0], second[0]


DROPPED_WORDS = (" Its artefact was removed to save space (only the newest versions keep theirs): it can no longer be"
                 " made active.")


def version_rows(versions: tuple[VersionSummary, ...], zone: ZoneInfo) -> list[dict]:
    """A row per version; the active one may be rolled back only to the version it replaced (core.ml.registry
    .version_to_roll_back_to), when that one is still there to go back to."""
    by_id = {v.id: v for v in versions}
    target = next((by_id.get(v.replaced_version_id) for v in versions if v.status == "active"), None)
    earlier = target is not None and target.status != "rejected" and target.artefact_kept  # as roll_back decides
    rows = []
    for v in versions:
        first, second = HEADLINES.get(v.model, HEADLINES["downtime_risk"])
        rows.append({"id": v.id, "version": v.version, "status": STATUS_WORDS.get(v.status, v.status),
                     "trained": who_when(v.trained_at, v.trained_by, zone),
                     "first": first[1](v.metrics or {}, v.baseline_metrics or {}),
                     "second": second[1](v.metrics or {}, v.baseline_metrics or {}),
                     "decision": (v.decision or "") + ("" if v.artefact_kept else DROPPED_WORDS),
                     "can_activate": v.status in CAN_BECOME_ACTIVE and v.artefact_kept,
                     "is_active": v.status == "active",
                     "can_roll_back": v.status == "active" and earlier})
    return rows


def anomaly_figures(version: VersionSummary) -> list[tuple[str, str]]:
    """The anomaly model's holdout figures in words: what it flagged, and whether long stops followed."""
    m = version.metrics or {}
    hours = m.get("lift_hours")
    within = f"within {hours:g} h" if isinstance(hours, (int, float)) else "soon"
    stop = m.get("long_stop_minutes")
    long_stop = f"an unplanned stop of {stop:g} min or more" if isinstance(stop, (int, float)) else "a long stop"
    return [
        ("Running minutes scored", f"{m['holdout_minutes']:,}" if m.get("holdout_minutes") is not None
         else NOT_MEASURED),
        ("Minutes flagged", f"{m.get('flagged_minutes', 0):,} ({percent(m.get('flagged_share'))}) in "
                            f"{m.get('stretches', 0):,} stretches"),
        (f"Followed by {long_stop} {within}: after a flagged minute",
         percent(m.get("long_stop_rate_after_flagged"))),
        ("… after an unflagged minute", percent(m.get("long_stop_rate_after_unflagged"))),
        ("Lift (flagged against unflagged)", _lift(m.get("lift"))),
    ]


def drift_words(overview: ModelOverview, zone: ZoneInfo) -> tuple[str, str]:
    """(Bootstrap colour, words): when drift was checked and which features reached the retraining threshold."""
    if overview.model != "downtime_risk":
        return "secondary", ("Drift is checked for the downtime risk model (its hourly features against its training "
                             "rows); this model's features are not checked.")
    if overview.active is None:
        return "info", "No version is active: there is no training data to compare the last days with."
    if overview.drift_checked_at is None or not overview.drift:
        return "info", ("Drift has not been checked for the active version yet: the predictions job "
                             "(score_predictions) checks it every hour.")
    over = sorted(((psi, name) for name, psi in overview.drift.items() if psi >= overview.retrain_psi), reverse=True)
    when = local(overview.drift_checked_at, zone)
    if not over:
        return "success", (f"Checked {when}: no feature has a population stability index of {overview.retrain_psi:g} "
                           "or more; no retraining needed for drift.")
    named = ", ".join(f"{name} {psi:.2f}" for psi, name in over[:5]) + (" …" if len(over) > 5 else "")
    return "warning", (f"Checked {when}: {len(over)} of {len(overview.drift)} features reached the retraining "
                       f"threshold of {overview.retrain_psi:g} ({named}): retraining is due.")


def confirm_words(pending: dict) -> str:
    model = MODEL_WORDS.get(pending.get("model", ""), pending.get("model", ""))
    if pending.get("action") == "activate":
        active = pending.get("active")
        retired = f" Version {active}, active now, is retired." if active else ""
        return (f"Make version {pending['version']} of the {model} model active?{retired} The next scoring uses "
                f"version {pending['version']}. This is recorded in the audit log.")
    return (f"Roll the {model} model back: retire version {pending.get('version')} and make the version that was "
            "active before it active again? The next scoring uses it. This is recorded in the audit log.")


# Components


def anomaly_panel(version: VersionSummary | None):
    """The anomaly model has no naive baseline: its holdout figures and the verdict on its lift, in words."""
    if version is None:
        return html.P("No anomaly model is active: there is no measured figure to show.", className="mb-0")
    verdict = (version.metrics or {}).get("verdict") or version.decision or ""
    color = {True: "success", False: "warning"}.get((version.metrics or {}).get("beats_baseline"), "secondary")
    return html.Div([dbc.Alert(f"Version {version.version}: {verdict}", color=color, className="mb-2"),
                     html.Dl([part for label, value in anomaly_figures(version)
                              for part in (html.Dt(label), html.Dd(value))], className="models-facts mb-0")])


def active_card(overview: ModelOverview, zone: ZoneInfo):
    if overview.active is None:
        return dbc.Alert(overview.note or "No version of this model is active yet: run `floorboard ml train`.",
                         color="info", className="mb-0", id="models-no-active")
    features = overview.active.features
    folded = html.Details([html.Summary(f"{len(features)} features"),
                           html.Div(", ".join(features), className="risk-explain")])
    return html.Dl([part for label, value in active_facts(overview.active, zone)
                    for part in (html.Dt(label), html.Dd(value))] + [html.Dt("Features"), html.Dd(folded)],
                   className="models-facts mb-0")


def drift_figure(overview: ModelOverview) -> go.Figure:
    if not overview.drift:
        return empty("No drift check yet")
    ranked = sorted(overview.drift.items(), key=lambda item: item[1], reverse=True)[:DRIFT_SHOWN][::-1]
    names, values = [name for name, _ in ranked], [psi for _, psi in ranked]
    threshold = overview.retrain_psi
    colors = ["#fa5252" if v >= threshold else "#fcc419" if v >= threshold / 2 else "#4dabf7" for v in values]
    figure = go.Figure(go.Bar(x=values, y=names, orientation="h", marker_color=colors,
                              hovertemplate="%{y}: PSI %{x:.3f}<extra></extra>"), layout=LAYOUT)
    figure.add_vline(x=threshold, line_dash="dash", line_color="#fff",
                     annotation_text=f"retrain at {threshold:g}", annotation_position="top")
    figure.update_layout(height=90 + 26 * len(names), margin=dict(l=10, r=20, t=30, b=40),
                         xaxis_title="population stability index (training → last days)")
    figure.update_yaxes(automargin=True)
    figure.update_xaxes(range=[0, max(values + [threshold]) * 1.15])
    return figure


def drift_more(overview: ModelOverview) -> str:
    hidden = len(overview.drift) - DRIFT_SHOWN
    return f"The {hidden} other features drift less than those shown." if hidden > 0 else ""


def _action(row: dict, model: str, make_active_type: str, roll_back_type: str):
    if row["can_roll_back"]:
        return html.Button("Roll back", id={"type": roll_back_type, "model": model},
                           className="btn btn-outline-warning models-action mt-1")
    if row["can_activate"]:
        return html.Button("Make active", id={"type": make_active_type, "version": row["id"]},
                           className="btn btn-outline-primary models-action mt-1")
    return None


def versions_table(overview: ModelOverview, zone: ZoneInfo, can_manage: bool, make_active_type: str,
                   roll_back_type: str):
    """Every version, newest first; the buttons only for those who may change the active version."""
    if not overview.versions:
        return html.P("No version has been trained yet.", className="mb-0")
    heads = ["Version", "Status", "Trained", *headlines(overview.model), "Decision"]
    body = []
    for row in version_rows(overview.versions, zone):
        # the button sits under the status, so it stays in sight on a tablet whatever the decision's length
        action = _action(row, overview.model, make_active_type, roll_back_type) if can_manage else None
        status = [html.Div(row["status"], className=f"models-status-{row['status']}")] + ([action] if action else [])
        cells = [html.Td(row["version"]), html.Td(status), html.Td(row["trained"]), html.Td(row["first"]),
                 html.Td(row["second"]), html.Td(row["decision"], className="models-decision")]
        body.append(html.Tr(cells, id=f"models-version-{row['version']}"))
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)], size="sm",
                     responsive=True, className="models-table mb-0")
