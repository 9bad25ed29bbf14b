"""A machine's PLC settings as the admin page edits them: read, check, save (audited), and test the connection.

What is saved here is what `floorboard plant dump` writes, and the scanner
picks it up at its next plant check (within seconds).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.persistence.plant_tables import EquipmentRow
from core.plant.config_schema import Equipment
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.connections import make_driver, plc_connections
from core.plc.driver import DriverError, TagValue
from core.plc.sim_plant import simulator


TEST_TIMEOUT_S = 5.0  # the test runs in a web request: it never waits longer than this per PLC call


class PlcSettingsError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MachinePlcSettings:
    driver: str | None  # None: the machine has no PLC (its data comes from the API or a sync)
    address: str = ""
    slot: int = 0
    rate_s: float = 1.0
    timeout_s: float = 2.0
    tags: dict[str, str] = field(default_factory=dict)  # role -> tag name
    trend_tags: list[str] = field(default_factory=list)
    tag_types: dict[str, str] = field(default_factory=dict)
    deadbands: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    values: dict[str, TagValue]
    error: str | None
    latency_ms: float | None


def machine_plc_settings(db: sessionmaker[Session], code: str) -> MachinePlcSettings:
    with db() as session:
        row = _machine_row(session, code)
        return MachinePlcSettings(row.plc_driver, row.plc_address, row.plc_slot, row.plc_rate_s, row.plc_timeout_s,
                                  json.loads(row.tags), json.loads(row.trend_tags), json.loads(row.tag_types),
                                  json.loads(row.deadbands))


def check_plc_settings(code: str, settings: MachinePlcSettings) -> MachinePlcSettings:
    """The settings as the plant file's rules accept them (trimmed, defaults filled), or PlcSettingsError."""
    plc = None if not settings.driver else {"driver": settings.driver, "address": settings.address,
                                            "slot": settings.slot, "rate_s": settings.rate_s,
                                            "timeout_s": settings.timeout_s}
    try:
        checked = Equipment.model_validate({
            "code": code, "name": code, "ideal_cycle_time_s": 1.0, "plc": plc, "tags": settings.tags,
            "trend_tags": settings.trend_tags, "tag_types": settings.tag_types, "deadbands": settings.deadbands})
    except ValidationError as exc:
        raise PlcSettingsError([_problem(error) for error in exc.errors()]) from exc
    if checked.plc is None:
        return MachinePlcSettings(None, tags=checked.tags, trend_tags=checked.trend_tags)
    return MachinePlcSettings(checked.plc.driver, checked.plc.address, checked.plc.slot, checked.plc.rate_s,
                              checked.plc.timeout_s, checked.tags, checked.trend_tags, dict(checked.tag_types),
                              checked.deadbands)


def save_machine_plc(db: sessionmaker[Session], code: str, settings: MachinePlcSettings, actor: Actor) -> None:
    checked = check_plc_settings(code, settings)
    before = machine_plc_settings(db, code)
    with db.begin() as session:
        row = _machine_row(session, code)
        row.plc_driver, row.plc_address, row.plc_slot = checked.driver, checked.address, checked.slot
        row.plc_rate_s, row.plc_timeout_s = checked.rate_s, checked.timeout_s
        row.tags, row.trend_tags = json.dumps(checked.tags, sort_keys=True), json.dumps(checked.trend_tags)
        row.tag_types = json.dumps(checked.tag_types, sort_keys=True)
        row.deadbands = json.dumps(checked.deadbands, sort_keys=True)
        audit.record(session, actor.username, "plant.plc_changed", code,
                     detail={"before": _as_detail(before), "after": _as_detail(checked)}, address=actor.address)


def try_plc_connection(db: sessionmaker[Session], code: str, settings: MachinePlcSettings,
                        clock: Callable[[], datetime]) -> ConnectionTest:
    """Open the PLC with these (unsaved) settings, read every tag once, close it; never raises for the PLC."""
    checked = check_plc_settings(code, settings)
    if checked.driver is None:
        raise PlcSettingsError(["choose a driver to test"])
    machine = next((m for m in machines(db) if m.code == code), None)
    if machine is None:
        raise PlcSettingsError([f"no active machine {code!r}"])
    machine = replace(machine, plc_driver=checked.driver, plc_address=checked.address, plc_slot=checked.slot,
                      plc_rate_s=checked.rate_s, plc_timeout_s=min(checked.timeout_s, TEST_TIMEOUT_S),
                      tags=checked.tags,
                      trend_tags=tuple(checked.trend_tags), tag_types=checked.tag_types)
    connection = plc_connections([machine])[0]
    driver = make_driver(connection, simulator(site_calendar(db), fault_catalog(db), clock))
    try:
        driver.open()
        started = time.perf_counter()
        values = driver.read(connection.tags)
        return ConnectionTest(True, values, None, (time.perf_counter() - started) * 1000)
    except DriverError as exc:
        return ConnectionTest(False, {}, str(exc), None)
    finally:
        driver.close()


def _machine_row(session: Session, code: str) -> EquipmentRow:
    row = session.scalars(select(EquipmentRow).where(EquipmentRow.code == code, EquipmentRow.active)).first()
    if row is None:
        raise PlcSettingsError([f"no active machine {code!r}"])
    return row


def _problem(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{key}: {message}" if key else message


def _as_detail(settings: MachinePlcSettings) -> dict[str, Any]:
    return {"driver": settings.driver, "address": settings.address, "slot": settings.slot,
            "rate_s": settings.rate_s, "timeout_s": settings.timeout_s, "tags": settings.tags,
            "trend_tags": settings.trend_tags, "tag_types": settings.tag_types, "deadbands": settings.deadbands}
