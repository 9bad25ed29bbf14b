"""What the Logix and SLC drivers share: a pycomm3 driver opened with a timeout, closed quietly, read in one
request, and its results and exceptions turned into Floorboard's TagValue and DriverError."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from pycomm3.exceptions import PycommError

from core.plc.driver import DriverError, TagValue


@contextmanager
def pycomm3_errors(connection: str, doing: str) -> Iterator[None]:
    """Any pycomm3 or socket failure becomes a DriverError naming the connection and what was being done."""
    try:
        yield
    except DriverError:
        raise
    except (PycommError, OSError, ValueError, KeyError, IndexError) as exc:  # parse errors surface as the last three
        raise DriverError(f"{connection}: {doing} failed: {exc}") from exc


def tag_values(tags: list[str], results: Any) -> dict[str, TagValue]:
    """pycomm3 returns one Tag for one request and a list for several; both become {tag: TagValue}."""
    results = results if isinstance(results, list) else [results]
    if len(results) != len(tags):
        raise DriverError(f"asked for {len(tags)} tags, got {len(results)} answers")
    return {tag: TagValue(None, str(result.error)) if result.error else TagValue(result.value, type=result.type)
            for tag, result in zip(tags, results)}


def check_writes(results: Any) -> None:
    results = results if isinstance(results, list) else [results]
    failed = [f"{result.tag}: {result.error}" for result in results if result.error]
    if failed:
        raise DriverError("write refused: " + "; ".join(failed))


def close_quietly(plc: Any) -> None:
    """Close a pycomm3 driver that is being thrown away; a failed goodbye changes nothing."""
    try:
        plc.close()
    except Exception:
        pass


class Pycomm3Plc:
    """A PlcDriver around one pycomm3 driver; subclasses say how to make it (`_make`) and may prepare it."""

    def __init__(self, name: str, timeout_s: float):
        self.name, self.timeout_s = name, timeout_s
        self._plc: Any = None

    def _make(self) -> Any:
        raise NotImplementedError

    def _prepare(self, plc: Any) -> None:
        """Anything to set on the driver before it connects."""

    def _write_items(self, values: dict[str, Any]) -> list[tuple[str, Any]]:
        return list(values.items())

    def open(self) -> None:
        with pycomm3_errors(self.name, "open"):
            plc = self._make()
        plc.socket_timeout = self.timeout_s  # bounds connect and every receive
        self._prepare(plc)
        try:  # a half-opened socket is closed, not leaked
            with pycomm3_errors(self.name, "open"):
                if not plc.open():
                    raise DriverError(f"{self.name}: the PLC refused the session")
        except DriverError:
            close_quietly(plc)
            raise
        self._plc = plc

    def read(self, tags: list[str]) -> dict[str, TagValue]:
        plc = self._connected()
        with pycomm3_errors(self.name, "read"):
            return tag_values(tags, plc.read(*tags))

    def write(self, values: dict[str, Any]) -> None:
        plc = self._connected()
        with pycomm3_errors(self.name, "write"):
            check_writes(plc.write(*self._write_items(values)))

    def close(self) -> None:
        plc, self._plc = self._plc, None
        if plc is not None:
            close_quietly(plc)

    def _connected(self) -> Any:
        if self._plc is None:
            raise DriverError(f"{self.name}: not open")
        return self._plc
