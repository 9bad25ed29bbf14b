"""Simulated plant histories in memory, for the ML tests and the ML benchmark (no database).

The example plant's shifts, breaks and fault catalog (examples/plant.toml),
its eight machines, and for more machines copies of them with new codes and
ids. Each machine's history is what the demo's simulator writes
(core.plc.sim_plant.simulated_history): with `hidden_causes` its long stops
have causes a model can learn (warnings before wear-out failures, fatigue late
in long stretches without a break), without them the same plant stops as often
but at random. No product changes: the demo's PLCs do not record them either
(products come from operator jobs).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from core.ml.history import LOOK_BACK, MachineHistory, history_from_records
from core.plant.config_file import read_plant_file
from core.plant.equipment import Machine, SiteCalendar
from core.plc.sim_plant import DEMO_SEED, simulated_history
from core.plc.tag_rules import FaultDefinition
from core.shift_calendar import ShiftDefinition
from core.timeline import CountAt, StateAt

EXAMPLE_PLANT = Path(__file__).resolve().parents[2] / "examples" / "plant.toml"
END = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)  # a Monday, 06:00 at the example site (America/New_York)

Records = dict[int, tuple[list[StateAt], list[CountAt]]]


@lru_cache(maxsize=1)
def _example() -> tuple[tuple[Machine, ...], SiteCalendar, tuple[FaultDefinition, ...], dict[str, str]]:
    config = read_plant_file(EXAMPLE_PLANT)
    shifts = tuple(ShiftDefinition(s.name, s.start, s.end, tuple(s.days), tuple((b.start, b.minutes) for b in s.breaks))
                   for s in config.shifts)
    calendar = SiteCalendar(config.site.name, ZoneInfo(config.site.timezone), config.site.currency,
                            config.site.target_oee, shifts, config.site.oee_policy,
                            config.site.startup_window_minutes)
    machines = tuple(
        Machine(id=index, code=e.code, name=e.name, line_code=line.code, line_name=line.name,
                ideal_cycle_time_s=e.ideal_cycle_time_s, micro_stop_threshold_s=e.micro_stop_threshold_s,
                cost_per_hour=e.cost_per_hour, plc_driver=e.plc.driver if e.plc else None, plc_address="",
                plc_slot=0, tags=dict(e.tags), trend_tags=tuple(e.trend_tags))
        for index, (line, e) in enumerate(((line, e) for line in config.lines for e in line.equipment), start=1))
    faults = tuple(FaultDefinition(f.code, f.bit, f.reason, f.priority, tuple(f.equipment)) for f in config.faults)
    names = {f.code: f.text for f in config.faults}
    return machines, calendar, faults, names


def example_calendar() -> SiteCalendar:
    return _example()[1]


def fault_names() -> dict[str, str]:
    """Fault code -> its text in the example plant (e.g. "F12" -> "Photo-eye fault")."""
    return dict(_example()[3])


def simulated_machines(n_machines: int) -> list[Machine]:
    """The example plant's machines (ids 1..8); beyond eight, copies with codes like "BAG1-2" and ids 9, 10, ..."""
    if n_machines < 1:
        raise ValueError(f"n_machines must be at least 1 (got {n_machines})")
    examples = _example()[0]
    chosen = []
    for index in range(n_machines):
        base, copy = examples[index % len(examples)], index // len(examples)
        chosen.append(base if copy == 0 else replace(base, id=index + 1, code=f"{base.code}-{copy + 1}",
                                                     line_code=f"{base.line_code}-{copy + 1}"))
    return chosen


def simulated_faults(machines: list[Machine]) -> list[FaultDefinition]:
    """The example fault catalog, with the faults of one machine also applying to its copies."""
    copies: dict[str, list[str]] = {}
    for machine in machines:
        copies.setdefault(machine.code.split("-")[0], []).append(machine.code)
    return [replace(f, equipment=tuple(code for base in f.equipment for code in copies.get(base, [base])))
            for f in _example()[2]]


def _simulated_plant(n_machines: int, days: float, end: datetime):
    """(machines, calendar, faults, start) of a simulated plant over the `days` before `end`."""
    if days <= 0:
        raise ValueError(f"days must be positive (got {days})")
    if end.tzinfo is None:
        raise ValueError("end needs a timezone (times are UTC)")
    machines = simulated_machines(n_machines)
    return machines, example_calendar(), simulated_faults(machines), end - timedelta(days=days)


def simulated_records(n_machines: int, days: float, seed: int = DEMO_SEED, hidden_causes: bool = True,
                      end: datetime = END) -> tuple[list[Machine], SiteCalendar, Records]:
    """(machines, calendar, {equipment_id: (state changes, per-minute counts)}) over the `days` before `end`."""
    machines, calendar, faults, start = _simulated_plant(n_machines, days, end)
    records = {m.id: simulated_history(m, calendar, faults, start, end, seed, hidden_causes) for m in machines}
    return machines, calendar, records


def simulated_histories(n_machines: int, days: float, seed: int = DEMO_SEED, hidden_causes: bool = True,
                        end: datetime = END) -> list[MachineHistory]:
    """Histories (core.ml.history) whose moments span the `days` before `end`, one machine at a time.

    The records begin LOOK_BACK earlier, so that the first moment's features
    have their whole look-back; counts are summed per clock hour as they are
    simulated (the same hourly totals as per-minute counts, without holding
    millions of minute records: 50 machines x 90 days stay quick).
    """
    machines, calendar, faults, start = _simulated_plant(n_machines, days, end)
    histories = []
    for machine in machines:
        states, counts = simulated_history(machine, calendar, faults, start - LOOK_BACK, end, seed, hidden_causes,
                                           per_hour=True)
        histories.append(history_from_records(machine, states, counts, calendar, start=start, end=end))
    return histories
