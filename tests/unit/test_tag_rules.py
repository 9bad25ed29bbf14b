"""From tag values to state, reason, fault and counts."""

from core.plc.tag_rules import FaultDefinition, counter_increment, read_machine

TAGS = {"running": "R", "good": "G", "reject": "X", "faults": "F", "changeover": "C"}
FAULTS = [FaultDefinition("F02", 1, "JAM", "medium", ()), FaultDefinition("F03", 2, "FILM", "medium", ("BAG1",)),
          FaultDefinition("F13", 2, "FILM", "medium", ("LAB2",))]


def read(planned=False, **values):
    base = {"R": False, "G": 10, "X": 1, "F": 0, "C": False}
    return read_machine({**base, **values}, TAGS, "BAG1", FAULTS, planned)


def test_states_from_tags():
    assert read(R=True).state == "running"
    assert read(C=True).state == "changeover"
    assert read().state == "idle"
    assert read(planned=True).state == "planned_stop"
    down = read(R=True, F=0b110)
    assert (down.state, down.reason_code, down.fault_code) == ("down", "JAM", "F02")  # lowest bit first


def test_a_fault_bit_is_looked_up_for_the_machine():
    assert read(F=0b100).fault_code == "F03"
    unknown = read(F=1 << 9)
    assert (unknown.state, unknown.fault_code) == ("down", None)


def test_counter_increments_and_resets():
    assert counter_increment(100, 130) == 30
    assert counter_increment(100, 7) == 7  # reset to zero, then 7 made
    assert counter_increment(None, 50) == 0
