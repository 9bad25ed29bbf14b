"""SLC 5/05 through pycomm3's SLCDriver, and an SLC machine through the scanner into the database.

cpppo has no PCCC (the SLC's protocol), and no other PCCC peer runs here, so
this test replaces pycomm3's SLCDriver class with a double at the driver
level: a data table answering read(*addresses) and write(*pairs) with
pycomm3's own Tag results. Everything above it (SlcPlc, the worker, the
spool, the store) is the real code.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from pycomm3 import Tag
from pycomm3.exceptions import CommError

from core.clock import utc_now
from core.plant.config_file import read_plant_file
from core.plant.config_schema import PlantConfig
from core.plant.config_store import apply_plant_config
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.driver import DriverError, TagValue
from core.plc.scanner import PlantView, TagScanner
from core.plc.slc_driver import SlcPlc
from core.plc.spool import ReadingSpool
from core.timeline import count_totals, state_changes
from tests.conftest import EXAMPLE_PLANT

DATA_TABLE = {"B3:0/0": True, "N7:0": 32_760, "N7:1": 2, "N7:2": 0}


class SlcDataTable:
    """Stands in for pycomm3.SLCDriver (see the module docstring): same calls, same Tag results."""

    table = dict(DATA_TABLE)
    reachable = True

    def __init__(self, path):
        self.path, self.socket_timeout = path, 5.0

    def open(self):
        if not self.reachable:
            raise CommError("failed to open a connection")
        return True

    def read(self, *addresses):
        if not self.reachable:
            raise CommError("failed to receive reply")
        tags = [Tag(a, self.table[a], "N" if a.startswith("N") else "B", None) if a in self.table
                else Tag(a, None, None, "Address does not exist") for a in addresses]
        return tags[0] if len(tags) == 1 else tags

    def write(self, *pairs):
        self.table.update(pairs)
        tags = [Tag(a, v, "N", None) for a, v in pairs]
        return tags[0] if len(tags) == 1 else tags

    def close(self):
        pass


@pytest.fixture(autouse=True)
def fresh_table():
    SlcDataTable.table, SlcDataTable.reachable = dict(DATA_TABLE), True


def test_reads_give_values_and_per_address_errors_and_a_lost_plc_is_a_driver_error():
    plc = SlcPlc("10.0.0.7", 2.0, driver_class=SlcDataTable)
    plc.open()
    assert plc.read(["B3:0/0", "N7:0", "N9:9"]) == {
        "B3:0/0": TagValue(True, type="B"), "N7:0": TagValue(32_760, type="N"),
        "N9:9": TagValue(None, "Address does not exist")}
    plc.write({"N7:2": 1})
    assert plc.read(["N7:2"])["N7:2"].value == 1
    SlcDataTable.reachable = False
    with pytest.raises(DriverError, match="slc://10.0.0.7: read failed"):
        plc.read(["N7:0"])
    plc.close()
    with pytest.raises(DriverError, match="open failed"):
        SlcPlc("10.0.0.7", 2.0, driver_class=SlcDataTable).open()


def test_an_slc_machine_is_scanned_into_its_timeline(database_url, plant, tmp_path):
    data = read_plant_file(EXAMPLE_PLANT).model_dump()
    palletizer = next(e for line in data["lines"] for e in line["equipment"] if e["code"] == "PAL1")
    palletizer.update(plc={"driver": "slc", "address": "10.0.0.7", "rate_s": 0.2},
                      tags={"running": "B3:0/0", "good": "N7:0", "reject": "N7:1", "faults": "N7:2"},
                      trend_tags=[], deadbands={})
    apply_plant_config(plant, PlantConfig.model_validate(data))
    view = PlantView(tuple(m for m in machines(plant) if m.code == "PAL1"), tuple(fault_catalog(plant)),
                     site_calendar(plant))
    scanner = TagScanner(plant, ReadingSpool(tmp_path / "spool.sqlite"), utc_now, simulator=None,
                         driver_for=lambda c: SlcPlc(c.address, c.timeout_s, driver_class=SlcDataTable),
                         count_every=timedelta(0))
    started = utc_now()
    machine_id = view.machines[0].id
    try:
        scanner.reconcile(view)
        time.sleep(1.0)
        SlcDataTable.table["N7:0"] = 32_767
        time.sleep(0.5)
        SlcDataTable.table.update({"N7:0": -32_766, "N7:2": 1 << 3})  # the INT counter wraps; F04
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            timeline = state_changes(plant, [machine_id], started, utc_now())[machine_id]
            if [c.state for c in timeline] == ["running", "down"]:
                break
            time.sleep(0.1)
    finally:
        scanner.stop()
        scanner.spool.close()
    assert [(c.state, c.fault_code) for c in timeline] == [("running", None), ("down", "F04")]
    # 32,760 -> 32,767 -> -32,766: 7 + 3 units (N files are INT on an SLC; the wrap is followed, not a reset)
    assert count_totals(plant, [machine_id], started, utc_now())[machine_id] == (10, 0)
