"""OEE figures from additive totals: the standard definitions, for one machine or rolled up by time weighting.

Totals are sums of seconds and units (and of ideal seconds: ideal cycle time
x units), so a line or the plant is the sum of its machines' totals, never a
mean of their percentages. With one machine, quality is good / total; rolled
up over machines of different ideal cycle times it is the share of ideal
time made as good parts, which keeps OEE = A x P x Q exact.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Iterable, Mapping

POLICIES = ("oee_com", "smrp")


@dataclass(frozen=True)
class Totals:
    """Additive seconds and units of a window (any number of machines)."""

    all_s: float = 0.0  # the window's elapsed time
    not_scheduled_s: float = 0.0  # outside every shift
    break_s: float = 0.0  # the calendar's breaks
    planned_stop_s: float = 0.0  # planned_stop states outside breaks and unscheduled time
    no_data_s: float = 0.0  # nothing heard, inside scheduled time
    running_s: float = 0.0
    small_stop_s: float = 0.0
    down_s: float = 0.0
    changeover_s: float = 0.0
    idle_s: float = 0.0
    good: int = 0
    reject: int = 0
    startup_reject: int = 0  # part of reject: made within the startup window after a changeover
    ideal_total_s: float = 0.0  # ideal cycle time x (good + reject)
    ideal_good_s: float = 0.0
    ideal_startup_reject_s: float = 0.0
    outside_good: int = 0  # units counted while no production was planned (not in OEE)
    outside_reject: int = 0

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Totals)})

    @property
    def planned_production_s(self) -> float:
        return self.running_s + self.small_stop_s + self.down_s + self.changeover_s + self.idle_s

    @property
    def run_s(self) -> float:
        return self.running_s + self.small_stop_s


TOTAL_FIELDS = tuple(f.name for f in fields(Totals))


def total_of(rows: Iterable[Totals]) -> Totals:
    result = Totals()
    for row in rows:
        result = result + row
    return result


def totals_from_mapping(values: Mapping[str, float]) -> Totals:
    return Totals(**{name: (int(values.get(name, 0)) if name in _UNIT_FIELDS else float(values.get(name, 0.0)))
                     for name in TOTAL_FIELDS})


_UNIT_FIELDS = {"good", "reject", "startup_reject", "outside_good", "outside_reject"}


@dataclass(frozen=True)
class OeeFigures:
    availability: float | None
    performance: float | None
    quality: float | None
    oee: float | None
    utilization: float | None
    teep: float | None
    planned_production_time_s: float
    run_time_s: float
    all_time_s: float
    total_count: int
    good_count: int
    reject_count: int
    losses: dict
    performance_above_one: bool  # the ideal cycle time is too slow: check it
    policy: str

    def as_dict(self) -> dict:
        return asdict(self)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def oee_figures(totals: Totals, policy: str = "oee_com") -> OeeFigures:
    """The figures of DESIGN.md ("Machine data and OEE"); None where a denominator is zero.

    policy "oee_com" (default, as oee.com and Vorne): planned stops are left out
    of planned production time. "smrp": planned stops count against availability.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    planned = totals.planned_production_s
    if policy == "smrp":
        planned += totals.break_s + totals.planned_stop_s
    run = totals.run_s
    total_count = totals.good + totals.reject
    availability = _ratio(run, planned)
    performance = _ratio(totals.ideal_total_s, run)
    quality = _ratio(totals.ideal_good_s, totals.ideal_total_s) if total_count else None
    oee = _ratio(totals.ideal_good_s, planned)
    utilization = _ratio(planned, totals.all_s) if planned > 0 else None
    teep = oee * utilization if oee is not None and utilization is not None else None
    reject_ideal_s = totals.ideal_total_s - totals.ideal_good_s
    losses = {
        "not_scheduled_s": totals.not_scheduled_s,
        "planned_stops_s": totals.break_s + totals.planned_stop_s,
        "no_data_s": totals.no_data_s,
        "breakdowns_s": totals.down_s,
        "setup_s": totals.changeover_s,
        "idle_s": totals.idle_s,
        "small_stops_s": totals.small_stop_s,
        "reduced_speed_s": run - totals.small_stop_s - totals.ideal_total_s,
        "production_rejects": totals.reject - totals.startup_reject,
        "startup_rejects": totals.startup_reject,
        "production_rejects_s": reject_ideal_s - totals.ideal_startup_reject_s,
        "startup_rejects_s": totals.ideal_startup_reject_s,
        "fully_productive_s": totals.ideal_good_s,
        "units_outside_planned_time": totals.outside_good + totals.outside_reject,
    }
    return OeeFigures(
        availability=availability, performance=performance, quality=quality, oee=oee,
        utilization=utilization, teep=teep, planned_production_time_s=planned, run_time_s=run, all_time_s=totals.all_s,
        total_count=total_count, good_count=totals.good, reject_count=totals.reject, losses=losses,
        performance_above_one=performance is not None and performance > 1.0, policy=policy,
    )
