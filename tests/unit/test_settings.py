import pytest

from core.settings import ConfigError, load_settings


def test_defaults_put_a_sqlite_file_and_a_generated_key_in_the_instance_folder(tmp_path):
    settings = load_settings({}, home=tmp_path / "inst")
    assert settings.database_url == f"sqlite:///{tmp_path / 'inst' / 'floorboard.db'}"
    assert len(settings.secret_key) >= 32
    key_file = tmp_path / "inst" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_settings({}, home=tmp_path / "inst").secret_key == settings.secret_key  # kept, not regenerated
    assert load_settings({}, home=tmp_path / "other").secret_key != settings.secret_key
    assert settings.https is False


def test_environment_overrides(tmp_path):
    settings = load_settings(
        {"FLOORBOARD_HOME": str(tmp_path), "FLOORBOARD_DATABASE_URL": "mysql+pymysql://u:p@db/floor",
         "FLOORBOARD_SECRET_KEY": "k" * 40, "FLOORBOARD_HTTPS": "true", "FLOORBOARD_SESSION_HOURS": "8.5"}
    )
    assert settings.home == tmp_path
    assert settings.database_url == "mysql+pymysql://u:p@db/floor"
    assert settings.secret_key == "k" * 40
    assert settings.https is True and settings.session_hours == 8.5
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("FLOORBOARD_DATABASE_URL", "not a url", "FLOORBOARD_DATABASE_URL: not a database URL"),
        ("FLOORBOARD_DATABASE_URL", "oracle://x/y", "FLOORBOARD_DATABASE_URL: unsupported database 'oracle'"),
        ("FLOORBOARD_HTTPS", "maybe", "FLOORBOARD_HTTPS: expected true or false"),
        ("FLOORBOARD_SESSION_HOURS", "-1", "FLOORBOARD_SESSION_HOURS: expected a positive number"),
    ],
)
def test_malformed_settings_name_the_variable(tmp_path, variable, value, message):
    with pytest.raises(ConfigError) as error:
        load_settings({variable: value}, home=tmp_path)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_an_instance_folder_that_cannot_be_made_names_the_variable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="^FLOORBOARD_HOME: cannot create"):
        load_settings({"FLOORBOARD_HOME": str(blocker / "sub")})
