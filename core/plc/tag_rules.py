"""From tag values to a machine's state and counts: pure rules shared by every driver.

- a state tag (running, speed, faults, changeover) with bad quality -> `no_data`:
  the state cannot be known, and guessing would count it as run or stop;
- faults word with a bit set -> `down`, with the fault (and its reason) from the catalog;
- changeover tag set -> `changeover`; running tag set (or, without one, speed > 0) -> `running`;
- otherwise stopped without a fault: `planned_stop` when the calendar plans no
  production (a break, no shift), else `idle`.
Counters are cumulative in the PLC: the increment is the difference since the
last stored value. A counter that wrapped past its type's largest value is
followed round; one that went backwards otherwise was reset (power cycle,
program download) and counts from zero: never negative production.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from core.plc.driver import TagValue

STATE_ROLES = ("running", "speed", "faults", "changeover")
# Counter types and the count at which they wrap (signed ones are followed through the sign change)
COUNTER_MODULUS = {"SINT": 2**8, "USINT": 2**8, "INT": 2**16, "UINT": 2**16, "DINT": 2**32, "UDINT": 2**32,
                   "LINT": 2**64, "ULINT": 2**64,
                   # SLC data files as pycomm3 names them: integer (N), counter (C, its .ACC) and long (L)
                   "N": 2**16, "C": 2**16, "L": 2**32}


@dataclass(frozen=True)
class FaultDefinition:
    code: str
    bit: int
    reason_code: str | None
    priority: str
    equipment: tuple[str, ...]  # empty: every machine

    def applies_to(self, equipment_code: str) -> bool:
        return not self.equipment or equipment_code in self.equipment


@dataclass(frozen=True)
class MachineReading:
    state: str
    reason_code: str | None
    fault_code: str | None
    good_counter: int | None
    reject_counter: int | None
    good_modulus: int | None = None  # where the counter wraps, from its type; None: unknown
    reject_modulus: int | None = None
    error: str | None = None  # why the state is no_data


def no_data(error: str) -> MachineReading:
    return MachineReading("no_data", None, None, None, None, error=error)


def read_machine(values: dict[str, TagValue], tags: dict[str, str], equipment_code: str,
                 faults: Sequence[FaultDefinition], planned_now: bool) -> MachineReading:
    """Interpret one read of a machine's tags (`tags` maps role -> tag name)."""
    bad = [f"{tags[role]}: {values[tags[role]].error}" for role in STATE_ROLES
           if role in tags and tags[role] in values and not values[tags[role]].good]
    if bad:
        return no_data("; ".join(bad))

    def value(role: str):
        found = values.get(tags[role]) if role in tags else None
        return found.value if found is not None and found.good else None

    fault_word = int(value("faults") or 0)
    running = bool(value("running")) if "running" in tags else float(value("speed") or 0) > 0
    if fault_word:
        fault = first_fault(fault_word, equipment_code, faults)
        state, reason, fault_code = "down", fault.reason_code if fault else None, fault.code if fault else None
    elif value("changeover"):
        state, reason, fault_code = "changeover", None, None
    elif running:
        state, reason, fault_code = "running", None, None
    else:
        state, reason, fault_code = ("planned_stop" if planned_now else "idle"), None, None
    good, reject = value("good"), value("reject")
    return MachineReading(state, reason, fault_code, None if good is None else int(good),
                          None if reject is None else int(reject),
                          _modulus(values, tags.get("good")), _modulus(values, tags.get("reject")))


def _modulus(values: dict[str, TagValue], tag: str | None) -> int | None:
    found = values.get(tag) if tag else None
    return COUNTER_MODULUS.get(found.type or "") if found is not None else None


def first_fault(word: int, equipment_code: str, faults: Sequence[FaultDefinition]) -> FaultDefinition | None:
    """The catalog fault of the lowest set bit that is defined for this machine."""
    for fault in sorted(faults, key=lambda f: f.bit):
        if word & (1 << fault.bit) and fault.applies_to(equipment_code):
            return fault
    return None


def counter_increment(previous: int | None, current: int | None, modulus: int | None = None,
                      most: int | None = None) -> int:
    """Units counted between two reads of a cumulative counter.

    With the counter's `modulus` known, a step backwards of less than half the
    range, and no more than the `most` units the machine could have made
    meanwhile, is a wrap (a DINT going from 2,147,483,600 to -2,147,483,600
    made 96); any other step backwards is a reset to zero, after which
    `current` were made.
    """
    if current is None or previous is None:
        return 0
    if current >= previous:
        return current - previous
    if modulus is not None:
        wrapped = (current - previous) % modulus
        if wrapped < modulus // 2 and (most is None or wrapped <= most):
            return wrapped
    return max(current, 0)  # a negative count from a counter of unknown type says nothing about units made
