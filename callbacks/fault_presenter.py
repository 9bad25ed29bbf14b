"""How the fault analysis reads on screen (DTO -> rows and components): MTBF/MTTR tables, repeat faults, the
summary, and the stops list with a link to each stop's tag trend and to a work order for it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from core.faults.analysis import FaultAnalysis
from core.faults.counted_stops import CountedStop
from core.faults.reliability import Reliability
from core.maintenance.order_views import OrderView
from core.plant.equipment import SiteCalendar

KIND_WORDS = {"down": "Breakdown", "changeover": "Changeover", "idle": "Idle", "small_stop": "Small stop",
              "planned_stop": "Planned stop", "break": "Shift break (calendar)"}
TREND_MARGIN = timedelta(minutes=30)  # the tag trend shows this much either side of a stop
WORK_ORDER_PATH = "/maintenance/work-orders/new"  # the maintenance work orders' page: a form for this stop


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def reliability_row(r: Reliability) -> dict:
    return {"breakdowns": r.breakdowns, "breakdown_min": minutes(r.breakdown_time),
            "run_h": round(r.run_time / 3600, 2), "mtbf_min": minutes(r.mtbf), "mttr_min": minutes(r.mttr)}


def machine_rows(analysis: FaultAnalysis) -> list[dict]:
    return [{"machine": f"{m.code} · {m.name}", "line": m.line_code, **reliability_row(analysis.by_machine[m.code])}
            for m in analysis.machines]


def fault_rows(analysis: FaultAnalysis) -> list[dict]:
    return [{"fault": row.fault_code or "(none)", "text": row.text, "machines": ", ".join(row.machines),
             **reliability_row(row.reliability)} for row in analysis.by_fault]


def summary(analysis: FaultAnalysis) -> dbc.Row:
    whole = analysis.whole
    tiles = [("Breakdowns", f"{whole.breakdowns:,}"), ("MTBF", _duration(whole.mtbf)), ("MTTR", _duration(whole.mttr)),
             ("Fault codes seen", f"{len(analysis.pareto):,}"), ("Repeat faults", f"{len(analysis.repeats):,}")]
    return dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="text-body-secondary"),
                                                   html.Div(value, className="h3 mb-0",
                                                            id=f"faults-kpi-{label.lower().replace(' ', '-')}")])),
                            xs=6, md=2) for label, value in tiles], className="g-2")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds / 60:,.0f} min" if seconds < 5400 else f"{seconds / 3600:,.1f} h"


def repeats_list(analysis: FaultAnalysis, zone: ZoneInfo):
    rule = f"The same fault {analysis.rule.label} on one machine ([fault_rules] in the plant file)."
    if not analysis.repeats:
        return [html.P(rule, className="small text-body-secondary"), html.P("No repeat faults in this window.")]
    items = [dbc.ListGroupItem([
        html.Span(f"{r.equipment_code} · {r.fault_code} ", className="fw-bold"),
        html.Span(analysis.fault_texts.get(r.fault_code, "not in the fault catalog")),
        dbc.Badge(f"{r.count}×", color="danger", className="ms-2"),
        html.Div(f"{r.first.astimezone(zone):%a %d %b %H:%M} to {r.last.astimezone(zone):%a %d %b %H:%M}",
                 className="small"),
    ], color="danger", className="repeat-fault") for r in analysis.repeats]
    return [html.P(rule, className="small text-body-secondary"), dbc.ListGroup(items, id="faults-repeat-items")]


def trend_link(stop: CountedStop) -> str:
    """The tags page on this machine around this stop, the stop shaded."""
    query = {"machine": stop.equipment_code, "start": (stop.start - TREND_MARGIN).isoformat(),
             "end": (stop.end + TREND_MARGIN).isoformat(), "mark_start": stop.start.isoformat(),
             "mark_end": stop.end.isoformat()}
    return f"/engineering/tags?{urlencode(query)}"


def stop_rows(stops: Sequence[CountedStop], zone: ZoneInfo, reasons: dict[str, str],
              texts: dict[str, str]) -> list[dict]:
    rows = []
    for index, s in enumerate(stops):
        rows.append({
            "key": str(s.id) if s.id is not None else f"break-{index}", "id": s.id, "machine": s.equipment_code,
            "began": _local(s.start, zone), "minutes": round(s.seconds / 60, 1),
            "counted": round(s.counted_s / 60, 2), "state": KIND_WORDS.get(s.kind, s.kind)
            + (" (still going)" if s.still_going else ""),
            "reason": reasons.get(s.reason_code, s.reason_code) if s.reason_code else "",
            "fault": f"{s.fault_code} {texts.get(s.fault_code, '')}".strip() if s.fault_code else "",
            "trend": f"[Tag trend]({trend_link(s)})" if s.id is not None else "",
            "work_order": f"[Work order]({WORK_ORDER_PATH}?stop={s.id})" if s.id is not None else "",
        })
    return rows


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M:%S")


def overdue_banner(orders: Sequence[OrderView], now: datetime, calendar: SiteCalendar | None):
    """Preventive work past its due time, most overdue first; nothing when none is."""
    if not orders:
        return None
    zone = calendar.zone if calendar else ZoneInfo("UTC")
    items = [html.Li([html.A(f"{o.equipment_code}: {o.title}", href=f"/maintenance/work-orders/view?id={o.id}"),
                      f" — due {o.due_at.astimezone(zone):%a %d %b %H:%M}, "
                      f"{_duration((now - o.due_at).total_seconds())} overdue"]) for o in orders[:5]]
    more = [html.Div(f"and {len(orders) - 5} more", className="small")] if len(orders) > 5 else []
    return dbc.Alert([html.Strong(f"Preventive maintenance overdue: {len(orders)} work order"
                                  f"{'s' if len(orders) != 1 else ''}"), html.Ul(items, className="mb-1"), *more,
                      html.A("All work orders", href="/maintenance")], color="danger", className="mb-3")
