"""Polling machines: read each driver, turn the values into state changes and count increments, store them.

What was last stored per machine (its baseline) lives in the database, so a
restart or a takeover by another jobs process neither loses nor repeats counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.timeline_tables import PollBaseline
from core.plant.equipment import Machine
from core.plc.driver import DriverError, PlcDriver
from core.plc.tag_rules import FaultDefinition, MachineReading, counter_increment, read_machine
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

COUNT_EVERY = timedelta(seconds=10)  # counts are stored at most this often (and at every state change)
NO_DATA = MachineReading("no_data", None, None, None, None)


@dataclass(frozen=True)
class PollTarget:
    machine: Machine
    driver: PlcDriver


@dataclass
class PollSummary:
    read: int = 0
    failed: int = 0
    state_changes: int = 0
    count_rows: int = 0


def read_targets(targets: Sequence[PollTarget], faults: Sequence[FaultDefinition], planned_now: bool,
                 source_errors: dict[str, str] | None = None) -> dict[int, MachineReading]:
    readings = {}
    for target in targets:
        machine = target.machine
        try:
            values = target.driver.read(list(machine.tags.values()))
        except DriverError as exc:
            if source_errors is not None:
                source_errors[machine.code] = str(exc)
            readings[machine.id] = NO_DATA
            continue
        readings[machine.id] = read_machine(values, machine.tags, machine.code, faults, planned_now)
    return readings


def store_readings(db: sessionmaker[Session], readings: dict[int, MachineReading], now: datetime,
                   source: str, count_every: timedelta = COUNT_EVERY) -> PollSummary:
    """Write what changed since each machine's baseline, and move the baselines on, in one transaction."""
    summary = PollSummary(read=sum(r is not NO_DATA for r in readings.values()),
                          failed=sum(r is NO_DATA for r in readings.values()))
    states, counts = [], []
    with db.begin() as session:
        baselines = {b.equipment_id: b for b in session.scalars(
            select(PollBaseline).where(PollBaseline.equipment_id.in_(list(readings))))}
        for equipment_id, reading in readings.items():
            baseline = baselines.get(equipment_id)
            if baseline is None:
                session.add(PollBaseline(
                    equipment_id=equipment_id, good_counter=reading.good_counter,
                    reject_counter=reading.reject_counter, state=reading.state,
                    reason_code=reading.reason_code, fault_code=reading.fault_code, counted_at=now))
                states.append(StateAt(equipment_id, now, reading.state, reading.reason_code, source, reading.fault_code))
                continue
            changed = (reading.state, reading.reason_code, reading.fault_code) != (
                baseline.state, baseline.reason_code, baseline.fault_code)
            if changed:
                states.append(StateAt(equipment_id, now, reading.state, reading.reason_code, source, reading.fault_code))
                baseline.state, baseline.reason_code, baseline.fault_code = (
                    reading.state, reading.reason_code, reading.fault_code)
            if reading.good_counter is None:
                continue  # nothing heard: keep the baseline, the PLC still holds the counts
            if baseline.good_counter is None:  # first values ever read: they are the starting point
                baseline.good_counter, baseline.reject_counter = reading.good_counter, reading.reject_counter or 0
                baseline.counted_at = now
                continue
            if changed or now - baseline.counted_at >= count_every:
                good = counter_increment(baseline.good_counter, reading.good_counter)
                reject = counter_increment(baseline.reject_counter, reading.reject_counter or 0)
                if good or reject:
                    counts.append(CountAt(equipment_id, now, good, reject, source))
                baseline.good_counter, baseline.reject_counter = reading.good_counter, reading.reject_counter or 0
                baseline.counted_at = now
        add_state_changes(session, states)
        add_counts(session, counts)
    summary.state_changes, summary.count_rows = len(states), len(counts)
    return summary
