"""From tag values to state, reason, fault and counts."""

from core.plc.driver import TagValue
from core.plc.tag_rules import FaultDefinition, counter_increment, read_machine

TAGS = {"running": "R", "good": "G", "reject": "X", "faults": "F", "changeover": "C"}
FAULTS = [FaultDefinition("F02", 1, "JAM", "medium", ()), FaultDefinition("F03", 2, "FILM", "medium", ("BAG1",)),
          FaultDefinition("F13", 2, "FILM", "medium", ("LAB2",))]


def read(planned=False, tags=TAGS, **values):
    base = {"R": False, "G": 10, "X": 1, "F": 0, "C": False}
    typed = {"G": "DINT", "X": "INT"}
    return read_machine({tag: value if isinstance(value, TagValue) else TagValue(value, type=typed.get(tag))
                         for tag, value in {**base, **values}.items()}, tags, "BAG1", FAULTS, planned)


def test_states_from_tags():
    assert read(R=True).state == "running"
    assert read(C=True).state == "changeover"
    assert read().state == "idle"
    assert read(planned=True).state == "planned_stop"
    down = read(R=True, F=0b110)
    assert (down.state, down.reason_code, down.fault_code) == ("down", "JAM", "F02")  # lowest bit first


def test_speed_stands_in_for_a_missing_running_bit():
    tags = {"speed": "S", "good": "G"}
    assert read(tags=tags, S=12.5).state == "running"
    assert read(tags=tags, S=0.0).state == "idle"


def test_a_fault_bit_is_looked_up_for_the_machine():
    assert read(F=0b100).fault_code == "F03"
    unknown = read(F=1 << 9)
    assert (unknown.state, unknown.fault_code) == ("down", None)


def test_a_state_tag_with_bad_quality_makes_the_state_unknown_but_a_bad_counter_only_stops_counting():
    lost = read(R=TagValue(None, "Tag doesn't exist - R"))
    assert (lost.state, lost.error) == ("no_data", "R: Tag doesn't exist - R")
    uncounted = read(R=True, G=TagValue(None, "timeout"))
    assert (uncounted.state, uncounted.good_counter, uncounted.reject_counter) == ("running", None, 1)


def test_the_counter_type_gives_where_it_wraps():
    reading = read(R=True)
    assert (reading.good_modulus, reading.reject_modulus) == (2**32, 2**16)
    assert read(R=True, G=TagValue(5)).good_modulus is None  # type unknown (simulator)


def test_counter_increments_resets_and_wraps():
    assert counter_increment(100, 130) == 30
    assert counter_increment(100, 7) == 7  # reset to zero, then 7 made
    assert counter_increment(100, 7, 2**32) == 7  # a reset, even where the type is known
    assert counter_increment(None, 50) == 0
    assert counter_increment(2_147_483_600, -2_147_483_600, 2**32) == 96  # DINT past its largest value
    assert counter_increment(4_294_967_290, 5, 2**32) == 11  # UDINT round to zero
    assert counter_increment(32_760, -32_766, 2**16) == 10  # INT (SLC counter)
    assert counter_increment(2_147_483_600, -2_147_483_600) == 0  # type unknown: never negative production


def test_a_wrap_is_believed_only_if_the_machine_could_have_made_that_many():
    assert counter_increment(4_294_967_290, 5, 2**32, most=100) == 11
    # an unsigned counter reset from high up looks like a wrap of 1.3 billion: more than the machine can make
    assert counter_increment(3_000_000_000, 12, 2**32, most=5_000) == 12
