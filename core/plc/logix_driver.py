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

from core.plc.driver import DriverError
from core.plc.pycomm3_plc import Pycomm3Plc


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


class LogixPlc(Pycomm3Plc):
    def __init__(self, address: str, slot: int, timeout_s: float, tag_types: dict[str, str] | None = None):
        self.path = f"{address}/{slot}"
        super().__init__(f"logix://{self.path}", timeout_s)
        self.tag_types = dict(tag_types or {})

    def _make(self) -> LogixDriver:
        return LogixDriver(self.path, init_tags=not self.tag_types)

    def _prepare(self, plc: LogixDriver) -> None:
        if self.tag_types:
            # pycomm3 has no public call to define tags; its maintainer suggests setting `_tags`
            # (ottowayi/pycomm3 #286) when the upload is to be skipped.
            plc._tags.update(declared_tag_definitions(self.tag_types))

    def _write_items(self, values: dict[str, Any]) -> list[tuple[str, Any]]:
        items = list(values.items())
        if len(items) == 1:
            # pycomm3 1.2.16 builds a lone write's request twice (_write_build_single_request), which some
            # targets (cpppo among them) refuse; writing the tag twice in one request takes the multi-request path.
            items = items * 2
        return items
