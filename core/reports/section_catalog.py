"""Every section a report can hold, by key: what a custom report is made of and what a schedule names.

Each entry calls the same section builder the shift, daily, weekly or downtime report uses, on figures read
once per report (SectionInputs reads each on first use), so a custom report never computes a figure a second
way. The keys are part of the plant file (`[[reports]] sections = [...]`): never rename one.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Callable

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.oee.service import Scope, Window, downtime_summary, oee_trend
from core.reports.downtime_report import (downtime_summary_section, longest_stops_section, pareto_section,
                                          reliability_section)
from core.reports.model import Section
from core.reports.oee_source import WindowFigures, window_figures
from core.reports.plant_reports import (day_section, lines_section, ranking_section, shift_matrix_section,
                                        shift_section)
from core.reports.product_stretches import product_stretches
from core.reports.sections import losses_section, money_section, oee_section
from core.reports.shift_report import andon_section, checklist_section, jobs_section, output_section
from core.reports.windows import ReportRequest


class SectionInputs:
    """What the sections of one report read, each read at most once: the engine's figures for the chosen lines
    (none: the whole plant), the trends, the stops."""

    def __init__(self, db: sessionmaker[Session], request: ReportRequest, window: Window, now: datetime):
        self.db, self.request, self.window, self.now = db, request, window, now
        self.scope = Scope(lines=request.lines)
        self.line_codes: list[str | None] = list(request.lines) or [None]

    @cached_property
    def source(self) -> WindowFigures:
        return window_figures(self.db, self.scope, self.window, self.now)

    @cached_property
    def by_day(self) -> pd.DataFrame:
        return oee_trend(self.db, self.scope, self.window, self.now, "day")

    @cached_property
    def by_shift(self) -> pd.DataFrame:
        return oee_trend(self.db, self.scope, self.window, self.now, "shift")

    @cached_property
    def downtime(self) -> tuple[pd.DataFrame, float | None]:
        return downtime_summary(self.db, self.scope, self.window, self.now)

    @cached_property
    def reliability(self) -> tuple[Section, float | None, float | None]:
        return reliability_section(self.db, self.source, self.window, self.now)

    @property
    def target(self) -> float:
        return self.source.calendar.target_oee

    @property
    def last_day(self) -> date:
        return self.request.last_day or self.request.day


def _downtime(i: SectionInputs) -> Section:
    pareto, unexplained = i.downtime
    _, mtbf, mttr = i.reliability
    return downtime_summary_section(pareto, unexplained, mtbf, mttr)


SectionBuilder = Callable[[SectionInputs], Section]

# key -> (title on the reports page, builder); in the order a custom report lays them out
SECTIONS: dict[str, tuple[str, SectionBuilder]] = {
    "oee": ("OEE and machines", lambda i: oee_section(i.source)),
    "lines": ("Lines", lambda i: lines_section(i.db, i.source)),
    "output": ("Output against plan", lambda i: output_section(i.db, i.source, i.window, i.now)),
    "by_day": ("OEE by day", lambda i: day_section(i.by_day, i.target)),
    "by_shift": ("OEE by shift", lambda i: shift_section(i.by_shift, i.target)),
    "day_by_shift": ("Day by shift", lambda i: shift_matrix_section(i.by_shift,
                                                                    [s.name for s in i.source.calendar.shifts])),
    "ranking": ("Best and worst machines", lambda i: ranking_section(i.source)),
    "losses": ("Six big losses", lambda i: losses_section(i.source.whole)),
    "money": ("Money lost", lambda i: money_section(i.source, product_stretches(i.db, i.source, i.window, i.now),
                                                    i.source.calendar.currency)),
    "downtime": ("Downtime summary (MTBF, MTTR)", _downtime),
    "pareto": ("Pareto of stop reasons", lambda i: pareto_section(i.downtime[0])),
    "reliability": ("MTBF and MTTR by machine", lambda i: i.reliability[0]),
    "stops": ("Longest stops", lambda i: longest_stops_section(i.db, i.source, i.request.lines, i.window, i.now)),
    "andon": ("Andon calls", lambda i: andon_section(i.db, i.line_codes, i.window, i.source.calendar.zone)),
    "checklists": ("Checklist compliance", lambda i: checklist_section(i.db, i.request.day, i.last_day, i.now,
                                                                       i.line_codes)),
    "jobs": ("Jobs done", lambda i: jobs_section(i.db, i.source, i.window, i.source.calendar.zone)),
}


def unknown_sections(keys) -> list[str]:
    return [key for key in keys if key not in SECTIONS]


