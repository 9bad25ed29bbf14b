"""The interface every PLC driver offers (pycomm3 Logix and SLC drivers, and the simulator)."""

from __future__ import annotations

from typing import Any, Protocol


class DriverError(Exception):
    """The PLC could not be read (unreachable, timed out, tag missing); the driver should be made again."""


class PlcDriver(Protocol):
    def read(self, tags: list[str]) -> dict[str, Any]:
        """Current values of `tags`, by tag name; raises DriverError."""

    def close(self) -> None:
        """Release the connection."""
