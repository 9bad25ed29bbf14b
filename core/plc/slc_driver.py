"""SLC 5/05 and MicroLogix through pycomm3's SLCDriver (PCCC over EtherNet/IP); tags are data-table addresses
such as "N7:0", "B3:0/4" or "C5:0.ACC"."""

from __future__ import annotations

from pycomm3 import SLCDriver

from core.plc.pycomm3_plc import Pycomm3Plc


class SlcPlc(Pycomm3Plc):
    def __init__(self, address: str, timeout_s: float, driver_class: type = SLCDriver):
        super().__init__(f"slc://{address}", timeout_s)
        self.address = address
        self.driver_class = driver_class  # pycomm3's SLCDriver; tests hand in a double (no PCCC peer runs here)

    def _make(self) -> SLCDriver:
        return self.driver_class(self.address)
