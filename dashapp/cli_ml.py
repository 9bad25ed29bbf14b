"""`floorboard ml`: train a prediction model by hand, and print the active one's figures (core.ml.service does the
work; `ml evaluate --json` prints exactly what the model page shows)."""

from __future__ import annotations

import json

import click

from core.clock import utc_now
from core.ml.registry import MODELS
from core.persistence.database import make_session_factory
from core.settings import load_settings
from dashapp.cli import _cli_actor, _require_ready_database, main, one_line_errors

_FIGURES = (("roc_auc", "ROC-AUC (higher is better)"), ("precision_at_k", "Precision at top {k} (higher is better)"),
            ("brier", "Brier score (lower is better)"))


@main.group()
def ml() -> None:
    """Prediction models: train them, and print the active version's figures against the naive baseline."""


@ml.command("train")
@click.option("--model", type=click.Choice(MODELS), default=MODELS[0], show_default=True)
@one_line_errors
def ml_train(model: str) -> None:
    """Train MODEL on the store's history now; it becomes active only if it beats the baseline (and the version
    active now, on the same holdout)."""
    from core.ml.service import put_to_work, train_model  # scikit-learn loads in seconds: only here

    db = make_session_factory(_require_ready_database(load_settings()))
    try:
        version = train_model(db, utc_now, model, by=_cli_actor().username)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Trained {version.model} version {version.version} ({len(version.features)} features): learned on "
               f"{_span(version.train_start, version.train_end)}, tested on "
               f"{_span(version.holdout_start, version.holdout_end)}.")
    click.echo(_figures_table(version.metrics, version.baseline_metrics))
    click.echo(f"Status: {version.status}. {version.decision}")
    if version.status == "active":
        what = "machine(s) scored" if version.model == "downtime_risk" else "odd stretch(es) found in its holdout days"
        click.echo(f"Put to work: {put_to_work(db, utc_now, version)} {what}")


@ml.command("evaluate")
@click.option("--model", type=click.Choice(MODELS), default=MODELS[0], show_default=True)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object (what the model page shows)")
@one_line_errors
def ml_evaluate(model: str, as_json: bool) -> None:
    """The active version's holdout metrics beside the baseline's, whether it beats the baseline, and the accuracy
    its stored predictions achieved over the last 28 days. Exit status 1 when no version is active."""
    from core.ml.service import evaluate_active  # scikit-learn loads in seconds: only the commands that need it

    db = make_session_factory(_require_ready_database(load_settings()))
    result = evaluate_active(db, model, utc_now())
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))
    elif not result["active"]:
        click.echo(result["note"])
    else:
        click.echo(_evaluation_text(result))
    if not result["active"]:
        raise SystemExit(1)


def _evaluation_text(result: dict) -> str:
    holdout = result["holdout_window"]
    lines = [f"{result['model']} version {result['version']} (trained {result['trained_at'][:16]} by "
             f"{result['trained_by']}), holdout {holdout['start'][:16]} to {holdout['end'][:16]} UTC:",
             _figures_table(result["model_metrics"], result["baseline_metrics"]),
             f"Beats the baseline: {_yes_no(result['beats_baseline'])}"
             + (f" (on the holdout it {result['verdict']})." if result["verdict"] else ".")]
    achieved = result["achieved"]
    if achieved is None:
        lines.append("Achieved: no stored prediction has reached the end of its horizon yet.")
    else:
        lines += [f"Achieved since {achieved['since'][:10]}:",
                  _figures_table(achieved["model"], achieved["baseline"]), achieved["note"]]
    return "\n".join(lines)


def _figures_table(model: dict, baseline: dict) -> str:
    """Model beside baseline, one figure a line; the anomaly model (no baseline) lists its own figures."""
    if "roc_auc" not in model:
        return "\n".join(f"  {key}: {_value(value)}" for key, value in sorted(model.items())
                         if key not in ("verdict", "beats_baseline"))
    k = model.get("k") or baseline.get("k") or "k"
    rows = [f"  {'':38}{'model':>10}{'baseline':>10}"]
    rows += [f"  {label.format(k=k):38}{_value(model.get(key)):>10}{_value(baseline.get(key)):>10}"
             for key, label in _FIGURES]
    rows.append(f"  on {model.get('rows', 0):,} machine hours, {model.get('positives', 0):,} of them followed by "
                "a stop")
    return "\n".join(rows)


def _value(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _yes_no(value) -> str:
    return {True: "yes", False: "no"}.get(value, "not measured")


def _span(start, end) -> str:
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
