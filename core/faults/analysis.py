"""The faults page's use case: for a scope and window, the state timeline, the fault Pareto, MTBF and MTTR per
machine and per fault code, and the repeat faults.

Reliability (core.faults.reliability defines MTBF and MTTR): the breakdowns that began in the window, each
with its full duration (core.faults.breakdowns), and the OEE engine's run time per machine. Per fault code, run
time is that of the machines that began a breakdown with it in the window (a fault of one machine is not
diluted by the run time of the others) and MTTR the mean full duration of its breakdowns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.faults.breakdowns import Breakdown, begun_breakdowns, machine_reliability
from core.faults.counted_stops import CountedStop
from core.faults.pareto import FaultBar, fault_pareto
from core.faults.reliability import Reliability, combined, reliability_of
from core.faults.repeats import RepeatFault, RepeatRule, repeat_faults
from core.faults.timeline import Segment
from core.faults.timeline_store import fault_texts, repeat_rule
from core.faults.window_stops import window_stops
from core.oee.service import Scope, Window
from core.plant.equipment import Machine, reason_names
from core.reports.oee_source import window_figures

NO_FAULT = ""  # breakdowns that carried no fault code


@dataclass(frozen=True)
class FaultReliability:
    fault_code: str  # NO_FAULT for breakdowns without one
    text: str
    machines: tuple[str, ...]
    reliability: Reliability  # in seconds


@dataclass(frozen=True)
class FaultAnalysis:
    window: Window
    counted_until: datetime
    machines: tuple[Machine, ...]
    segments: list[Segment]
    stops: list[CountedStop]
    pareto: list[FaultBar]
    by_machine: dict[str, Reliability]  # machine code -> reliability in seconds, board order
    by_fault: list[FaultReliability]
    whole: Reliability
    repeats: list[RepeatFault]
    rule: RepeatRule
    fault_texts: dict[str, str]
    reason_names: dict[str, str]


def fault_analysis(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> FaultAnalysis:
    source = window_figures(db, scope, window, now)
    found = window_stops(db, source.machines, window, now, source.calendar)
    texts = fault_texts(db)
    breakdowns = begun_breakdowns(db, found.stops, found.counted_until, now)
    by_machine = machine_reliability(source, breakdowns)
    rule = repeat_rule(db)
    occurrences = [(s.equipment_code, s.fault_code, s.start) for s in found.stops
                   if s.fault_code and s.began_in_window and s.kind != "break"]
    return FaultAnalysis(window, found.counted_until, source.machines, found.segments, found.stops,
                         fault_pareto(found.stops, texts), by_machine, _by_fault(breakdowns, by_machine, texts),
                         combined(by_machine.values()), repeat_faults(occurrences, rule), rule, texts,
                         reason_names(db))


def _by_fault(breakdowns: list[Breakdown], by_machine: dict[str, Reliability],
              texts: dict[str, str]) -> list[FaultReliability]:
    grouped: dict[str, list[Breakdown]] = {}
    for breakdown in breakdowns:
        grouped.setdefault(breakdown.stop.fault_code or NO_FAULT, []).append(breakdown)
    rows = []
    for code, found in grouped.items():
        machines = tuple(dict.fromkeys(b.stop.equipment_code for b in found))
        part = reliability_of(sum(by_machine[m].run_time for m in machines), (b.repair_s for b in found))
        text = texts.get(code, "not in the fault catalog") if code else "no fault code given"
        rows.append(FaultReliability(code, text, machines, part))
    return sorted(rows, key=lambda r: (-r.reliability.breakdowns, -r.reliability.breakdown_time, r.fault_code))
