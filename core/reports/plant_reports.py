"""The daily plant report (every line, best and worst machines, losses, money lost) and the weekly report (the
same, with trends by day and by shift)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.oee.service import Scope, Window, oee_trend
from core.plant.equipment import lines
from core.reports.envelope import wrap
from core.reports.model import Chart, Column, Report, Section, Series, Table
from core.reports.oee_source import WindowFigures, window_figures
from core.reports.product_stretches import product_stretches
from core.reports.sections import (MACHINE_COLUMNS, figure_notes, losses_section, machine_row, machines_table,
                                   money_section, oee_kpis)
from core.reports.windows import ReportRequest

RANKED = 5
TREND_COLUMNS = (Column("Period"), Column("OEE", "percent"), Column("Availability", "percent"),
                 Column("Performance", "percent"), Column("Quality", "percent"), Column("Good", "count"),
                 Column("Rejects", "count"), Column("Planned (min)", "minutes"))


def daily_report(db: sessionmaker[Session], request: ReportRequest, window: Window, now: datetime) -> Report:
    source = window_figures(db, Scope(line=request.line), window, now)
    by_shift = oee_trend(db, Scope(line=request.line), window, now, "shift")
    sections = [lines_section(db, source), shift_section(by_shift, source.calendar.target_oee),
                ranking_section(source), losses_section(source.whole),
                money_section(source, product_stretches(db, source, window, now), source.calendar.currency),
                Section("All machines", tables=(machines_table(source),))]
    title = "Daily plant report" if request.line is None else f"Daily report, line {request.line}"
    return wrap(db, source.calendar, "daily", title, request.line, window, now, [m.id for m in source.machines],
                sections)


def weekly_report(db: sessionmaker[Session], request: ReportRequest, window: Window, now: datetime) -> Report:
    scope = Scope(line=request.line)
    source = window_figures(db, scope, window, now)
    target = source.calendar.target_oee
    by_day = oee_trend(db, scope, window, now, "day")
    by_shift = oee_trend(db, scope, window, now, "shift")
    sections = [lines_section(db, source), day_section(by_day, target), shift_section(by_shift, target),
                shift_matrix_section(by_shift, [s.name for s in source.calendar.shifts]), ranking_section(source),
                losses_section(source.whole),
                money_section(source, product_stretches(db, source, window, now), source.calendar.currency)]
    title = "Weekly plant report" if request.line is None else f"Weekly report, line {request.line}"
    return wrap(db, source.calendar, "weekly", title, request.line, window, now, [m.id for m in source.machines],
                sections)


def lines_section(db, source: WindowFigures) -> Section:
    names = {line.code: line.name for line in lines(db)}
    rows = tuple((f"{code} {names.get(code, '')}",) + machine_row("", code, figures)[2:]
                 for code, figures in source.by_line.items())
    table = Table("Lines", (Column("Line"),) + MACHINE_COLUMNS[2:], rows, "No lines.")
    return Section("Summary", kpis=oee_kpis(source.whole, source.calendar.target_oee), tables=(table,),
                   notes=figure_notes(source.whole))


def ranking_section(source: WindowFigures) -> Section:
    known = [m for m in source.machines if source.by_machine[m.code].oee is not None]
    ranked = sorted(known, key=lambda m: -source.by_machine[m.code].oee)

    def table(title: str, chosen) -> Table:
        return Table(title, MACHINE_COLUMNS, tuple(machine_row(f"{m.code} {m.name}", m.line_code,
                                                               source.by_machine[m.code]) for m in chosen))

    best = ranked[:RANKED]
    worst = [m for m in reversed(ranked) if m not in best][:RANKED]
    notes = () if known else ("No machine had planned production time: nothing to rank.",)
    return Section("Best and worst machines", tables=(table(f"Best {len(best)} by OEE", best),
                                                      table(f"Worst {len(worst)} by OEE", worst)), notes=notes)


def _trend_rows(trend: pd.DataFrame) -> tuple[tuple, ...]:
    if trend.empty:
        return ()
    return tuple((r["period"], _none(r["oee"]), _none(r["availability"]), _none(r["performance"]),
                  _none(r["quality"]), int(r["good_count"]), int(r["reject_count"]),
                  r["planned_production_time_s"] / 60) for r in trend.to_dict("records"))


def _none(value):
    return None if value is None or value != value else float(value)  # value != value: NaN


def shift_section(trend: pd.DataFrame, target: float) -> Section:
    rows = _trend_rows(trend)
    chart = Chart("OEE by shift", "bar", tuple(r[0] for r in rows), (Series("OEE", tuple(r[1] for r in rows)),),
                  "percent")
    return Section("By shift", tables=(Table("Shifts", TREND_COLUMNS, rows, "No shift in this window."),),
                   charts=(chart,) if any(r[1] is not None for r in rows) else (),
                   notes=(f"Target OEE {target:.0%}.",))


def day_section(trend: pd.DataFrame, target: float) -> Section:
    rows = _trend_rows(trend)
    chart = Chart("OEE by day against target", "line", tuple(r[0][5:] for r in rows),
                  (Series("OEE", tuple(r[1] for r in rows)), Series("Target", tuple(target for _ in rows))),
                  "percent")
    return Section("By day", tables=(Table("Days", TREND_COLUMNS, rows),),
                   charts=(chart,) if any(r[1] is not None for r in rows) else ())


def shift_matrix_section(trend: pd.DataFrame, shift_names: list[str]) -> Section:
    """OEE with one row per day and one column per shift: where in the week the good and bad shifts were."""
    cells: dict[str, dict[str, float | None]] = {}
    for period, oee in zip(trend.get("period", []), trend.get("oee", [])):
        day, name = period.split(" ", 1)  # "YYYY-MM-DD Name"
        cells.setdefault(day, {})[name] = _none(oee)
    rows = tuple((day,) + tuple(cells[day].get(name) for name in shift_names) for day in cells)
    table = Table("OEE by day and shift", (Column("Day (shift start)"),)
                  + tuple(Column(name, "percent") for name in shift_names), rows, "No shift in this window.")
    return Section("Day by shift", tables=(table,), notes=("A blank cell: the shift did not run or had no "
                                                           "planned production time.",))
