"""What the rest of Floorboard reads about the plant: machines, lines, reasons, the shift calendar."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow, FaultRow, LineRow, ReasonRow, ShiftRow, SiteRow
from core.plc.tag_rules import FaultDefinition
from core.shift_calendar import ShiftDefinition


@dataclass(frozen=True)
class Machine:
    id: int
    code: str
    name: str
    line_code: str
    line_name: str
    ideal_cycle_time_s: float
    micro_stop_threshold_s: float
    cost_per_hour: float
    plc_driver: str | None
    plc_address: str
    plc_slot: int
    tags: dict[str, str]  # role -> tag name
    plc_rate_s: float = 1.0
    plc_timeout_s: float = 2.0
    trend_tags: tuple[str, ...] = ()
    tag_types: dict[str, str] = field(default_factory=dict)  # tag name -> declared Logix type
    deadbands: dict[str, float] = field(default_factory=dict)

    @property
    def read_tags(self) -> list[str]:
        """Every tag the scanner reads for this machine: the role tags, then the trend tags."""
        role_tags = list(dict.fromkeys(self.tags.values()))
        return role_tags + [tag for tag in self.trend_tags if tag not in role_tags]


@dataclass(frozen=True)
class Line:
    code: str
    name: str


@dataclass(frozen=True)
class SiteCalendar:
    name: str
    zone: ZoneInfo
    currency: str
    target_oee: float
    shifts: tuple[ShiftDefinition, ...]
    oee_policy: str = "oee_com"
    startup_window_minutes: float = 30.0


def machines(db: sessionmaker[Session], line_code: str | None = None) -> list[Machine]:
    """Active machines in line and board order (optionally of one line)."""
    query = (select(EquipmentRow, LineRow).join(LineRow, EquipmentRow.line_id == LineRow.id)
             .where(EquipmentRow.active, LineRow.active).order_by(LineRow.position, EquipmentRow.position))
    if line_code is not None:
        query = query.where(LineRow.code == line_code)
    with db() as session:
        return [
            Machine(e.id, e.code, e.name, line.code, line.name, e.ideal_cycle_time_s, e.micro_stop_threshold_s,
                    e.cost_per_hour, e.plc_driver, e.plc_address, e.plc_slot, json.loads(e.tags), e.plc_rate_s,
                    e.plc_timeout_s, tuple(json.loads(e.trend_tags)), json.loads(e.tag_types),
                    json.loads(e.deadbands))
            for e, line in session.execute(query)
        ]


def lines(db: sessionmaker[Session]) -> list[Line]:
    with db() as session:
        return [Line(row.code, row.name)
                for row in session.scalars(select(LineRow).where(LineRow.active).order_by(LineRow.position))]


def reason_names(db: sessionmaker[Session]) -> dict[str, str]:
    """Every reason code ever loaded (inactive ones too: old stops keep their names)."""
    with db() as session:
        return {row.code: row.name for row in session.scalars(select(ReasonRow))}


def active_reason_codes(db: sessionmaker[Session]) -> set[str]:
    with db() as session:
        return set(session.scalars(select(ReasonRow.code).where(ReasonRow.active)))


def site_calendar(db: sessionmaker[Session]) -> SiteCalendar | None:
    """The site's timezone and shifts, or None when no plant has been loaded."""
    with db() as session:
        return site_calendar_in(session)


def site_zone(db: sessionmaker[Session]) -> ZoneInfo:
    """The site's timezone; UTC when no plant has been loaded."""
    calendar = site_calendar(db)
    return calendar.zone if calendar else ZoneInfo("UTC")


def site_calendar_in(session: Session) -> SiteCalendar | None:
    """`site_calendar`, read in the caller's transaction."""
    site = session.get(SiteRow, 1)
    if site is None:
        return None
    shifts = tuple(
        ShiftDefinition(
            name=row.name, start=time.fromisoformat(row.start), end=time.fromisoformat(row.end),
            days=tuple(row.days.split(",")) if row.days else (),
            breaks=tuple((time.fromisoformat(b["start"]), b["minutes"]) for b in json.loads(row.breaks)),
        )
        for row in session.scalars(select(ShiftRow).where(ShiftRow.active).order_by(ShiftRow.position))
    )
    return SiteCalendar(site.name, ZoneInfo(site.timezone), site.currency, site.target_oee, shifts,
                        site.oee_policy, site.startup_window_minutes)


def fault_catalog(db: sessionmaker[Session]) -> list[FaultDefinition]:
    with db() as session:
        return [FaultDefinition(row.code, row.bit, row.reason_code, row.priority, tuple(json.loads(row.equipment)))
                for row in session.scalars(select(FaultRow).where(FaultRow.active).order_by(FaultRow.position))]
