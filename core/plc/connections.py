"""Which PLC connections the plant has, and the driver for each.

Machines that name the same driver, address and slot share one controller:
one connection, one worker, every tag of every machine in one multi-tag read,
at the fastest of those machines' rates. Each simulated machine is its own
connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from core.plant.equipment import Machine
from core.plc.driver import DriverError, PlcDriver
from core.plc.logix_driver import LogixPlc
from core.plc.slc_driver import SlcPlc


@dataclass(frozen=True)
class PlcConnection:
    key: str  # "logix://10.0.0.5/0", "slc://10.0.0.7", "sim://BAG1"
    driver: str
    address: str
    slot: int
    rate_s: float
    timeout_s: float
    machines: tuple[Machine, ...]

    @property
    def tags(self) -> list[str]:
        """Every tag to read, each once, in machine order."""
        return list(dict.fromkeys(tag for machine in self.machines for tag in machine.read_tags))

    @property
    def tag_types(self) -> dict[str, str]:
        return {tag: type_ for machine in self.machines for tag, type_ in machine.tag_types.items()}


def connection_key(driver: str, address: str, slot: int, code: str) -> str:
    if driver == "sim":
        return f"sim://{code}"
    return f"logix://{address}/{slot}" if driver == "logix" else f"slc://{address}"


def plc_connections(plant: Sequence[Machine]) -> list[PlcConnection]:
    grouped: dict[str, list[Machine]] = {}
    for machine in plant:
        if machine.plc_driver:
            key = connection_key(machine.plc_driver, machine.plc_address, machine.plc_slot, machine.code)
            grouped.setdefault(key, []).append(machine)
    return [PlcConnection(key, group[0].plc_driver or "", group[0].plc_address, group[0].plc_slot,
                          min(m.plc_rate_s for m in group), min(m.plc_timeout_s for m in group), tuple(group))
            for key, group in grouped.items()]


def make_driver(connection: PlcConnection, simulator: Callable[[Machine], PlcDriver]) -> PlcDriver:
    """A new, unopened driver for the connection (`simulator` makes the driver of a `sim` machine)."""
    if connection.driver == "logix":
        return LogixPlc(connection.address, connection.slot, connection.timeout_s, connection.tag_types)
    if connection.driver == "slc":
        return SlcPlc(connection.address, connection.timeout_s)
    if connection.driver == "sim":
        return simulator(connection.machines[0])
    raise DriverError(f"{connection.key}: unknown driver {connection.driver!r}")
