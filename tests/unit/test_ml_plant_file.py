"""The plant file's [ml]: defaults when left out, read and dumped back the same, bad values refused in words."""

import pytest

from core.plant.config_file import PlantFileError, dump_plant_toml, parse_plant_toml
from core.plant.config_ml import MlSettings

SITE = '[site]\nname = "Test"\n'


def test_left_out_it_is_the_defaults():
    assert parse_plant_toml(SITE).ml == MlSettings(stop_minutes=10, horizon_hours=4, top_k=3, retrain_psi=0.25)


def test_given_it_is_read_and_dumped_back_the_same():
    config = parse_plant_toml(SITE + "[ml]\nstop_minutes = 15\nhorizon_hours = 8\ntop_k = 5\nretrain_psi = 0.2\n")
    assert config.ml == MlSettings(stop_minutes=15, horizon_hours=8, top_k=5, retrain_psi=0.2)
    text = dump_plant_toml(config)
    assert "[ml]" in text
    assert parse_plant_toml(text) == config


def test_a_partial_section_keeps_the_other_defaults():
    assert parse_plant_toml(SITE + "[ml]\nhorizon_hours = 2\n").ml == MlSettings(horizon_hours=2)


@pytest.mark.parametrize("line, problem", [
    ("stop_minutes = 0", "ml.stop_minutes: Input should be greater than 0"),
    ("horizon_hours = -1", "ml.horizon_hours: Input should be greater than 0"),
    ("horizon_hours = 200", "ml.horizon_hours: Input should be less than or equal to 168"),
    ("top_k = 0", "ml.top_k: Input should be greater than or equal to 1"),
    ("top_k = 2.5", "ml.top_k: Input should be a valid integer"),
    ("retrain_psi = nan", "ml.retrain_psi: Input should be a finite number"),
    ("retrain_psi = \"high\"", "ml.retrain_psi: Input should be a valid number"),
    ("horizon = 4", "ml.horizon: unknown key"),
])
def test_a_bad_value_is_refused_with_the_key_at_fault(line, problem):
    with pytest.raises(PlantFileError) as refused:
        parse_plant_toml(SITE + "[ml]\n" + line + "\n")
    assert any(text.startswith(f"plant.toml: {problem}") for text in refused.value.lines), refused.value.lines
