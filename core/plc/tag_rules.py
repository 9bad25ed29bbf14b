"""From tag values to a machine's state and counts: pure rules shared by every driver.

- faults word with a bit set -> `down`, with the fault (and its reason) from the catalog;
- changeover tag set -> `changeover`; running tag set -> `running`;
- otherwise stopped without a fault: `planned_stop` when the calendar plans no
  production (a break, no shift), else `idle`.
Counters are cumulative in the PLC: the increment is the difference since the
last stored value; a counter that went backwards was reset (power cycle,
rollover) and counts from zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence


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


def read_machine(values: dict[str, Any], tags: dict[str, str], equipment_code: str,
                 faults: Sequence[FaultDefinition], planned_now: bool) -> MachineReading:
    """Interpret one read of a machine's tags (`tags` maps role -> tag name)."""

    def value(role: str) -> Any:
        return values.get(tags[role]) if role in tags else None

    fault_word = int(value("faults") or 0)
    if fault_word:
        fault = first_fault(fault_word, equipment_code, faults)
        state, reason, fault_code = "down", fault.reason_code if fault else None, fault.code if fault else None
    elif value("changeover"):
        state, reason, fault_code = "changeover", None, None
    elif value("running"):
        state, reason, fault_code = "running", None, None
    else:
        state, reason, fault_code = ("planned_stop" if planned_now else "idle"), None, None
    good, reject = value("good"), value("reject")
    return MachineReading(state, reason, fault_code, None if good is None else int(good),
                          None if reject is None else int(reject))


def first_fault(word: int, equipment_code: str, faults: Sequence[FaultDefinition]) -> FaultDefinition | None:
    """The catalog fault of the lowest set bit that is defined for this machine."""
    for fault in sorted(faults, key=lambda f: f.bit):
        if word & (1 << fault.bit) and fault.applies_to(equipment_code):
            return fault
    return None


def counter_increment(previous: int | None, current: int | None) -> int:
    if current is None or previous is None:
        return 0
    if current < previous:
        return current  # reset or rollover: counting started again from zero
    return current - previous
