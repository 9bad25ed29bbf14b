"""OEE use cases: figures for a machine, a line or the plant over a window or a shift; trends; the stop Pareto.

Parameters are checked here and refused with OeeRequestError naming the
parameter, so the REST API and the pages give the same answers and errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Sequence

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.oee.engine import DEFAULT_STARTUP_WINDOW_S
from core.oee.period_totals import period_stops, period_totals
from core.oee.figures import TOTAL_FIELDS, OeeFigures, Totals, oee_figures, totals_from_mapping
from core.plant.equipment import Machine, SiteCalendar, lines, machines, reason_names, site_calendar
from core.shift_calendar import find_shift, shift_instances

MAX_WINDOW = timedelta(days=400)
GRANULARITIES = ("hour", "shift", "day", "week")


class OeeRequestError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class Scope:
    """What the figures are about: the whole plant, one line, several lines (a custom report) or one machine."""

    line: str | None = None
    equipment: str | None = None
    lines: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.equipment or self.line or "+".join(self.lines) or "plant"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class OeeResult:
    scope: Scope
    window: Window
    figures: OeeFigures
    machines: list[str]
    explanation: dict


def scope_machines(db: sessionmaker[Session], scope: Scope) -> list[Machine]:
    if scope.equipment and scope.line:
        raise OeeRequestError("equipment", "give equipment or line, not both")
    plant = machines(db)
    if scope.equipment:
        chosen = [m for m in plant if m.code == scope.equipment]
        if not chosen:
            raise OeeRequestError("equipment", f"unknown machine {scope.equipment!r}")
        return chosen
    if scope.line:
        chosen = [m for m in plant if m.line_code == scope.line]
        if not chosen and scope.line not in {line.code for line in lines(db)}:
            raise OeeRequestError("line", f"unknown line {scope.line!r}")
        return chosen
    if scope.lines:
        unknown = [code for code in scope.lines if code not in {line.code for line in lines(db)}]
        if unknown:
            raise OeeRequestError("line", f"unknown line {unknown[0]!r}")
        return [m for m in plant if m.line_code in scope.lines]
    return plant


def window_between(start: datetime | None, end: datetime | None) -> Window:
    for name, value in (("start", start), ("end", end)):
        if value is None:
            raise OeeRequestError(name, "missing")
        if value.tzinfo is None:
            raise OeeRequestError(name, "needs an offset (Z or +hh:mm)")
        if not 1970 <= value.year <= 9000:
            raise OeeRequestError(name, "out of range")
    if end <= start:
        raise OeeRequestError("end", "must be after start")
    if end - start > MAX_WINDOW:
        raise OeeRequestError("end", f"a window may span at most {MAX_WINDOW.days} days")
    return Window(start, end, f"{start.isoformat()} to {end.isoformat()}")


def shift_window(calendar: SiteCalendar | None, day: date | None, shift_name: str | None) -> Window:
    if day is None:
        raise OeeRequestError("date", "missing")
    if not shift_name:
        raise OeeRequestError("shift", "missing")
    if calendar is None or shift_name not in {s.name for s in calendar.shifts}:
        known = ", ".join(s.name for s in calendar.shifts) if calendar else "none"
        raise OeeRequestError("shift", f"unknown shift {shift_name!r} (shifts: {known})")
    instance = find_shift(list(calendar.shifts), calendar.zone, day, shift_name)
    if instance is None:
        raise OeeRequestError("date", f"the {shift_name} shift does not run on {day.isoformat()}")
    return Window(instance.start, instance.end, f"{shift_name} shift of {day.isoformat()}")


def oee_for(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> OeeResult:
    calendar = site_calendar(db)
    chosen = scope_machines(db, scope)
    totals = period_totals(db, chosen, [window.start, window.end], now, calendar, _startup_window_s(calendar))
    summed = totals_from_mapping(totals[list(TOTAL_FIELDS)].sum()) if not totals.empty else Totals()
    policy = calendar.oee_policy if calendar else "oee_com"
    return OeeResult(scope, window, oee_figures(summed, policy), [m.code for m in chosen],
                     _explanation(calendar, chosen, window, now, policy))


def _startup_window_s(calendar: SiteCalendar | None) -> float:
    return calendar.startup_window_minutes * 60 if calendar else DEFAULT_STARTUP_WINDOW_S


def _explanation(calendar, chosen: Sequence[Machine], window: Window, now: datetime, policy: str) -> dict:
    return {
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label,
                   "counted_until": min(window.end, now).isoformat()},
        "calendar": {"timezone": calendar.zone.key if calendar else "UTC",
                     "shifts": [s.name for s in calendar.shifts] if calendar else []},
        "ideal_cycle_times_s": {m.code: m.ideal_cycle_time_s for m in chosen},
        "micro_stop_thresholds_s": {m.code: m.micro_stop_threshold_s for m in chosen},
        "policy": policy,
        "startup_window_minutes": calendar.startup_window_minutes if calendar else DEFAULT_STARTUP_WINDOW_S / 60,
        "rollup": "time-weighted: seconds and units summed over machines, then divided",
    }


def period_boundaries(calendar: SiteCalendar | None, start: datetime, end: datetime,
                      granularity: str) -> list[tuple[datetime, datetime, str]]:
    """Consecutive periods covering [start, end): (start, end, label) in the site's timezone."""
    if granularity not in GRANULARITIES:
        raise OeeRequestError("granularity", f"one of {', '.join(GRANULARITIES)}")
    zone = calendar.zone if calendar else None
    if granularity == "shift" and calendar and calendar.shifts:
        found = shift_instances(list(calendar.shifts), zone, start, end)
        return [(max(s.start, start), min(s.end, end), f"{s.day.isoformat()} {s.name}") for s in found]
    local = start.astimezone(zone) if zone else start
    if granularity == "hour":
        cursor = local.replace(minute=0, second=0, microsecond=0)
        step, fmt = timedelta(hours=1), "%Y-%m-%d %H:00"
    else:
        day = local.date() if granularity == "day" else local.date() - timedelta(days=local.weekday())
        cursor = datetime.combine(day, time(), tzinfo=zone or start.tzinfo)
        step, fmt = (timedelta(days=1), "%Y-%m-%d") if granularity == "day" else (timedelta(days=7), "week of %Y-%m-%d")
    periods = []
    while cursor < end:
        following = (cursor + step)
        if zone is not None and granularity != "hour":  # calendar days, whatever DST does
            following = datetime.combine((cursor + step + timedelta(hours=3)).date(), time(), tzinfo=zone)
        if following > start:
            periods.append((max(cursor, start), min(following, end), cursor.strftime(fmt)))
        cursor = following
    return periods


def oee_trend(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime, granularity: str,
              by_machine: bool = False) -> pd.DataFrame:
    """One row per period (and machine when `by_machine`): the period, its figures, its totals."""
    return oee_overview(db, scope, window, now, granularity, by_machine)[1]


def oee_overview(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime, granularity: str,
                 by_machine: bool = False) -> tuple[OeeResult, pd.DataFrame]:
    """The window's figures and its trend, from one computation when the periods cover the window."""
    calendar = site_calendar(db)
    chosen = scope_machines(db, scope)
    periods = period_boundaries(calendar, window.start, window.end, granularity)
    policy = calendar.oee_policy if calendar else "oee_com"
    if not periods or not chosen:
        return oee_for(db, scope, window, now), pd.DataFrame()
    # Periods may leave gaps (shifts that do not cover the day): compute on every edge, keep the periods.
    edges = sorted({p[0] for p in periods} | {p[1] for p in periods} | {window.start, window.end})
    totals = period_totals(db, chosen, edges, now, calendar, _startup_window_s(calendar)).reset_index()
    whole = totals_from_mapping(totals[list(TOTAL_FIELDS)].sum())
    result = OeeResult(scope, window, oee_figures(whole, policy), [m.code for m in chosen],
                       _explanation(calendar, chosen, window, now, policy))
    return result, _trend_rows(totals, edges, periods, chosen, scope, by_machine, policy)


def _trend_rows(totals: pd.DataFrame, edges, periods, chosen, scope: Scope, by_machine: bool,
                policy: str) -> pd.DataFrame:
    wanted = {edges.index(p[0]): p for p in periods}
    totals = totals[totals["window"].isin(wanted)]
    keys = ["window", "equipment_id"] if by_machine else ["window"]
    grouped = totals.groupby(keys)[list(TOTAL_FIELDS)].sum().reset_index()
    codes = {m.id: m.code for m in chosen}
    rows = []
    for record in grouped.to_dict("records"):
        period = wanted[record["window"]]
        figures = oee_figures(totals_from_mapping(record), policy)
        rows.append({"period_start": period[0], "period_end": period[1], "period": period[2],
                     "equipment": codes.get(record.get("equipment_id"), scope.label),
                     "availability": figures.availability, "performance": figures.performance,
                     "quality": figures.quality, "oee": figures.oee,
                     "planned_production_time_s": figures.planned_production_time_s,
                     "good_count": figures.good_count, "reject_count": figures.reject_count})
    return pd.DataFrame(rows)


def downtime_pareto(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> pd.DataFrame:
    """Stops by reason, longest first: reason, name, seconds, occurrences (stops begun in the window), share."""
    return _pareto(db, _window_stops(db, scope, window, now))


def unexplained_stop_share(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> float | None:
    """The share of stop time (stops past the micro-stop threshold) in states that need a reason, `down` and
    `idle`, still without one; None when nothing stopped. A changeover says why by itself."""
    return _unexplained(_window_stops(db, scope, window, now))


def downtime_summary(db: sessionmaker[Session], scope: Scope, window: Window,
                     now: datetime) -> tuple[pd.DataFrame, float | None]:
    """The Pareto and the unexplained share together, from one read of the stops."""
    stops = _window_stops(db, scope, window, now)
    return _pareto(db, stops), _unexplained(stops)


def _window_stops(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> pd.DataFrame:
    return period_stops(db, scope_machines(db, scope), window.start, window.end, now, site_calendar(db))


def _pareto(db: sessionmaker[Session], stops: pd.DataFrame) -> pd.DataFrame:
    columns = ["reason", "name", "seconds", "occurrences", "share"]
    if stops.empty or stops["seconds"].sum() <= 0:
        return pd.DataFrame(columns=columns)
    names = reason_names(db)
    stops = stops.assign(reason=stops["reason_code"].replace("", "(no reason)"))
    table = stops.groupby("reason").agg(seconds=("seconds", "sum"), occurrences=("began", "sum")).reset_index()
    table = table[table["seconds"] > 0]
    table["name"] = [names.get(code, "No reason given") for code in table["reason"]]
    table["share"] = table["seconds"] / table["seconds"].sum()
    return table.sort_values("seconds", ascending=False, kind="stable").reset_index(drop=True)[columns]


def _unexplained(stops: pd.DataFrame) -> float | None:
    total = float(stops["seconds"].sum()) if not stops.empty else 0.0
    if total <= 0:
        return None
    unexplained = stops[(stops["reason_code"] == "") & stops["state"].isin(["down", "idle"])]["seconds"].sum()
    return float(unexplained) / total


def line_comparison(db: sessionmaker[Session], window: Window, now: datetime) -> pd.DataFrame:
    """One row per line: its figures over the window (time-weighted over its machines)."""
    calendar = site_calendar(db)
    chosen = machines(db)
    totals = period_totals(db, chosen, [window.start, window.end], now, calendar, _startup_window_s(calendar))
    line_of = {m.id: (m.line_code, m.line_name) for m in chosen}
    totals = totals.reset_index()
    totals["line"] = [line_of[i][0] for i in totals["equipment_id"]]
    policy = calendar.oee_policy if calendar else "oee_com"
    rows = []
    for line in lines(db):
        part = totals[totals["line"] == line.code]
        figures = oee_figures(totals_from_mapping(part[list(TOTAL_FIELDS)].sum()), policy)
        rows.append({"line": line.code, "name": line.name, "oee": figures.oee, "availability": figures.availability,
                     "performance": figures.performance, "quality": figures.quality,
                     "planned_production_time_s": figures.planned_production_time_s,
                     "good_count": figures.good_count})
    return pd.DataFrame(rows)


def local_day_window(calendar: SiteCalendar | None, first: date, last: date) -> Window:
    """Whole local days from `first` to `last` (inclusive) in the site's timezone."""
    if last < first:
        raise OeeRequestError("end", "the last day is before the first")
    zone = calendar.zone if calendar else None
    tz = zone or datetime.now().astimezone().tzinfo
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz)
    return window_between(start, end)
