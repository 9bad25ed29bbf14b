"""The plant file's shape and rules, checked with pydantic: one error line per key at fault.

Keys follow ../DESIGN.md ("Plant configuration as a file"); none is ever
renamed, new ones may be added with defaults.
"""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field, field_validator, model_validator

from core.andon_webhook import is_webhook_target, webhook_url_problem
from core.plant.config_checklists import Checklist
from core.plant.config_faults import FaultRules
from core.plant.config_maintenance import MaintenancePlan
from core.plant.config_ml import MlSettings
from core.plant.config_quality import DefectCode, QualityCheckTemplate
from core.plant.config_reports import ReportSchedule
from core.plant.config_types import CODE, LocalTime, Strict
from core.shift_calendar import WEEKDAYS, break_offsets_within_shift

REASON_CATEGORIES = ("unplanned", "planned", "changeover", "idle", "quality")
PRIORITIES = ("low", "medium", "high", "critical")
REPORT_TYPES = ("shift", "daily", "weekly", "downtime", "custom")
PLC_DRIVERS = ("logix", "slc", "sim")
TAG_ROLES = ("running", "speed", "good", "reject", "faults", "changeover", "product")
# Atomic Logix types a tag may be declared as (for controllers whose tag list is not uploaded)
TAG_TYPES = ("BOOL", "SINT", "INT", "DINT", "LINT", "USINT", "UINT", "UDINT", "ULINT", "REAL", "LREAL")

class Site(Strict):
    name: str = Field(min_length=1, max_length=120)
    timezone: str = "UTC"
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    target_oee: float = Field(0.85, gt=0, le=1)
    # oee_com (oee.com / Vorne): planned stops are left out of planned time; smrp: they count against availability
    oee_policy: Literal["oee_com", "smrp"] = "oee_com"
    startup_window_minutes: float = Field(30, ge=0, le=480)  # rejects this soon after a changeover are startup rejects

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (use an IANA name such as 'Europe/Berlin')") from None
        if value not in available_timezones() and value != "UTC":
            raise ValueError(f"unknown timezone {value!r}")
        return value


class Break(Strict):
    start: LocalTime
    minutes: int = Field(gt=0, le=240)


class Shift(Strict):
    name: str = Field(min_length=1, max_length=40)
    start: LocalTime
    end: LocalTime
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(default_factory=lambda: list(WEEKDAYS))
    breaks: list[Break] = Field(default_factory=list)

    @model_validator(mode="after")
    def breaks_inside_the_shift(self) -> "Shift":
        if self.start == self.end:
            raise ValueError("start and end are the same time")
        spans = []
        for index, brk in enumerate(self.breaks):
            span = break_offsets_within_shift(self.start, self.end, brk.start, brk.minutes)
            if span is None:
                raise ValueError(f"breaks[{index}] ({brk.start:%H:%M}, {brk.minutes} min) is outside the shift")
            spans.append((span, index))
        spans.sort()
        for (first, _), (second, index) in zip(spans, spans[1:]):
            if second[0] < first[1]:
                raise ValueError(f"breaks[{index}] overlaps another break")
        if len(set(self.days)) != len(self.days):
            raise ValueError("a day is listed twice")
        return self


class Plc(Strict):
    driver: Literal["logix", "slc", "sim"]
    address: str = ""
    slot: int = Field(0, ge=0, le=31)
    rate_s: float = Field(1.0, ge=0.1, le=3600)  # how often the machine's tags are read
    timeout_s: float = Field(2.0, gt=0, le=60)  # a read that takes longer counts as no answer

    @model_validator(mode="after")
    def address_for_real_plcs(self) -> "Plc":
        if self.driver != "sim" and not self.address:
            raise ValueError(f"driver {self.driver!r} needs an address")
        return self


class Equipment(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    ideal_cycle_time_s: float = Field(gt=0)
    micro_stop_threshold_s: float = Field(120, ge=0)
    cost_per_hour: float = Field(0, ge=0)
    unit_cost: float = Field(0, ge=0)
    plc: Plc | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    trend_tags: list[str] = Field(default_factory=list)  # more tags read for trends and the tag browser
    # Declared tag types: with them the Logix driver skips the tag-list upload (slow or refused controllers)
    tag_types: dict[str, Literal[TAG_TYPES]] = Field(default_factory=dict)
    deadbands: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)  # trend samples: change kept

    @model_validator(mode="after")
    def tag_settings_name_read_tags(self) -> "Equipment":
        if len(set(self.trend_tags)) != len(self.trend_tags):
            raise ValueError("trend_tags lists a tag twice")
        read = set(self.tags.values()) | set(self.trend_tags)
        for key in ("tag_types", "deadbands"):
            unknown = sorted(set(getattr(self, key)) - read)
            if unknown:
                raise ValueError(f"{key} names {', '.join(unknown)}, which is neither in tags nor in trend_tags")
        members = sorted(tag for tag in self.tag_types if not tag.partition(".")[2].isdigit() and "." in tag)
        if members:
            raise ValueError(f"tag_types can only declare atomic tags (or their bits), not structure members "
                             f"such as {members[0]}; leave tag_types out to upload the tag list")
        if self.tag_types and (missing := sorted(read - set(self.tag_types))):
            raise ValueError(f"tag_types must give every read tag a type; missing {', '.join(missing)}")
        return self

    @field_validator("tags")
    @classmethod
    def known_tag_roles(cls, tags: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(tags) - set(TAG_ROLES))
        if unknown:
            raise ValueError(f"unknown tag role(s) {', '.join(unknown)}; roles are {', '.join(TAG_ROLES)}")
        if len(set(tags.values())) != len(tags):
            raise ValueError("two roles name the same tag")
        return tags


class Line(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    equipment: list[Equipment] = Field(default_factory=list)


class Reason(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    category: Literal["unplanned", "planned", "changeover", "idle", "quality"]
    parent: str | None = None


class Fault(Strict):
    code: str = Field(pattern=CODE)
    bit: int = Field(ge=0, le=31)
    text: str = Field(min_length=1, max_length=200)
    reason: str | None = None
    priority: Literal["low", "medium", "high", "critical"] = "medium"
    equipment: list[str] = Field(default_factory=list)  # empty: every machine


def _notify_target(name: str) -> str:
    if not name:
        raise ValueError("an empty name")
    if is_webhook_target(name) and (problem := webhook_url_problem(name)):
        raise ValueError(problem)
    return name


class EscalationLevel(Strict):
    after_minutes: float = Field(ge=0, le=10_080)
    # counted from when the call was raised (until acknowledged), or from its acknowledgement (until resolved)
    after: Literal["raised", "acknowledged"] = "raised"
    # role names, user names or email addresses (app, email) and http(s) webhook URLs (webhook)
    notify: list[Annotated[str, AfterValidator(_notify_target)]] = Field(min_length=1)
    channels: list[Literal["app", "email", "webhook"]] = Field(default_factory=lambda: ["app", "email"], min_length=1)

    @model_validator(mode="after")
    def targets_fit_channels(self) -> "EscalationLevel":
        urls = [name for name in self.notify if is_webhook_target(name)]
        people = [name for name in self.notify if not is_webhook_target(name)]
        problems = []
        if len(set(self.channels)) != len(self.channels):
            problems.append("a channel is listed twice")
        if "webhook" in self.channels and not urls:
            problems.append("channel webhook needs an http(s) URL in notify")
        if urls and "webhook" not in self.channels:
            problems.append(f"notify lists the webhook URL {urls[0]} but channels has no webhook")
        if people and not {"app", "email"} & set(self.channels):
            problems.append(f"notify names {people[0]} but channels has neither app nor email")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Escalation(Strict):
    priority: Literal["low", "medium", "high", "critical"]
    levels: list[EscalationLevel] = Field(min_length=1)

    @model_validator(mode="after")
    def levels_in_time_order(self) -> "Escalation":
        for phase in ("raised", "acknowledged"):
            minutes = [level.after_minutes for level in self.levels if level.after == phase]
            if minutes != sorted(set(minutes)):
                raise ValueError(f"levels after {phase} must have increasing after_minutes")
        return self


class Product(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    unit_cost: float | None = Field(None, ge=0)
    # equipment code -> seconds per unit at ideal speed, instead of the machine's own while this product runs
    ideal_cycles: dict[str, float] = Field(default_factory=dict)

    @field_validator("ideal_cycles")
    @classmethod
    def positive_cycles(cls, cycles: dict[str, float]) -> dict[str, float]:
        wrong = sorted(code for code, seconds in cycles.items() if not seconds > 0)
        if wrong:
            raise ValueError(f"the ideal cycle of {', '.join(wrong)} must be more than 0 seconds")
        return cycles


SOURCE_STATES = ("running", "down", "changeover", "planned_stop", "idle")  # no_data is for gaps, never a row
SQL_NAME = r"^[A-Za-z_][A-Za-z0-9_$ .-]{0,63}$"  # a table or column name as MySQL allows it (quoted on use)


class SourceColumns(Strict):
    """Floorboard field -> the source's column. Equipment, state and start are needed; the rest may be left out."""

    equipment: str = Field(pattern=SQL_NAME)
    state: str = Field(pattern=SQL_NAME)
    start: str = Field(pattern=SQL_NAME)
    end: str | None = Field(None, pattern=SQL_NAME)
    job: str | None = Field(None, pattern=SQL_NAME)
    part: str | None = Field(None, pattern=SQL_NAME)
    operator: str | None = Field(None, pattern=SQL_NAME)
    good: str | None = Field(None, pattern=SQL_NAME)
    reject: str | None = Field(None, pattern=SQL_NAME)


class SourcePlcPrecedence(Strict):
    """For a machine that a PLC also reads: which of the two writes its states, and which its counts. "plc" (the
    default): the sync leaves that kind out for the machine. "source": the sync writes it and the PLC poller
    does not, for the machines named in the source's equipment map (core.sync describes the rule)."""

    states: Literal["plc", "source"] = "plc"
    counts: Literal["plc", "source"] = "plc"


class Source(Strict):
    name: str = Field(pattern=CODE)
    kind: Literal["mysql"] = "mysql"
    url_env: str = Field(pattern=r"^[A-Z_][A-Z0-9_]{0,63}$")  # the URL is read from this variable, never stored
    table: str = Field(pattern=SQL_NAME)
    id_column: str = Field(pattern=SQL_NAME)  # an increasing whole-number key: the watermark
    updated_column: str | None = Field(None, pattern=SQL_NAME)  # with it, rows changed after their sync are redone
    timezone: str | None = None  # of the source's times; None: the site's
    every_s: int = Field(60, ge=5, le=86_400)  # how often the jobs process syncs
    batch_size: int = Field(5000, ge=100, le=100_000)
    overlap_ids: int = Field(1000, ge=0, le=1_000_000)  # ids below the watermark read again: rows committed late
    overlap_minutes: float = Field(10, ge=0, le=10_080)  # the same for updated_column
    columns: SourceColumns
    states: dict[str, Literal[SOURCE_STATES]] = Field(min_length=1)  # source value -> Floorboard state
    equipment: dict[str, str] = Field(default_factory=dict)  # source machine name -> equipment code
    plc: SourcePlcPrecedence = Field(default_factory=SourcePlcPrecedence)

    @field_validator("timezone")
    @classmethod
    def known_source_timezone(cls, value: str | None) -> str | None:
        return None if value is None else Site.known_timezone(value)


class PlantConfig(Strict):
    site: Site
    shifts: list[Shift] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)
    faults: list[Fault] = Field(default_factory=list)
    escalations: list[Escalation] = Field(default_factory=list)
    reports: list[ReportSchedule] = Field(default_factory=list)
    checklists: list[Checklist] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    defect_codes: list[DefectCode] = Field(default_factory=list)  # core.plant.config_quality
    quality_checks: list[QualityCheckTemplate] = Field(default_factory=list)
    maintenance_plans: list[MaintenancePlan] = Field(default_factory=list)  # core.plant.config_maintenance
    fault_rules: FaultRules = Field(default_factory=FaultRules)  # repeat faults (core.plant.config_faults)
    ml: MlSettings = Field(default_factory=MlSettings)  # what downtime risk predicts (core.plant.config_ml)
