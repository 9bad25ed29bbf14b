"""The quality page's overview of a period: checks, scrap, first-pass yield, in the site's local days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from core.oee.service import local_day_window
from core.plant.equipment import site_calendar
from core.quality.catalog import defect_choices
from core.quality.checks import CheckView, recent_checks
from core.quality.scrap import ScrapView, recent_scrap
from core.quality.yields import LineYield, yields_by_line

PERIODS = {"today": (0, 0), "yesterday": (1, 1), "week": (6, 0)}  # (first, last) local days back from today


@dataclass(frozen=True)
class QualityOverview:
    zone: ZoneInfo
    start: datetime
    end: datetime
    checks: list[CheckView]
    scrap: list[ScrapView]
    yields: list[LineYield]
    defect_names: dict[str, str]  # code -> its path in the tree


def quality_overview(db: sessionmaker[Session], period: str, now: datetime) -> QualityOverview:
    """Checks, scrap and first-pass yield of today, yesterday or the last 7 days (local days of the site)."""
    first_back, last_back = PERIODS.get(period, PERIODS["today"])
    calendar = site_calendar(db)
    zone = calendar.zone if calendar else ZoneInfo("UTC")
    today = now.astimezone(zone).date()
    window = local_day_window(calendar, today - timedelta(days=first_back), today - timedelta(days=last_back))
    return QualityOverview(zone, window.start, window.end,
                           recent_checks(db, window.start, window.end),
                           recent_scrap(db, window.start, window.end),
                           yields_by_line(db, window.start, window.end, now),
                           {d.code: d.path for d in defect_choices(db)})
