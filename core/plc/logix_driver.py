"""CompactLogix / ControlLogix through pycomm3's LogixDriver.

By default the controller's tag list is uploaded on open (so a program
download, which changes tag instance ids, is met by re-opening). A machine may
declare its tags' types in the plant file instead; then the upload is skipped
and the types are defined here, for controllers where the upload is slow or
refused (and for the cpppo simulator, which does not implement it).
"""

from __future__ import annotations

from typing import Any

from pycomm3 import LogixDriver
from pycomm3.cip import data_types

from core.plc.driver import DriverError, TagValue
from core.plc.pycomm3_results import check_writes, close_quietly, pycomm3_errors, tag_values


def declared_tag_definitions(tag_types: dict[str, str]) -> dict[str, dict[str, Any]]:
    """pycomm3 tag definitions for declared atomic tags, keyed by base tag name.

    A tag may be an atomic tag ("Running"), an element of an atomic array
    ("Counts[2]") or a bit of an integer ("Faults.3"); structure members need
    the uploaded structure definitions and cannot be declared.
    """
    definitions = {}
    for tag, type_name in tag_types.items():
        base, _, member = tag.partition(".")
        if member and not member.isdigit():
            raise DriverError(f"tag {tag!r}: a declared type describes an atomic tag, not a structure member "
                              "(leave tag_types out to upload the tag list)")
        name, bracket, _ = base.partition("[")
        type_class = getattr(data_types, type_name)
        definitions[name] = {
            "tag_name": name, "dim": 1 if bracket else 0, "alias": False, "instance_id": None,
            "tag_type": "atomic", "data_type": type_name, "data_type_name": type_name, "type_class": type_class,
            "dimensions": [0, 0, 0], "external_access": "Read/Write",
        }
    return definitions


class LogixPlc:
    def __init__(self, address: str, slot: int, timeout_s: float, tag_types: dict[str, str] | None = None):
        self.path = f"{address}/{slot}"
        self.name = f"logix://{self.path}"
        self.timeout_s = timeout_s
        self.tag_types = dict(tag_types or {})
        self._plc: LogixDriver | None = None

    def open(self) -> None:
        with pycomm3_errors(self.name, "open"):
            plc = LogixDriver(self.path, init_tags=not self.tag_types)
        plc.socket_timeout = self.timeout_s  # bounds connect and every receive
        if self.tag_types:
            # pycomm3 has no public call to define tags; its maintainer suggests setting `_tags`
            # (ottowayi/pycomm3 #286) when the upload is to be skipped.
            plc._tags.update(declared_tag_definitions(self.tag_types))
        self._plc = self._opened(plc)

    def read(self, tags: list[str]) -> dict[str, TagValue]:
        plc = self._connected()
        with pycomm3_errors(self.name, "read"):
            return tag_values(tags, plc.read(*tags))

    def write(self, values: dict[str, Any]) -> None:
        plc = self._connected()
        items = list(values.items())
        if len(items) == 1:
            # pycomm3 1.2.16 builds a lone write's request twice (_write_build_single_request), which some
            # targets (cpppo among them) refuse; writing the tag twice in one request takes the multi-request path.
            items = items * 2
        with pycomm3_errors(self.name, "write"):
            check_writes(plc.write(*items))

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

    def _connected(self) -> LogixDriver:
        if self._plc is None:
            raise DriverError(f"{self.name}: not open")
        return self._plc
