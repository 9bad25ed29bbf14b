"""Pure pricing of the OEE engine's losses.

Lost time (breakdowns, setup, idle, small stops, reduced speed) costs its
seconds / 3600 x the machine's `cost_per_hour`; rejected units (production and
startup rejects, which include scrap once the engine counts it as rejects)
cost units x the unit cost of the product being made, else the machine's own.
Reduced speed below zero (running faster than the ideal cycle) is priced at 0.

One rule for a window (machine_costs): each machine's time losses are summed over the whole window first and
only then priced, reduced speed clamped at 0 once, so a machine's window cost is exactly its window losses (as
`GET /api/v1/oee` gives them) x its rates. A trend prices each of its periods on its own (stretch_costs), so
its periods can add up to a little more than the window where a machine ran faster than ideal in some period.
Costs of several machines are summed, never averaged.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Callable, Hashable, Iterable, Mapping

if TYPE_CHECKING:
    from core.money.stretches import Stretch

# category key -> (name shown to people, loss key in OeeFigures.losses); rejects are priced per unit
CATEGORIES: dict[str, tuple[str, str | None]] = {
    "breakdowns": ("Breakdowns", "breakdowns_s"),
    "setup": ("Setup", "setup_s"),
    "idle": ("Idle", "idle_s"),
    "small_stops": ("Small stops", "small_stops_s"),
    "reduced_speed": ("Reduced speed", "reduced_speed_s"),
    "rejects": ("Rejects", None),
}
TIME_LOSS_KEYS = tuple(loss for _, loss in CATEGORIES.values() if loss is not None)
CATEGORY_NAMES = {key: name for key, (name, _) in CATEGORIES.items()}
COST_KEYS = tuple(CATEGORIES) + ("total",)


def loss_costs(losses: Mapping[str, float], cost_per_hour: float, reject_cost: float) -> dict[str, float]:
    """What one machine's losses cost, by category (CATEGORIES keys) and `total`. `losses` holds the time losses
    in seconds (OeeFigures.losses, or their sum over periods); `reject_cost` is its rejects already priced."""
    costs = {key: max(float(losses[loss]), 0.0) / 3600 * cost_per_hour
             for key, (_, loss) in CATEGORIES.items() if loss is not None}
    costs["rejects"] = float(reject_cost)
    costs["total"] = sum(costs.values())
    return costs


def summed_losses(losses: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """The time losses of several periods of one machine, added up (before any pricing or clamping)."""
    total = dict.fromkeys(TIME_LOSS_KEYS, 0.0)
    for part in losses:
        for key in TIME_LOSS_KEYS:
            total[key] += float(part[key])
    return total


def summed_costs(costs: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Costs of several machines or periods added up, by category and total."""
    total = dict.fromkeys(COST_KEYS, 0.0)
    for part in costs:
        for key in COST_KEYS:
            total[key] += part[key]
    return total


def reject_cost(rejects: Iterable[tuple[float, float]]) -> float:
    """Rejected units priced: the sum of units x unit cost over (units, unit cost) pairs."""
    return sum(units * unit_cost for units, unit_cost in rejects)


def unit_cost_in_force(product_cost: float | None, machine_cost: float) -> float:
    """The cost of one unit: the product's where it has one (0 included), else the machine's default."""
    return float(product_cost) if product_cost is not None else float(machine_cost)


def stretch_costs(stretches: Iterable["Stretch"], cost_per_hour: Mapping[int, float]) -> dict[tuple[int, int], dict]:
    """The costs of each (equipment_id, period) of the stretches, each period priced on its own (a trend)."""
    return _grouped_costs(stretches, cost_per_hour, lambda s: (s.equipment_id, s.period))


def machine_costs(stretches: Iterable["Stretch"], cost_per_hour: Mapping[int, float]) -> dict[int, dict]:
    """The costs of each machine over all its stretches as ONE period: the window's cost (module docstring)."""
    return _grouped_costs(stretches, cost_per_hour, lambda s: s.equipment_id)


def _grouped_costs(stretches: Iterable["Stretch"], cost_per_hour: Mapping[int, float],
                   key_of: Callable[["Stretch"], Hashable]) -> dict:
    """Per group of stretches (all of one machine): their time losses summed, then priced at the machine's rate
    (`cost_per_hour` by equipment id); their rejects at each stretch's unit cost."""
    groups: dict = defaultdict(list)
    for stretch in stretches:
        groups[key_of(stretch)].append(stretch)
    return {key: loss_costs(summed_losses(s.figures.losses for s in group),
                            cost_per_hour.get(group[0].equipment_id, 0.0),
                            reject_cost((s.reject_count, s.unit_cost) for s in group))
            for key, group in groups.items()}


def priced_machine_ids(stretches: Iterable["Stretch"], cost_per_hour: Mapping[int, float]) -> set[int]:
    """The machines that have a rate: a cost per hour, or a unit cost (theirs, or a product's they made)."""
    return {e for e, rate in cost_per_hour.items() if rate > 0} | {s.equipment_id for s in stretches
                                                                   if s.unit_cost > 0}
