"""Turning pycomm3's results and exceptions into Floorboard's TagValue and DriverError (shared by Logix and SLC)."""

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
