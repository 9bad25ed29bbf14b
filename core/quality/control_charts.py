"""Shewhart control charts for a measured characteristic, computed from the values alone. Pure.

Individuals (I-MR), one value per check:
    centre line   CL  = x̄, the mean of the values
    moving range  MRi = |xi - xi-1|, MR̄ their mean
    limits        UCL = x̄ + 2.66 MR̄,  LCL = x̄ - 2.66 MR̄      (2.66 = 3 / d2, d2 = 1.128 for n = 2)
    MR chart      CL = MR̄, UCL = 3.267 MR̄ (D4 for n = 2), LCL = 0

X-bar/R, a subgroup of n values per check (2 <= n <= 10):
    X-bar chart   CL = x̿, the mean of the subgroup means; UCL/LCL = x̿ ± A2 R̄
    R chart       CL = R̄, the mean subgroup range; UCL = D4 R̄, LCL = D3 R̄

A point is out of control when it lies beyond its chart's control limits (Western Electric rule 1); a point
on a limit is in control. Control limits describe what the process does, not what the drawing allows: the
specification limits (core.quality.limits) are a separate matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Sequence

I_MR_FACTOR = 2.66
MR_D4 = 3.267
# Subgroup size n -> (A2, D3, D4), as tabulated in ASTM STP 15D / Montgomery, Introduction to SQC, Appendix VI
XBAR_R_CONSTANTS = {
    2: (1.880, 0.0, 3.267), 3: (1.023, 0.0, 2.574), 4: (0.729, 0.0, 2.282), 5: (0.577, 0.0, 2.114),
    6: (0.483, 0.0, 2.004), 7: (0.419, 0.076, 1.924), 8: (0.373, 0.136, 1.864), 9: (0.337, 0.184, 1.816),
    10: (0.308, 0.223, 1.777),
}


class ControlChartError(ValueError):
    """Values a control chart cannot be drawn from; the message says what is missing."""


@dataclass(frozen=True)
class ChartSeries:
    """One chart: the points, its centre line and control limits, and which points are out of control."""

    points: tuple[float, ...]
    centre: float
    lower: float
    upper: float

    @property
    def out_of_control(self) -> tuple[int, ...]:
        return tuple(i for i, value in enumerate(self.points) if value > self.upper or value < self.lower)


@dataclass(frozen=True)
class ControlChart:
    kind: str  # "I-MR" or "X-bar/R"
    location: ChartSeries  # the individuals or the subgroup means
    spread: ChartSeries  # the moving ranges (first point has none: one fewer point) or the subgroup ranges
    subgroup_size: int


def individuals_chart(values: Sequence[float]) -> ControlChart:
    """The I-MR chart of `values` in time order; at least two values are needed for a moving range."""
    if len(values) < 2:
        raise ControlChartError("an individuals chart needs at least two values")
    moving = [abs(b - a) for a, b in zip(values, values[1:])]
    mean, mr_bar = fmean(values), fmean(moving)
    location = ChartSeries(tuple(values), mean, mean - I_MR_FACTOR * mr_bar, mean + I_MR_FACTOR * mr_bar)
    return ControlChart("I-MR", location, ChartSeries(tuple(moving), mr_bar, 0.0, MR_D4 * mr_bar), 1)


def xbar_r_chart(subgroups: Sequence[Sequence[float]]) -> ControlChart:
    """The X-bar/R chart of `subgroups` in time order, all of one size between 2 and 10."""
    if len(subgroups) < 2:
        raise ControlChartError("an X-bar/R chart needs at least two subgroups")
    sizes = {len(group) for group in subgroups}
    if len(sizes) != 1:
        raise ControlChartError(f"subgroups must all have the same size, found sizes {sorted(sizes)}")
    size = sizes.pop()
    if size not in XBAR_R_CONSTANTS:
        raise ControlChartError(f"subgroups of {size} values: X-bar/R takes 2 to 10 values per subgroup")
    a2, d3, d4 = XBAR_R_CONSTANTS[size]
    means = [fmean(group) for group in subgroups]
    ranges = [max(group) - min(group) for group in subgroups]
    grand, r_bar = fmean(means), fmean(ranges)
    location = ChartSeries(tuple(means), grand, grand - a2 * r_bar, grand + a2 * r_bar)
    return ControlChart("X-bar/R", location, ChartSeries(tuple(ranges), r_bar, d3 * r_bar, d4 * r_bar), size)


def control_chart(subgroups: Sequence[Sequence[float]]) -> ControlChart:
    """I-MR when every check gave one value, X-bar/R for subgroups; subgroups of another size than the most
    common one (a check with a value left out) are not comparable and must be dropped by the caller first."""
    if all(len(group) == 1 for group in subgroups):
        return individuals_chart([group[0] for group in subgroups])
    return xbar_r_chart(subgroups)
