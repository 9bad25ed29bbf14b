"""The plant file's quality blocks: defect-code tree and check templates, what they refuse and why."""

import pytest

from core.plant.config_file import PlantFileError, dump_plant_toml, parse_plant_toml

PLANT = """
[site]
name = "Akron"

[[lines]]
code = "L1"
name = "Bagging line 1"

[[lines.equipment]]
code = "BAG1"
name = "Bagger 1"
ideal_cycle_time_s = 1.0

[[products]]
code = "P-100"
name = "Flour"
"""
TEMPLATE = """
[[quality_checks]]
code = "WEIGHT"
name = "Weight"
{scope}
characteristics = [{characteristic}]
"""
WEIGHT = '{ code = "W", name = "Weight", unit = "kg", nominal = 25, lower = 24.9, upper = 25.2, samples = 5 }'


def defects(*rows: tuple[str, str | None]) -> str:
    return "".join(f'\n[[defect_codes]]\ncode = "{code}"\nname = "{code} name"\n'
                   + (f'parent = "{parent}"\n' if parent else "") for code, parent in rows)


def template(scope: str = 'equipment = ["BAG1"]', characteristic: str = WEIGHT) -> str:
    return TEMPLATE.format(scope=scope, characteristic=characteristic)


def problems(text: str) -> list[str]:
    with pytest.raises(PlantFileError) as error:
        parse_plant_toml(text, source="plant.toml")
    return error.value.lines


def test_a_defect_tree_and_templates_of_each_scope_load_and_dump_back():
    text = (PLANT + defects(("PACK", None), ("SEAL", "PACK"), ("WEAK", "SEAL")) + template()
            + template('line = "L1"').replace('"WEIGHT"', '"W2"') + template('product = "P-100"').replace('"WEIGHT"', '"W3"'))
    config = parse_plant_toml(text)
    assert [(d.code, d.parent) for d in config.defect_codes] == [("PACK", None), ("SEAL", "PACK"), ("WEAK", "SEAL")]
    assert [(t.equipment, t.line, t.product) for t in config.quality_checks] == [
        (["BAG1"], None, None), ([], "L1", None), ([], None, "P-100")]
    assert parse_plant_toml(dump_plant_toml(config)) == config


def test_unknown_parents_machines_lines_and_products_are_refused_by_key():
    text = (PLANT + defects(("PACK", "NOPE"), ("A", "B"), ("B", "A")) + template('equipment = ["BAG9"]')
            + template('line = "L9"').replace('"WEIGHT"', '"W2"')
            + template('product = "P-9"').replace('"WEIGHT"', '"W3"'))
    assert problems(text) == [
        "plant.toml: defect_codes[0].parent: no defect code 'NOPE'",
        "plant.toml: defect_codes[1].parent: defect code 'A' is its own ancestor",
        "plant.toml: defect_codes[2].parent: defect code 'B' is its own ancestor",
        "plant.toml: quality_checks[0].equipment: no equipment with code 'BAG9'",
        "plant.toml: quality_checks[1].line: no line with code 'L9'",
        "plant.toml: quality_checks[2].product: no product with code 'P-9'",
    ]


def test_a_tree_deeper_than_three_levels_and_duplicate_codes_are_refused():
    text = PLANT + defects(("A", None), ("B", "A"), ("C", "B"), ("D", "C"), ("A", None))
    assert problems(text) == [
        "plant.toml: defect_codes[0].code: duplicate defect code 'A'",
        "plant.toml: defect_codes[4].code: duplicate defect code 'A'",
        "plant.toml: defect_codes[3].parent: defect code 'D' is 4 levels deep; the tree may have 3",
    ]


@pytest.mark.parametrize("scope, characteristic, message", [
    ('equipment = ["BAG1"]\nline = "L1"', WEIGHT, "say where the check applies"),
    ("", WEIGHT, "say where the check applies"),
    ('equipment = ["BAG1"]', '{ code = "W", name = "Weight" }', "give a lower or an upper limit"),
    ('equipment = ["BAG1"]', '{ code = "W", name = "Weight", lower = 3, upper = 2 }', "lower (3) is above upper (2)"),
    ('equipment = ["BAG1"]', '{ code = "W", name = "Weight", nominal = 5, upper = 2 }', "nominal (5) is outside"),
    ('equipment = ["BAG1"]', '{ code = "W", name = "Weight", upper = 2, samples = 11 }', "less than or equal to 10"),
    ('equipment = ["BAG1"]', '{ code = "W", name = "W", upper = 2 }, { code = "W", name = "V", upper = 1 }',
     "characteristic code 'W' is used twice"),
])
def test_a_template_that_makes_no_sense_is_refused(scope, characteristic, message):
    [line] = problems(PLANT + template(scope, characteristic))
    assert line.startswith("plant.toml: quality_checks[0]") and message in line
