"""The shift report of one line: OEE against target, output against plan, losses, the longest stops, andon
calls, checklist compliance and the jobs done."""

from __future__ import annotations

from datetime import date, datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from core.andon_calls import list_calls
from core.checklists.compliance import checklist_compliance
from core.oee.service import Scope, Window
from core.plant.equipment import reason_names
from core.reports.envelope import wrap
from core.reports.model import Column, Kpi, Report, Section, Table
from core.reports.oee_source import WindowFigures, window_figures
from core.reports.product_stretches import plan_at_ideal_speed, product_stretches
from core.reports.readings import jobs_in_window
from core.reports.sections import local_time, losses_section, minutes_between, oee_section, stop_minutes_within
from core.reports.windows import ReportRequest
from core.stop_queue import line_stops

TOP_STOPS = 10


def shift_report(db: sessionmaker[Session], request: ReportRequest, window: Window, now: datetime) -> Report:
    source = window_figures(db, Scope(line=request.line), window, now)
    calendar = source.calendar
    zone = calendar.zone
    ids = [m.id for m in source.machines]
    sections = [oee_section(source), output_section(db, source, window, now), losses_section(source.whole),
                _stops_section(db, request.line, window, now, zone), andon_section(db, [request.line], window, zone),
                checklist_section(db, request.day, request.day, now, [request.line], request.shift),
                jobs_section(db, source, window, zone)]
    title = f"Shift report, line {request.line}"
    return wrap(db, calendar, "shift", title, request.line, window, now, ids, sections)


def output_section(db, source: WindowFigures, window: Window, now: datetime) -> Section:
    """Good units against plan: the work orders' quantities of the jobs that ran, else the target at ideal speed
    (each product at its own cycle, as the OEE engine counts it)."""
    jobs = jobs_in_window(db, [m.id for m in source.machines], window.start, window.end)
    stretches = product_stretches(db, source, window, now)
    rows, good_total, plan_total = [], 0, 0
    for machine in source.machines:
        figures = source.by_machine[machine.code]
        planned = [j.quantity for j in jobs if j.equipment_id == machine.id]
        if planned:
            plan, basis = sum(planned), "work orders"
        else:
            plan, basis = plan_at_ideal_speed(stretches, machine.id), "ideal speed"
        rows.append((f"{machine.code} {machine.name}", figures.good_count, plan, basis,
                     figures.good_count / plan if plan else None))
        good_total, plan_total = good_total + figures.good_count, plan_total + plan
    rows.append(("Line total", good_total, plan_total, "", good_total / plan_total if plan_total else None))
    table = Table("Good units against plan", (Column("Machine"), Column("Good", "count"), Column("Plan", "count"),
                                               Column("Plan from"), Column("Of plan", "percent")), tuple(rows))
    notes = ("Plan: the work-order quantity of each job that ran on the machine in this shift (a job that spans "
             "shifts counts whole in each); without a job, planned production time at the ideal cycle of the product "
             "being made (the machine's where none is known).",)
    return Section("Output against plan", kpis=(Kpi("Good units", good_total, "count"),
                                                Kpi("Plan", plan_total, "count"),
                                                Kpi("Of plan", good_total / plan_total if plan_total else None)),
                   tables=(table,), notes=notes)


def _stops_section(db, line: str, window: Window, now: datetime, zone: ZoneInfo) -> Section:
    names = reason_names(db)
    end = min(window.end, now)
    stops = [s for s in line_stops(db, line, window.start, window.end, now) if s.state != "planned_stop"]

    def inside(stop) -> float:
        return stop_minutes_within(stop, window.start, end)

    longest = sorted(stops, key=lambda s: -inside(s))[:TOP_STOPS]
    rows = tuple((s.equipment_code, local_time(s.start, zone, with_day=s.start < window.start),
                  inside(s), s.state, names.get(s.reason_code or "", "No reason given"),
                  "" if s.end else "still stopped") for s in longest)
    table = Table(f"Longest stops (top {TOP_STOPS})", (Column("Machine"), Column("Began"),
                                                        Column("In this shift (min)", "minutes"), Column("State"),
                                                        Column("Reason"), Column("Note")), rows,
                  "No stop outlasted its machine's micro-stop threshold.")
    return Section("Top stops", tables=(table,),
                   notes=("Unplanned stops and changeovers longer than the machine's micro-stop threshold.",))


def andon_section(db, line_codes: Sequence[str | None], window: Window, zone: ZoneInfo) -> Section:
    """Andon calls raised in the window on these lines (None: every line)."""
    calls = [c for code in line_codes for c in list_calls(db, line_code=code, since=window.start, limit=None)
             if c.raised_at < window.end]
    calls.sort(key=lambda c: c.raised_at)
    response = [minutes_between(c.raised_at, c.acknowledged_at) for c in calls]
    resolution = [minutes_between(c.raised_at, c.resolved_at) for c in calls]
    unanswered = sum(r is None for r in response)
    # A call nobody acknowledged has no response time: said in its row and counted beside the mean, which
    # would otherwise hide the worst calls.
    rows = tuple((c.equipment_code, c.kind, c.priority, local_time(c.raised_at, zone), r, s,
                  c.status if r is not None else f"{c.status}, never acknowledged")
                 for c, r, s in zip(calls, response, resolution))
    table = Table("Andon calls", (Column("Machine"), Column("Type"), Column("Priority"), Column("Raised"),
                                  Column("Response (min)", "minutes"), Column("Resolution (min)", "minutes"),
                                  Column("Status")), rows, "No andon call in this window.")
    kpis = (Kpi("Calls", len(calls), "count"), Kpi("Mean response (min)", _mean(response), "minutes"),
            Kpi("Not acknowledged", unanswered, "count"), Kpi("Mean resolution (min)", _mean(resolution), "minutes"))
    notes = ("Response: raised to acknowledged; resolution: raised to resolved.",)
    if unanswered:
        notes += (f"The mean response is of the calls acknowledged: {unanswered} of {len(calls)} never were.",)
    return Section("Andon calls", kpis=kpis, tables=(table,), notes=notes)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def checklist_section(db, first: date, last: date, now: datetime, line_codes: Sequence[str | None],
                      shift: str | None = None) -> Section:
    """Checklist compliance of the shifts that began on days first..last on these lines (None: every line), of
    one shift when `shift` is given; the KPI is the compliance of the one row, or passed / required of them all."""
    rows = [r for code in line_codes for r in checklist_compliance(db, first, last, now, code)
            if shift is None or r.shift == shift]
    table = Table("Pre-start checklists", (Column("Line"), Column("Day"), Column("Shift"), Column("Required", "count"),
                                           Column("Completed", "count"),
                                           Column("Passed", "count"), Column("Failed attempts", "count"),
                                           Column("Compliance", "percent")),
                  tuple((r.line_code, r.day.isoformat(), r.shift or "", r.required, r.completed, r.passed, r.failed,
                         r.compliance) for r in rows),
                  "No checklist applies to these machines.")
    required = sum(r.required for r in rows)
    compliance = rows[0].compliance if len(rows) == 1 else (sum(r.passed for r in rows) / required if required
                                                            else None)
    return Section("Checklist compliance", kpis=(Kpi("Compliance", compliance),), tables=(table,))


def jobs_section(db, source: WindowFigures, window: Window, zone: ZoneInfo) -> Section:
    codes = {m.id: m.code for m in source.machines}
    jobs = [j for j in jobs_in_window(db, list(codes), window.start, window.end)
            if j.status == "completed" and j.finished_at is not None and j.finished_at < window.end]
    rows = tuple((j.work_order, j.product, codes[j.equipment_id], j.operator, j.quantity, j.good, j.scrap,
                  local_time(j.finished_at, zone)) for j in jobs)
    table = Table("Jobs completed", (Column("Work order"), Column("Product"), Column("Machine"), Column("Operator"),
                                     Column("Quantity", "count"), Column("Good", "count"), Column("Scrap", "count"),
                                     Column("Completed")), rows, "No job was completed in this window.")
    return Section("Jobs done", kpis=(Kpi("Jobs completed", len(jobs), "count"),), tables=(table,))
