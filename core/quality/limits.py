"""The in-limits rule for a measured value, and how its limits read to a person. Pure.

A value is in limits when lower <= value <= upper: a value exactly on a limit is in limits (the limits are
the last good values, as a drawing's tolerance is). A missing limit is no limit on that side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    lower: float | None
    upper: float | None
    unit: str = ""

    def text(self) -> str:
        """'995 – 1010 g', 'at least 7 mm', 'at most 0.5 %'."""
        unit = f" {self.unit}" if self.unit else ""
        if self.lower is not None and self.upper is not None:
            return f"{self.lower:g} – {self.upper:g}{unit}"
        if self.lower is not None:
            return f"at least {self.lower:g}{unit}"
        return f"at most {self.upper:g}{unit}" if self.upper is not None else "no limits"


def in_limits(value: float, limits: Limits) -> bool:
    """True when the value is inside its limits, limits included; a value that is not a number never is."""
    if not math.isfinite(value):
        return False
    return (limits.lower is None or value >= limits.lower) and (limits.upper is None or value <= limits.upper)


def verdict(value: float, limits: Limits) -> str:
    """What the person sees next to the value: 'in limits', or which limit it broke and by how much."""
    unit = f" {limits.unit}" if limits.unit else ""
    if in_limits(value, limits):
        return "in limits"
    if limits.lower is not None and value < limits.lower:
        return f"below the lower limit {limits.lower:g}{unit} by {limits.lower - value:g}{unit}"
    return f"above the upper limit {limits.upper:g}{unit} by {value - limits.upper:g}{unit}"
