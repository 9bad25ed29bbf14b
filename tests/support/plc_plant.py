"""The example plant with its bagger (BAG1) moved onto a real EtherNet/IP controller (cpppo), for the PLC tests."""

from __future__ import annotations

import time

from core.plant.config_file import read_plant_file
from core.plant.config_schema import PlantConfig
from core.plant.config_store import apply_plant_config
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.scanner import PlantView

CONTROLLER_TAGS = {"Running": "BOOL", "GoodCount": "DINT", "RejectCount": "DINT", "Faults": "DINT", "Speed": "REAL"}


def map_bagger_to(db, example_plant: str, address: str) -> None:
    """BAG1 on a Logix controller at `address`, its tag types declared (cpppo has no tag-list upload)."""
    data = read_plant_file(example_plant).model_dump()
    bagger = next(e for line in data["lines"] for e in line["equipment"] if e["code"] == "BAG1")
    bagger.update(plc={"driver": "logix", "address": address, "slot": 0, "rate_s": 0.2, "timeout_s": 1.0},
                  tags={"running": "Running", "good": "GoodCount", "reject": "RejectCount", "faults": "Faults"},
                  trend_tags=["Speed"], tag_types=CONTROLLER_TAGS, deadbands={}, micro_stop_threshold_s=1.0)
    apply_plant_config(db, PlantConfig.model_validate(data))


def bagger_view(db) -> PlantView:
    return PlantView(tuple(m for m in machines(db) if m.code == "BAG1"), tuple(fault_catalog(db)), site_calendar(db))


def wait_until(condition, seconds=15.0, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
