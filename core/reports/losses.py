"""Pure reading of the OEE engine's losses: the six big losses as rows, and what the lost time and rejects cost.

Money is never typed in: lost time (breakdowns, setup, idle, small stops,
reduced speed) x the machine's `cost_per_hour`, rejected units x its
`unit_cost`. A machine without a rate adds nothing, and a report says when no
rate is configured at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.oee.figures import OeeFigures

# (loss key in OeeFigures.losses, name, OEE factor it lowers)
SIX_BIG_LOSSES = (
    ("breakdowns_s", "Breakdowns", "availability"),
    ("setup_s", "Setup and adjustments", "availability"),
    ("small_stops_s", "Small stops", "performance"),
    ("reduced_speed_s", "Reduced speed", "performance"),
    ("production_rejects_s", "Production rejects", "quality"),
    ("startup_rejects_s", "Startup rejects", "quality"),
)
IDLE = ("idle_s", "Idle (no work; not one of the six)", "availability")
TIME_COST_LOSSES = ("breakdowns_s", "setup_s", "idle_s", "small_stops_s", "reduced_speed_s")
COST_NAMES = {"breakdowns_s": "Breakdowns", "setup_s": "Setup", "idle_s": "Idle", "small_stops_s": "Small stops",
              "reduced_speed_s": "Reduced speed", "rejects": "Rejects"}


@dataclass(frozen=True)
class LossRow:
    key: str
    name: str
    factor: str
    minutes: float
    units: int | None  # rejects only


def loss_rows(figures: OeeFigures) -> list[LossRow]:
    """The six big losses (and idle time) in minutes; reduced speed below zero (faster than ideal) shows as 0."""
    losses = figures.losses
    units = {"production_rejects_s": int(losses["production_rejects"]),
             "startup_rejects_s": int(losses["startup_rejects"])}
    return [LossRow(key, name, factor, max(float(losses[key]), 0.0) / 60, units.get(key))
            for key, name, factor in SIX_BIG_LOSSES + (IDLE,)]


def loss_costs(figures: OeeFigures, cost_per_hour: float, reject_cost: float) -> dict[str, float]:
    """What one machine's losses cost, by category (COST_NAMES keys) and `total`; `reject_cost` is its rejects
    already priced (core.reports.product_stretches.reject_costs)."""
    losses = figures.losses
    costs = {key: max(float(losses[key]), 0.0) / 3600 * cost_per_hour for key in TIME_COST_LOSSES}
    costs["rejects"] = reject_cost
    costs["total"] = sum(costs.values())
    return costs


def summed_costs(costs: list[dict[str, float]]) -> dict[str, float]:
    keys = list(COST_NAMES) + ["total"]
    return {key: sum(c[key] for c in costs) for key in keys}
