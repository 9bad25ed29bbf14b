"""The downtime analysis: stop time by reason (Pareto), MTBF and MTTR of each machine, the share of stop time
still without a reason, and the longest stops."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy.orm import Session, sessionmaker

from core.faults.breakdowns import window_reliability
from core.faults.reliability import Reliability, combined
from core.oee.service import Scope, Window, downtime_summary
from core.plant.equipment import lines, reason_names
from core.reports.envelope import wrap
from core.reports.model import Chart, Column, Kpi, Report, Section, Series, Table
from core.reports.oee_source import WindowFigures, window_figures
from core.reports.sections import local_time, stop_minutes_within
from core.reports.windows import ReportRequest
from core.stop_queue import line_stops

PARETO_BARS = 10
LONGEST = 15


def downtime_report(db: sessionmaker[Session], request: ReportRequest, window: Window, now: datetime) -> Report:
    scope = Scope(line=request.line)
    source = window_figures(db, scope, window, now)
    pareto, unexplained = downtime_summary(db, scope, window, now)
    reliability, mtbf, mttr = reliability_section(db, source, window, now)
    sections = [downtime_summary_section(pareto, unexplained, mtbf, mttr), pareto_section(pareto), reliability,
                longest_stops_section(db, source, [request.line] if request.line else [], window, now)]
    title = "Downtime analysis" + (f", line {request.line}" if request.line else "")
    return wrap(db, source.calendar, "downtime", title, request.line, window, now,
                [m.id for m in source.machines], sections)


def downtime_summary_section(pareto, unexplained: float | None, mtbf: float | None,
                             mttr: float | None) -> Section:
    stop_minutes = float(pareto["seconds"].sum()) / 60 if not pareto.empty else 0.0
    stops = int(pareto["occurrences"].sum()) if not pareto.empty else 0
    return Section("Summary", kpis=(Kpi("Stop time (min)", stop_minutes, "minutes"), Kpi("Stops begun", stops, "count"),
                                    Kpi("Unexplained share", unexplained),
                                    Kpi("MTBF (min)", mtbf, "minutes"), Kpi("MTTR (min)", mttr, "minutes")),
                   notes=("Stops longer than the machine's micro-stop threshold, inside planned time. "
                          "Unexplained: down or idle time still without a reason.",))


def pareto_section(pareto) -> Section:
    rows, cumulative = [], 0.0
    for r in pareto.to_dict("records"):
        cumulative += float(r["share"])
        rows.append((r["reason"], r["name"], float(r["seconds"]) / 60, int(r["occurrences"]), float(r["share"]),
                     cumulative))
    table = Table("Stop time by reason", (Column("Code"), Column("Reason"), Column("Minutes", "minutes"),
                                          Column("Stops", "count"), Column("Share", "percent"),
                                          Column("Cumulative", "percent")), tuple(rows),
                  "No stop in this window.")
    top = rows[:PARETO_BARS]
    chart = Chart(f"Pareto: top {len(top)} reasons by stop time (minutes)", "bar", tuple(r[1] for r in top),
                  (Series("Minutes", tuple(r[2] for r in top)),), "minutes")
    notes = ("\"No reason given\" includes changeovers, which need none; the unexplained share counts down and "
             "idle time only.",)
    return Section("Pareto", tables=(table,), charts=(chart,) if top else (), notes=notes)


def reliability_section(db, source: WindowFigures, window: Window,
                        now: datetime) -> tuple[Section, float | None, float | None]:
    """MTBF and MTTR of each machine and of all of them, in minutes (core.faults.reliability defines them)."""
    seconds = window_reliability(db, source, window, now)
    rows, parts = [], []
    for m in source.machines:
        mine = seconds[m.code]
        part = Reliability(mine.run_time / 60, mine.breakdown_time / 60, mine.breakdowns)
        rows.append((f"{m.code} {m.name}", m.line_code, part.breakdowns, part.breakdown_time, part.run_time / 60,
                     part.mtbf, part.mttr))
        parts.append(part)
    whole = combined(parts)
    mtbf, mttr = whole.mtbf, whole.mttr
    table = Table("MTBF and MTTR by machine", (Column("Machine"), Column("Line"), Column("Breakdowns", "count"),
                                               Column("Repair time (min)", "minutes"),
                                               Column("Run time (h)", "number"), Column("MTBF (min)", "minutes"),
                                               Column("MTTR (min)", "minutes")), tuple(rows), "No machines.")
    notes = ("Breakdowns: down stops past the micro-stop threshold that began in the window. MTTR: their mean full "
             "duration, start to end (or to now while still down), even past the window's end; MTBF: run time in "
             "the window per breakdown. Blank: no breakdown began in the window.",)
    return Section("Reliability", tables=(table,), notes=notes), mtbf, mttr


def longest_stops_section(db, source: WindowFigures, line_codes: Sequence[str], window: Window,
                          now: datetime) -> Section:
    """The longest stops of these lines (none given: every line) in the window."""
    names = reason_names(db)
    end = min(window.end, now)
    chosen = list(line_codes) or [line.code for line in lines(db)]
    stops = [s for code in chosen for s in line_stops(db, code, window.start, window.end, now)
             if s.state != "planned_stop"]

    def inside(stop) -> float:
        return stop_minutes_within(stop, window.start, end)

    zone = source.calendar.zone
    longest = sorted(stops, key=lambda s: -inside(s))[:LONGEST]
    rows = tuple((s.equipment_code, local_time(s.start, zone, with_day=True), inside(s), s.state,
                  names.get(s.reason_code or "", "No reason given")) for s in longest)
    table = Table(f"Longest stops (top {LONGEST})", (Column("Machine"), Column("Began"),
                                                      Column("In window (min)", "minutes"), Column("State"),
                                                      Column("Reason")), rows, "No stop in this window.")
    return Section("Longest stops", tables=(table,))
