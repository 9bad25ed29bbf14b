"""What each machine made in a report's window, product by product (core.money.stretches), and the plan at ideal
speed that follows the product being made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.money.stretches import Stretch, machine_stretches
from core.oee.service import Window
from core.reports.oee_source import WindowFigures

__all__ = ["Stretch", "plan_at_ideal_speed", "product_stretches"]


def product_stretches(db: sessionmaker[Session], source: WindowFigures, window: Window,
                      now: datetime) -> list[Stretch]:
    """The stretches of every machine of `source` in `window`, in time order per machine."""
    known = {m.id: source.by_machine[m.code] for m in source.machines}
    return machine_stretches(db, source.machines, [window.start, window.end], now, source.calendar, known)


def plan_at_ideal_speed(stretches: list[Stretch], equipment_id: int) -> int:
    """Whole units the machine could make in its planned time, each stretch at its product's cycle."""
    return int(sum(s.planned_production_time_s / s.ideal_cycle_time_s for s in stretches
                   if s.equipment_id == equipment_id and s.ideal_cycle_time_s > 0) + 1e-9)
