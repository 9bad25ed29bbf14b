"""Pure reading of the OEE engine's losses: the six big losses as rows. What they cost is core.money's."""

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

