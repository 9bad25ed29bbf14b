"""A connection worker's cycle: reconnect with backoff, no_data on the first failed read, spooled readings.

The PLC here is a scripted double (a unit test of the worker's decisions);
the same worker against a real EtherNet/IP peer is in
tests/integration/test_plc_scanner.py.
"""

from datetime import datetime, timezone

import pytest

from core.plant.equipment import Machine
from core.plc.connection_worker import ConnectionWorker, backoff_s
from core.plc.connections import PlcConnection, plc_connections
from core.plc.driver import DriverError, TagValue
from core.plc.logix_driver import declared_tag_definitions
from core.plc.spool import ReadingSpool
from core.plc.tag_rules import read_machine

NOW = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


def machine(id_, code, address="10.0.0.5", slot=0, driver="logix", rate=1.0, tags=None):
    return Machine(id_, code, code, "L1", "Line 1", 1.0, 60.0, 0.0, driver, address, slot,
                   tags or {"running": f"{code}_Run", "good": f"{code}_Good"}, rate, 2.0)


class ScriptedPlc:
    """Answers reads from `values`; raises while `down` is set; counts opens and closes."""

    def __init__(self, plant):
        self.plant, self.opened, self.closed = plant, 0, 0

    def open(self):
        if self.plant["down"]:
            raise DriverError("connection refused")
        self.opened += 1

    def read(self, tags):
        if self.plant["down"]:
            raise DriverError("timed out")
        return {tag: TagValue(self.plant["values"].get(tag)) for tag in tags}

    def write(self, values):
        self.plant["values"].update(values)

    def close(self):
        self.closed += 1


@pytest.fixture
def rig(tmp_path):
    plant = {"down": False, "values": {"BAG1_Run": True, "BAG1_Good": 5}}
    drivers = []

    def make(connection):
        drivers.append(ScriptedPlc(plant))
        return drivers[-1]

    connection = plc_connections([machine(1, "BAG1")])[0]
    spool = ReadingSpool(tmp_path / "spool.sqlite")
    interpret = lambda m, values, now: read_machine(values, m.tags, m.code, (), False)  # noqa: E731
    worker = ConnectionWorker(connection, make, spool, interpret, lambda: NOW)
    yield worker, plant, drivers, spool
    spool.close()


def spooled_states(spool):
    return [entry["reading"]["state"] for _, entry in spool.oldest(100) if entry["kind"] == "reading"]


def test_backoff_doubles_up_to_its_cap():
    assert [backoff_s(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


def test_the_first_failed_read_spools_no_data_and_the_driver_is_thrown_away(rig):
    worker, plant, drivers, spool = rig
    worker.poll_once()
    assert spooled_states(spool) == ["running"] and worker.status.state == "connected"
    plant["down"] = True
    worker.poll_once()
    assert spooled_states(spool) == ["running", "no_data"] and drivers[0].closed == 1
    assert worker.status.state == "retrying" and "timed out" in worker.status.last_error
    worker.poll_once()  # inside the backoff: no attempt, nothing spooled
    assert len(drivers) == 1 and spooled_states(spool) == ["running", "no_data"]
    plant["down"] = False
    worker._retry_at = 0.0  # the backoff is over
    worker.poll_once()
    assert len(drivers) == 2 and spooled_states(spool)[-1] == "running"  # a new driver, a new tag list
    assert worker.status.failures_in_row == 0 and worker.status.errors == 1


def test_a_worker_without_the_lease_reads_nothing_and_lets_go_of_the_plc(rig):
    worker, plant, drivers, spool = rig
    worker.poll_once()
    worker.active = lambda: False
    worker.poll_once()
    assert drivers[0].closed == 1 and spooled_states(spool) == ["running"]


def test_machines_on_one_controller_share_a_connection_read_at_the_fastest_rate():
    plant = [machine(1, "BAG1", rate=2.0), machine(2, "CHK1", rate=0.5), machine(3, "FIL2", "10.0.0.6"),
             machine(4, "PAL1", driver="sim"), machine(5, "MIX1", driver=None)]
    connections = {c.key: c for c in plc_connections(plant)}
    assert set(connections) == {"logix://10.0.0.5/0", "logix://10.0.0.6/0", "sim://PAL1"}
    shared = connections["logix://10.0.0.5/0"]
    assert [m.code for m in shared.machines] == ["BAG1", "CHK1"] and shared.rate_s == 0.5
    assert shared.tags == ["BAG1_Run", "BAG1_Good", "CHK1_Run", "CHK1_Good"]


def test_declared_types_describe_atomic_tags_arrays_and_bits_but_not_structure_members():
    definitions = declared_tag_definitions({"Running": "BOOL", "Counts[2]": "DINT", "Faults.3": "DINT"})
    assert {name: d["data_type_name"] for name, d in definitions.items()} == {
        "Running": "BOOL", "Counts": "DINT", "Faults": "DINT"}
    assert definitions["Counts"]["dim"] == 1
    with pytest.raises(DriverError, match="structure member"):
        declared_tag_definitions({"Bagger.Running": "BOOL"})


def test_a_value_the_rules_cannot_read_is_no_data_with_the_error_not_a_stale_state(rig):
    worker, plant, drivers, spool = rig
    worker.poll_once()
    plant["values"]["BAG1_Good"] = "twelve"  # a STRING tag mapped as the good counter
    worker.poll_once()
    last = spool.oldest(100)[-1][1]["reading"]
    assert last["state"] == "no_data" and "ValueError" in last["error"]
    assert worker.status.state == "retrying" and drivers[0].closed == 1
