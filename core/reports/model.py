"""A report as plain data: KPI tiles, tables and charts in titled sections, with the window they cover.

The builders (shift, daily, weekly, downtime) fill it from the OEE service; the
renderers (PDF, Excel, CSV) lay it out without knowing which report it is.
Values keep their unit by `kind`, so each renderer formats them its own way:
  percent   a fraction 0..1 (None: undefined, e.g. no planned time)
  count     whole units
  minutes   a duration in minutes
  money     an amount in the report's currency
  number    any other number (hours, a ratio)
  text      a label, a name, a local time
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("percent", "count", "minutes", "money", "number", "text")


@dataclass(frozen=True)
class Kpi:
    label: str
    value: float | int | None
    kind: str = "percent"
    target: float | None = None  # same unit as value; a tile below target says so in words

    @property
    def below_target(self) -> bool:
        return self.target is not None and self.value is not None and self.value < self.target


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    empty_text: str = "Nothing in this window."


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str  # "bar" (one series, labelled bars) or "line" (trend, each series its own dash and marker)
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_kind: str = "number"  # how the axis and labels read: percent, minutes, money, count


@dataclass(frozen=True)
class Section:
    title: str
    kpis: tuple[Kpi, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    kind: str  # shift | daily | weekly | downtime
    title: str
    plant: str
    timezone: str
    scope: str  # "plant" or the line's code and name
    window_start: datetime  # UTC
    window_end: datetime
    window_label: str  # in the site's words and timezone
    generated_at: datetime
    data_until: datetime | None  # the newest state change or count in the window; None: no readings at all
    currency: str
    sections: tuple[Section, ...] = field(default=())
    notes: tuple[str, ...] = ()  # said at the top, e.g. that the window holds no data

    @property
    def has_data(self) -> bool:
        return self.data_until is not None
