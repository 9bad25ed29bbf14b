"""What every report carries around its sections: plant, scope, window, timezone, when it was made and how
fresh its data was."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy.orm import Session, sessionmaker

from core.oee.service import Window
from core.plant.equipment import SiteCalendar, lines
from core.reports.model import Report, Section
from core.reports.readings import newest_reading


def scope_label(db: sessionmaker[Session], line_code: str | None) -> str:
    if line_code is None:
        return "Whole plant"
    names = {line.code: line.name for line in lines(db)}
    return f"{line_code} {names.get(line_code, '')}".strip()


def wrap(db: sessionmaker[Session], calendar: SiteCalendar, kind: str, title: str, line_code: str | None,
         window: Window, now: datetime, equipment_ids: Sequence[int], sections: Sequence[Section],
         notes: Sequence[str] = ()) -> Report:
    data_until = newest_reading(db, equipment_ids, window.start, min(window.end, now))
    notes = tuple(notes)
    if now < window.end:
        notes += (f"The window is not over: figures count until "
                  f"{now.astimezone(calendar.zone).strftime('%a %d %b %H:%M %Z')}.",)
    return Report(kind=kind, title=title, plant=calendar.name, timezone=calendar.zone.key,
                  scope=scope_label(db, line_code), window_start=window.start, window_end=window.end,
                  window_label=window.label, generated_at=now, data_until=data_until, currency=calendar.currency,
                  sections=tuple(sections), notes=notes)
