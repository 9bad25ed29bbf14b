"""The OEE engine's figures for a report: one computation of the window, read per machine, per line and whole.

`oee_for` sums the engine's per-machine totals (`period_totals`) and turns
the sum into figures with `oee_figures`; a report needs the same figures at
three levels at once, so it does exactly that once and groups the totals
three ways. The figures equal `oee_for` for the same scope and window (the
report tests check it); nothing here computes OEE any other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.oee.engine import DEFAULT_STARTUP_WINDOW_S
from core.oee.figures import TOTAL_FIELDS, OeeFigures, oee_figures, totals_from_mapping
from core.oee.period_totals import period_totals
from core.oee.service import Scope, Window, scope_machines
from core.plant.equipment import Machine, SiteCalendar, site_calendar


@dataclass(frozen=True)
class WindowFigures:
    """The engine's figures of one window: the whole scope, each line and each machine (board order)."""

    calendar: SiteCalendar | None
    machines: tuple[Machine, ...]
    whole: OeeFigures
    by_line: dict[str, OeeFigures]  # line code -> figures, in board order
    by_machine: dict[str, OeeFigures]  # machine code -> figures

    def machine(self, code: str) -> Machine:
        return next(m for m in self.machines if m.code == code)


def window_figures(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> WindowFigures:
    calendar = site_calendar(db)
    chosen = scope_machines(db, scope)
    policy = calendar.oee_policy if calendar else "oee_com"
    startup_window_s = calendar.startup_window_minutes * 60 if calendar else DEFAULT_STARTUP_WINDOW_S  # as oee_for
    totals = period_totals(db, chosen, [window.start, window.end], now, calendar, startup_window_s)
    totals = totals.reset_index()
    codes = {m.id: m.code for m in chosen}
    line_of = {m.id: m.line_code for m in chosen}

    def figures(part: pd.DataFrame) -> OeeFigures:
        return oee_figures(totals_from_mapping(part[list(TOTAL_FIELDS)].sum()), policy)

    by_machine = {codes[i]: figures(totals[totals["equipment_id"] == i]) for i in codes}
    line_codes = list(dict.fromkeys(m.line_code for m in chosen))
    by_line = {code: figures(totals[totals["equipment_id"].map(line_of) == code]) for code in line_codes}
    return WindowFigures(calendar, tuple(chosen), figures(totals), by_line, by_machine)
