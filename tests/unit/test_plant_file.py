"""The plant file: what it accepts, what it refuses (file, key and problem per line), and dump as a fixed point."""

from pathlib import Path

import pytest

from core.plant.config_file import PlantFileError, dump_plant_toml, parse_plant_toml, read_plant_file

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plant.toml"

MINIMAL = """
[site]
name = "Akron"
timezone = "America/New_York"

[[shifts]]
name = "Night"
start = "22:00"
end = "06:00"
breaks = [{ start = "02:00", minutes = 30 }]

[[lines]]
code = "L1"
name = "Bagging line 1"

[[lines.equipment]]
code = "BAG1"
name = "Bagger 1"
ideal_cycle_time_s = 1.0
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PlantFileError) as error:
        parse_plant_toml(text, source="plant.toml")
    return error.value.lines


def test_the_example_plant_is_valid_and_realistic():
    config = read_plant_file(EXAMPLE)
    assert len(config.lines) >= 2 and sum(len(line.equipment) for line in config.lines) >= 6
    assert len(config.shifts) == 3 and len(config.reasons) >= 15 and len(config.faults) >= 6
    assert {r.category for r in config.reasons} >= {"unplanned", "planned", "changeover", "idle"}


def test_defaults_for_keys_left_out():
    config = parse_plant_toml(MINIMAL)
    bagger = config.lines[0].equipment[0]
    assert bagger.micro_stop_threshold_s == 120 and bagger.cost_per_hour == 0 and bagger.plc is None
    assert config.site.currency == "USD" and config.shifts[0].days == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_dump_then_read_is_a_fixed_point():
    config = read_plant_file(EXAMPLE)
    text = dump_plant_toml(config)
    again = parse_plant_toml(text)
    assert again == config and dump_plant_toml(again) == text


def test_a_break_crossing_midnight_inside_a_night_shift_is_fine():
    parse_plant_toml(MINIMAL.replace('start = "02:00", minutes = 30', 'start = "23:50", minutes = 20'))


@pytest.mark.parametrize(
    "change, expected",
    [
        (('timezone = "America/New_York"', 'timezone = "America/Akron"'),
         "plant.toml: site.timezone: unknown timezone 'America/Akron'"),
        (('start = "02:00", minutes = 30', 'start = "07:00", minutes = 30'),
         "plant.toml: shifts[0]: breaks[0] (07:00, 30 min) is outside the shift"),
        (('start = "02:00", minutes = 30', 'start = "05:45", minutes = 30'),
         "plant.toml: shifts[0]: breaks[0] (05:45, 30 min) is outside the shift"),
        (("ideal_cycle_time_s = 1.0", 'ideal_cycle_time_s = "fast"'),
         "plant.toml: lines[0].equipment[0].ideal_cycle_time_s: Input should be a valid number"),
        (("ideal_cycle_time_s = 1.0", "ideal_cycle_time_s = -1.0"),
         "plant.toml: lines[0].equipment[0].ideal_cycle_time_s: Input should be greater than 0"),
        (('code = "BAG1"', 'code = "BAG1"\ncolour = "red"'), "plant.toml: lines[0].equipment[0].colour: unknown key"),
        (('name = "Bagger 1"\n', ''), "plant.toml: lines[0].equipment[0].name: missing"),
        (('start = "22:00"', 'start = "25:00"'), "plant.toml: shifts[0].start: Input should be in a valid time format"),
        (('[site]', '[site'), "plant.toml: not valid TOML"),
        (("ideal_cycle_time_s = 1.0", 'ideal_cycle_time_s = 1.0\ntags = { running = "Run", good = "Good" }\n'
          'tag_types = { Run = "BOOL" }'),
         "plant.toml: lines[0].equipment[0]: tag_types must give every read tag a type; missing Good"),
        (("ideal_cycle_time_s = 1.0", 'ideal_cycle_time_s = 1.0\ntags = { running = "Run" }\n'
          'tag_types = { Run = "BOOL", Speed = "REAL" }'),
         "plant.toml: lines[0].equipment[0]: tag_types names Speed, which is neither in tags nor"),
        (("ideal_cycle_time_s = 1.0", 'ideal_cycle_time_s = 1.0\ntags = { running = "Bag.Run" }\n'
          'tag_types = { "Bag.Run" = "BOOL" }'),
         "plant.toml: lines[0].equipment[0]: tag_types can only declare atomic tags"),
        (("ideal_cycle_time_s = 1.0", 'ideal_cycle_time_s = 1.0\ntags = { running = "Run" }\n'
          'tag_types = { Run = "BIT" }'),
         "plant.toml: lines[0].equipment[0].tag_types.Run: Input should be"),
        (("ideal_cycle_time_s = 1.0", 'ideal_cycle_time_s = 1.0\nplc = { driver = "logix", address = "10.0.0.5", '
          'rate_s = 0 }'),
         "plant.toml: lines[0].equipment[0].plc.rate_s: Input should be greater than or equal to 0.1"),
    ],
)
def test_bad_files_say_file_key_and_problem(change, expected):
    found = problems(MINIMAL.replace(*change))
    assert any(line.startswith(expected) for line in found), found


def test_duplicates_and_dangling_references_are_each_reported():
    text = MINIMAL + """
[[lines.equipment]]
code = "BAG1"
name = "Bagger again"
ideal_cycle_time_s = 1.0

[[reasons]]
code = "JAM"
name = "Jam"
category = "unplanned"
parent = "MECH"

[[faults]]
code = "F1"
bit = 1
text = "Jam"
reason = "NOPE"
equipment = ["XYZ"]

[[faults]]
code = "F2"
bit = 1
text = "Another on bit 1"

[[reports]]
name = "Daily"
type = "daily"
line = "L9"
cron = "0 7 * * *"
recipients = ["production_manager"]
"""
    found = problems(text)
    assert "plant.toml: lines[0].equipment[0].code: duplicate equipment code 'BAG1'" in found
    assert "plant.toml: lines[0].equipment[1].code: duplicate equipment code 'BAG1'" in found
    assert "plant.toml: reasons[0].parent: no reason with code 'MECH'" in found
    assert "plant.toml: faults[0].reason: no reason with code 'NOPE'" in found
    assert "plant.toml: faults[0].equipment: no equipment with code 'XYZ'" in found
    assert "plant.toml: faults[1].bit: bit 1 is already fault 'F1' on the same machines" in found
    assert "plant.toml: reports[0].line: no line with code 'L9'" in found


def test_a_cron_of_five_fields_that_cron_cannot_read_is_refused_in_words():
    text = MINIMAL + """
[[reports]]
name = "Daily"
type = "daily"
cron = "61 7 * * *"
recipients = ["production_manager"]
"""
    found = problems(text)
    assert any(line.startswith("plant.toml: reports[0].cron: cron '61 7 * * *': Bad minute (minute 0-59")
               for line in found), found


def report(type_: str, **keys: str) -> str:
    return MINIMAL + f"""
[[reports]]
name = "Mornings"
type = "{type_}"
cron = "15 7 * * *"
recipients = ["production_manager"]
""" + "".join(f"{key} = {value}\n" for key, value in keys.items())


def test_a_custom_schedule_names_its_sections_and_lines_and_dumps_them_back():
    config = parse_plant_toml(report("custom", sections='["pareto", "stops", "pareto"]', lines='["L1"]'))
    schedule = config.reports[0]
    assert (schedule.sections, schedule.lines, schedule.line) == (["pareto", "stops"], ["L1"], None)
    assert parse_plant_toml(dump_plant_toml(config)) == config
    whole_plant = parse_plant_toml(report("custom", sections='["oee"]', lines="[]")).reports[0]
    assert whole_plant.lines is None
    daily = dump_plant_toml(parse_plant_toml(report("daily")))
    assert "sections =" not in daily and "\nlines =" not in daily  # no empty lists on the other types


@pytest.mark.parametrize("type_, keys, expected", [
    ("custom", {}, "plant.toml: reports[0]: a custom report needs at least one section in sections (sections: oee,"),
    ("custom", {"sections": "[]"}, "plant.toml: reports[0]: a custom report needs at least one section"),
    ("custom", {"sections": '["oee", "nope", "zz"]'}, "plant.toml: reports[0].sections: unknown sections 'nope', "
                                                      "'zz' (sections: oee, lines,"),
    ("custom", {"sections": '["oee"]', "line": '"L1"'},
     "plant.toml: reports[0]: a custom report takes lines = [...], not line"),
    ("daily", {"sections": '["oee"]'},
     "plant.toml: reports[0]: sections and lines are for custom reports only; a daily report takes line"),
    ("downtime", {"lines": '["L1"]'}, "plant.toml: reports[0]: sections and lines are for custom reports only"),
    ("custom", {"sections": '["oee"]', "lines": '["L1", "L9"]'}, "plant.toml: reports[0].lines: no line with code 'L9'"),
    # The jobs process could never make it: refused as the schedules admin page refuses it.
    ("shift", {}, "plant.toml: reports[0].line: a shift report is about one line: choose it"),
])
def test_schedule_rules_are_refused_in_words(type_, keys, expected):
    found = problems(report(type_, **keys))
    assert any(line.startswith(expected) for line in found), found


def test_a_reason_tree_with_a_loop_is_refused():
    text = MINIMAL + """
[[reasons]]
code = "A"
name = "a"
category = "unplanned"
parent = "B"

[[reasons]]
code = "B"
name = "b"
category = "unplanned"
parent = "A"
"""
    assert "plant.toml: reasons[0].parent: reason 'A' is its own ancestor" in problems(text)


def test_a_reason_tree_deeper_than_three_taps_is_refused():
    levels = [("A", None), ("B", "A"), ("C", "B"), ("D", "C")]
    text = MINIMAL + "".join(f"""
[[reasons]]
code = "{code}"
name = "{code.lower()}"
category = "unplanned"
""" + (f'parent = "{parent}"\n' if parent else "") for code, parent in levels)
    found = problems(text)
    assert [line for line in found if "levels deep" in line] == [
        "plant.toml: reasons[3].parent: reason 'D' is 4 levels deep; the tree may have 3 levels "
        "(an operator picks a reason in 3 taps)"]


def test_an_unreadable_file_is_one_line(tmp_path):
    with pytest.raises(PlantFileError) as error:
        read_plant_file(tmp_path / "missing.toml")
    assert error.value.lines == [f"{tmp_path / 'missing.toml'}: cannot read: No such file or directory"]
