"""SLC 5/05 and MicroLogix through pycomm3's SLCDriver (PCCC over EtherNet/IP); tags are data-table addresses
such as "N7:0", "B3:0/4" or "C5:0.ACC"."""

from __future__ import annotations

from typing import Any

from pycomm3 import SLCDriver

from core.plc.driver import DriverError, TagValue
from core.plc.pycomm3_results import check_writes, close_quietly, pycomm3_errors, tag_values


class SlcPlc:
    def __init__(self, address: str, timeout_s: float, driver_class: type = SLCDriver):
        self.address = address
        self.name = f"slc://{address}"
        self.timeout_s = timeout_s
        self.driver_class = driver_class  # pycomm3's SLCDriver; tests hand in a double (no PCCC peer runs here)
        self._plc: Any = None

    def open(self) -> None:
        with pycomm3_errors(self.name, "open"):
            plc = self.driver_class(self.address)
        plc.socket_timeout = self.timeout_s  # bounds connect and every receive
        self._plc = self._opened(plc)

    def read(self, tags: list[str]) -> dict[str, TagValue]:
        plc = self._connected()
        with pycomm3_errors(self.name, "read"):
            return tag_values(tags, plc.read(*tags))

    def write(self, values: dict[str, Any]) -> None:
        plc = self._connected()
        with pycomm3_errors(self.name, "write"):
            check_writes(plc.write(*values.items()))

    def close(self) -> None:
        plc, self._plc = self._plc, None
        if plc is not None:
            close_quietly(plc)

    def _opened(self, plc: Any) -> Any:
        """Open `plc`, or close whatever half-opened socket it holds and raise."""
        try:
            with pycomm3_errors(self.name, "open"):
                if not plc.open():
                    raise DriverError(f"{self.name}: the PLC refused the session")
        except DriverError:
            close_quietly(plc)
            raise
        return plc

    def _connected(self) -> Any:
        if self._plc is None:
            raise DriverError(f"{self.name}: not open")
        return self._plc
