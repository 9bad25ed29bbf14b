"""The interface every PLC driver offers (pycomm3 Logix and SLC drivers, and the simulator).

A driver is disposable: when it raises DriverError the scanner closes it and
makes a new one (with backoff), as pycomm3's maintainer advises, so that a
controller whose program was downloaded again is met with a fresh tag list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class DriverError(Exception):
    """The PLC could not be read as a whole (unreachable, timed out, refused); the driver should be made again."""


@dataclass(frozen=True)
class TagValue:
    """One tag's value and its quality: `error` is None for a good value."""

    value: Any
    error: str | None = None
    type: str | None = None  # the PLC's data type name where the driver knows it ("DINT")

    @property
    def good(self) -> bool:
        return self.error is None


class PlcDriver(Protocol):
    def open(self) -> None:
        """Connect (and learn the tags' types); raises DriverError."""

    def read(self, tags: list[str]) -> dict[str, TagValue]:
        """Current values of `tags` in one request where the PLC allows; raises DriverError.

        A tag the PLC does not know comes back with an error, not as an exception.
        """

    def write(self, values: dict[str, Any]) -> None:
        """Write tag values; raises DriverError when any write fails."""

    def close(self) -> None:
        """Release the connection; never raises."""
