"""`[[maintenance_plans]]` in the plant file: one trigger each, known machines, unique codes, and a dump that
reads back the same."""

import pytest

from core.plant.config_file import PlantFileError, dump_plant_toml, parse_plant_toml

PLANT = """
[site]
name = "Test"

[[lines]]
code = "L1"
name = "Line 1"

[[lines.equipment]]
code = "BAG1"
name = "Bagger"
ideal_cycle_time_s = 1.0
"""


def test_plans_read_with_their_trigger_and_dump_back_the_same():
    config = parse_plant_toml(PLANT + """
[[maintenance_plans]]
code = "JAWS"
equipment = "BAG1"
title = "Grease the jaws"
every_run_hours = 40
tasks = ["Clean", "Grease"]

[[maintenance_plans]]
code = "BELT"
equipment = "BAG1"
title = "Change the belt"
every_cycles = 250000
grace_days = 3
""")
    jaws, belt = config.maintenance_plans
    assert (jaws.trigger, jaws.interval, jaws.grace_days, jaws.tasks) == ("run_hours", 40.0, 1, ["Clean", "Grease"])
    assert (belt.trigger, belt.interval, belt.tasks) == ("cycles", 250000.0, [])
    assert parse_plant_toml(dump_plant_toml(config)) == config


@pytest.mark.parametrize("plan, problem", [
    ('every_days = 30\nevery_cycles = 10', "maintenance_plans[0]: say how often with exactly one of every_days, "
                                           "every_run_hours or every_cycles (given: every_days, every_cycles)"),
    ('grace_days = 1', "maintenance_plans[0]: say how often with exactly one of"),
    ('every_days = 0', "maintenance_plans[0].every_days: Input should be greater than 0"),
    ('every_days = 30\nequipment = "NOPE"', "maintenance_plans[0].equipment: no equipment with code 'NOPE'"),
])
def test_a_wrong_plan_is_refused_with_the_key_at_fault(plan, problem):
    body = "\n".join(line for line in ['code = "P1"', 'title = "Oil"', plan] + (
        [] if "equipment =" in plan else ['equipment = "BAG1"']))
    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(PLANT + "\n[[maintenance_plans]]\n" + body + "\n")
    assert any(line.startswith(f"plant.toml: {problem}") for line in refused.value.lines), refused.value.lines


def test_two_plans_with_one_code_are_refused():
    plan = '\n[[maintenance_plans]]\ncode = "P1"\nequipment = "BAG1"\ntitle = "Oil"\nevery_days = 7\n'
    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(PLANT + plan + plan)
    assert "plant.toml: maintenance_plans[1].code: duplicate maintenance plan code 'P1'" in refused.value.lines
