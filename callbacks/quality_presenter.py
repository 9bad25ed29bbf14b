"""What the quality page shows: the check form of a template, the in/out-of-limits feedback, the results of a
check or a scrap entry, and the rows of the recent checks and scrap (DTO -> components)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from core.quality.catalog import TemplateView
from core.quality.checks import CheckResult, CheckView, number
from core.quality.limits import Limits, in_limits, verdict
from core.quality.scrap import ScrapResult, ScrapView
from core.quality.yields import LineYield
from pages.ids import Quality as ids


def limits_data(template: TemplateView | None) -> dict:
    """What the feedback needs of each characteristic, kept in the page's store."""
    if template is None:
        return {}
    return {c.code: {"lower": c.limits.lower, "upper": c.limits.upper, "unit": c.unit}
            for c in template.characteristics}


def check_form(template: TemplateView | None) -> list:
    if template is None:
        return [dbc.Alert("No quality check applies at this machine.", color="secondary", className="fs-5")]
    rows = []
    for c in template.characteristics:
        nominal = f" · nominal {c.nominal:g}" if c.nominal is not None else ""
        inputs = [html.Div([
            dbc.Input(id={"type": ids.VALUE, "characteristic": c.code, "sample": n}, type="text", inputMode="decimal",
                      placeholder=f"sample {n}" if c.samples > 1 else c.unit or "value",
                      className="quality-input", autoComplete="off"),
            html.Div(id={"type": ids.FEEDBACK, "characteristic": c.code, "sample": n}, className="quality-feedback"),
        ], className="quality-sample") for n in range(1, c.samples + 1)]
        rows.append(html.Div([
            html.Div([html.Span(c.name, className="quality-characteristic"),
                      html.Span(f"  {c.limits.text()}{nominal}", className="text-body-secondary fs-5")]),
            html.Div(inputs, className="quality-samples"),
        ], className="quality-row"))
    return rows


def feedback(value, limits: dict | None) -> tuple[str, str]:
    """(text, class) under a typed value: nothing while empty, 'not a number', 'in limits' or what it broke."""
    if value in (None, "") or not limits:
        return "", "quality-feedback"
    typed = number(value)
    if typed is None:
        return "not a number", "quality-feedback quality-out"
    bounds = Limits(limits.get("lower"), limits.get("upper"), limits.get("unit") or "")
    inside = in_limits(typed, bounds)
    return ("✓ " if inside else "✗ ") + verdict(typed, bounds), \
        "quality-feedback " + ("quality-in" if inside else "quality-out")


def check_result(result: CheckResult):
    if result.passed:
        return dbc.Alert(f"PASSED · {result.template} at {result.equipment_code}", color="success",
                         className="quality-verdict", id="quality-check-passed")
    call = html.P(f"Quality andon call {result.andon_call_id} raised at {result.equipment_code}.",
                  className="mb-0 fs-5")
    return dbc.Alert([html.Div("OUT OF LIMITS", className="quality-verdict"),
                      html.Ul([html.Li(line) for line in result.out_of_limits], className="fs-5"), call],
                     color="danger", id="quality-check-failed")


def scrap_result(result: ScrapResult):
    return dbc.Alert([html.Div(f"{result.quantity} × {result.defect_code} recorded at {result.equipment_code}",
                               className="fs-4 fw-bold"), html.Div(result.explanation, className="fs-5")],
                     color="success" if not result.moved else "warning", id="quality-scrap-recorded")


def refused(message: str, element_id: str):
    return dbc.Alert(message, color="danger", className="fs-5 mb-0", id=element_id)


def check_rows(checks: list[CheckView], zone: ZoneInfo) -> list[dict]:
    return [{"key": str(c.id), "at": c.checked_at.astimezone(zone).strftime("%a %H:%M"), "machine": c.equipment_code,
             "check": c.template, "result": "passed" if c.passed else "OUT OF LIMITS", "by": c.checked_by,
             "andon": c.andon_call_id} for c in checks]


def scrap_rows(entries: list[ScrapView], defect_names: dict[str, str], zone: ZoneInfo) -> list[dict]:
    return [{"key": str(s.id), "id": s.id, "at": s.at.astimezone(zone).strftime("%a %H:%M"),
             "machine": s.equipment_code, "quantity": s.quantity,
             "defect": defect_names.get(s.defect_code, s.defect_code),
             "counted": counted_text(s.classified, s.moved, s.equipment_code),
             "by": s.recorded_by} for s in entries]


def counted_text(classified: int, moved: int, machine: str) -> str:
    parts = [f"{classified} classified (counted by {machine})"] if classified else []
    return " · ".join(parts + ([f"{moved} moved good → reject"] if moved else []))


def line_yields_text(lines: list[LineYield]) -> list:
    return [html.Div(f"Line {line.line_code}: rolled throughput yield "
                     + (f"{line.rolled_throughput_yield:.2%}" if line.rolled_throughput_yield is not None
                        else "— (no units)")) for line in lines]
