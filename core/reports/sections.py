"""Sections several reports share: the KPI tiles, the machines table, the six big losses and the money lost."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.oee.figures import OeeFigures
from core.money.pricing import CATEGORY_NAMES, machine_costs, priced_machine_ids, summed_costs
from core.money.stretches import Stretch
from core.reports.losses import SIX_BIG_LOSSES, loss_rows
from core.reports.model import Chart, Column, Kpi, Section, Series, Table
from core.reports.oee_source import WindowFigures

NO_DATA_NOTE = ("No production data in this window: no planned production time and nothing counted. "
                "Figures are left blank, not zero.")


def oee_kpis(figures: OeeFigures, target_oee: float | None) -> tuple[Kpi, ...]:
    return (Kpi("OEE", figures.oee, "percent", target_oee), Kpi("Availability", figures.availability),
            Kpi("Performance", figures.performance), Kpi("Quality", figures.quality),
            Kpi("Good units", figures.good_count, "count"), Kpi("Rejects", figures.reject_count, "count"))


def oee_section(source: WindowFigures) -> Section:
    """The OEE tiles against target and every machine's figures."""
    return Section("Summary", kpis=oee_kpis(source.whole, source.calendar.target_oee),
                   tables=(machines_table(source),), notes=figure_notes(source.whole))


def figure_notes(figures: OeeFigures) -> tuple[str, ...]:
    notes = []
    if figures.planned_production_time_s <= 0 and figures.total_count == 0:
        notes.append(NO_DATA_NOTE)
    if figures.losses["no_data_s"] > 0:
        notes.append(f"No data was heard for {figures.losses['no_data_s'] / 60:.0f} machine-minutes of scheduled "
                     "time; that time is left out of planned production time, neither running nor stopped.")
    if figures.performance_above_one:
        notes.append("Performance is above 100%: an ideal cycle time is slower than the machine really runs.")
    return tuple(notes)


MACHINE_COLUMNS = (Column("Machine"), Column("Line"), Column("OEE", "percent"), Column("Availability", "percent"),
                   Column("Performance", "percent"), Column("Quality", "percent"), Column("Good", "count"),
                   Column("Rejects", "count"), Column("Planned (min)", "minutes"), Column("No data (min)", "minutes"))


def machine_row(name: str, line: str, f: OeeFigures) -> tuple:
    return (name, line, f.oee, f.availability, f.performance, f.quality, f.good_count, f.reject_count,
            f.planned_production_time_s / 60, f.losses["no_data_s"] / 60)


def machines_table(source: WindowFigures, title: str = "Machines") -> Table:
    rows = [machine_row(f"{m.code} {m.name}", m.line_code, source.by_machine[m.code]) for m in source.machines]
    return Table(title, MACHINE_COLUMNS, tuple(rows), "No machines.")


def losses_section(figures: OeeFigures, title: str = "Six big losses") -> Section:
    rows = loss_rows(figures)
    table = Table("Losses", (Column("Loss"), Column("Lowers"), Column("Lost time (min)", "minutes"),
                             Column("Units", "count")),
                  tuple((r.name, r.factor, r.minutes, r.units) for r in rows))
    six = rows[:len(SIX_BIG_LOSSES)]
    chart = Chart("Six big losses (minutes)", "bar", tuple(r.name for r in six),
                  (Series("Lost time (min)", tuple(r.minutes for r in six)),), "minutes")
    notes = ("Reject losses are the ideal time the rejected units took; reduced speed below zero shows as 0.",)
    return Section(title, tables=(table,), charts=(chart,) if any(r.minutes for r in six) else (), notes=notes)


def money_section(source: WindowFigures, stretches: list[Stretch], currency: str) -> Section:
    """Lost time x cost_per_hour and rejects x the unit cost of the product they were (else the machine's), by
    category and machine; says so when no rate is set. Each machine is priced over the window as one period
    (core.money.pricing.machine_costs), as the money page and `GET /api/v1/oee` price it."""
    rates = {m.id: m.cost_per_hour for m in source.machines}
    priced_ids = priced_machine_ids(stretches, rates)
    priced = [m for m in source.machines if m.id in priced_ids]
    if not priced:
        return Section("Money lost", notes=("No machine or product has cost_per_hour or unit_cost configured: "
                                            "nothing to price.",))
    by_machine = machine_costs([s for s in stretches if s.equipment_id in priced_ids], rates)
    costs = {m.code: by_machine[m.id] for m in priced}
    whole = summed_costs(costs.values())
    categories = Table(f"By category ({currency})", (Column("Category"), Column("Cost", "money")),
                       tuple((name, whole[k]) for k, name in CATEGORY_NAMES.items()) + (("Total", whole["total"]),))
    ranked = sorted(priced, key=lambda m: -costs[m.code]["total"])
    machines = Table(f"By machine ({currency})",
                     (Column("Machine"), Column("Line"), Column("Per hour lost", "money"),
                      Column("Rejects", "money"), Column("Cost", "money")),
                     tuple((f"{m.code} {m.name}", m.line_code, m.cost_per_hour, costs[m.code]["rejects"],
                            costs[m.code]["total"]) for m in ranked))
    chart = Chart(f"Money lost by category ({currency})", "bar", tuple(CATEGORY_NAMES.values()),
                  (Series("Cost", tuple(whole[k] for k in CATEGORY_NAMES)),), "money")
    unpriced = [m.code for m in source.machines if m not in priced]
    notes = ("Lost time (breakdowns, setup, idle, small stops, reduced speed) x the machine's cost per hour; "
             "rejects x the unit cost of the product being made (the machine's where the product has none). "
             "Each machine is priced over the whole window: running faster than ideal on one day offsets "
             "reduced speed on another, as on the money page and in GET /api/v1/oee.",)
    if unpriced:
        notes += (f"No rates configured for {', '.join(unpriced)}: not priced.",)
    return Section("Money lost", kpis=(Kpi("Money lost", whole["total"], "money"),), tables=(categories, machines),
                   charts=(chart,) if whole["total"] > 0 else (), notes=notes)


def local_time(moment: datetime | None, zone: ZoneInfo, with_day: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M" if with_day else "%H:%M")


def minutes_between(a: datetime | None, b: datetime | None) -> float | None:
    return (b - a).total_seconds() / 60 if a is not None and b is not None else None


def stop_minutes_within(stop, start: datetime, end: datetime) -> float:
    """Minutes of a stop (still going: until `end`) inside [start, end)."""
    return max((min(stop.end or end, end) - max(stop.start, start)).total_seconds(), 0.0) / 60
