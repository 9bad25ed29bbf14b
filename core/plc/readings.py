"""A reading as it travels from a scanner worker through the spool to the database, and its spool encoding."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from core.plc.tag_rules import MachineReading
from core.plc.trend_sampler import MinuteSummary


@dataclass(frozen=True)
class TimedReading:
    equipment_id: int
    at: datetime
    reading: MachineReading
    source: str = "plc"  # "plc", or "sim" for the simulator
    samples: dict[str, float] = field(default_factory=dict)  # trend values worth keeping from this read


def reading_entry(timed: TimedReading) -> dict[str, Any]:
    return {"kind": "reading", "equipment_id": timed.equipment_id, "at": timed.at.timestamp(),
            "source": timed.source, "reading": asdict(timed.reading), "samples": timed.samples}


def minute_entry(minute: MinuteSummary) -> dict[str, Any]:
    return {"kind": "minute", **asdict(minute)}


def decode_entry(entry: dict[str, Any]) -> TimedReading | MinuteSummary:
    if entry["kind"] == "minute":
        return MinuteSummary(**{key: value for key, value in entry.items() if key != "kind"})
    return TimedReading(entry["equipment_id"], datetime.fromtimestamp(entry["at"], timezone.utc),
                        MachineReading(**entry["reading"]), entry["source"], entry["samples"])
