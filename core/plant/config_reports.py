"""The plant file's [[report_schedules]]: which report goes to whom, when (a cron in site time)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from core.plant.config_types import Strict
from core.reports.schedule_rules import check_cron
from core.reports.section_catalog import SECTIONS, unknown_sections


def _each_once(values: list[str] | None) -> list[str] | None:
    """The list without repeats; an empty list is none, so a dump leaves the key out."""
    return list(dict.fromkeys(values or [])) or None


class ReportSchedule(Strict):
    name: str = Field(min_length=1, max_length=80)
    type: Literal["shift", "daily", "weekly", "downtime", "custom"]
    cron: str
    recipients: list[str] = Field(min_length=1)
    line: str | None = None
    sections: list[str] | None = None  # custom only: keys of core.reports.section_catalog.SECTIONS
    lines: list[str] | None = None  # custom only: line codes; none is the whole plant

    @field_validator("sections")
    @classmethod
    def known_sections(cls, value: list[str] | None) -> list[str] | None:
        if unknown := unknown_sections(value or []):
            raise ValueError(f"unknown section{'s' if len(unknown) > 1 else ''} "
                             f"{', '.join(repr(key) for key in unknown)} (sections: {', '.join(SECTIONS)})")
        return _each_once(value)

    @field_validator("lines")
    @classmethod
    def lines_once(cls, value: list[str] | None) -> list[str] | None:
        return _each_once(value)

    @model_validator(mode="after")
    def custom_keys_for_custom_only(self) -> "ReportSchedule":
        if self.type == "custom":
            if not self.sections:
                raise ValueError("a custom report needs at least one section in sections "
                                 f"(sections: {', '.join(SECTIONS)})")
            if self.line is not None:
                raise ValueError("a custom report takes lines = [...], not line")
        elif self.sections or self.lines:
            raise ValueError(f"sections and lines are for custom reports only; a {self.type} report takes line")
        return self

    @field_validator("cron")
    @classmethod
    def five_fields(cls, value: str) -> str:
        if len(value) > 200 or len(value.split()) != 5 or not re.fullmatch(r"[0-9*/,\-A-Za-z ]+", value):
            raise ValueError(f"cron must have five fields (minute hour day month weekday), got {value!r}")
        value = " ".join(value.split())
        check_cron(value)  # five fields that cronsim cannot read (61 7 * * *) would fail at every tick
        return value
