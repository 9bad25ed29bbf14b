"""The managers' home at a glance: the plant's OEE so far today and, for those who may see it, the money lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from core.money.money_lost import MoneyLost, money_lost
from core.oee.service import Scope, local_day_window, oee_for
from core.plant.equipment import site_calendar


@dataclass(frozen=True)
class PlantToday:
    day: date  # the site's local day
    oee: float | None  # None: no planned production yet
    target_oee: float | None
    money: MoneyLost | None  # None: not asked for


def plant_today(db: sessionmaker[Session], now: datetime, with_money: bool) -> PlantToday:
    """The whole plant from local midnight until `now`; the money lost only `with_money`."""
    calendar = site_calendar(db)
    day = now.astimezone(calendar.zone).date() if calendar else now.date()
    window = local_day_window(calendar, day, day)
    figures = oee_for(db, Scope(), window, now).figures
    return PlantToday(day, figures.oee, calendar.target_oee if calendar else None,
                      money_lost(db, Scope(), window, now) if with_money else None)
