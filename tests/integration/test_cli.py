"""The `floorboard` command, run in-process with click's runner against a temporary instance."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.accounts import list_users
from core.persistence.database import make_engine, make_session_factory
from dashapp.cli import main
from tests.conftest import EXAMPLE_PLANT as EXAMPLE_PLANT_FILE


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOORBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FLOORBOARD_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), input=input)

    return invoke


def users_in(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'floorboard.db'}")
    users = [(u.username, u.role) for u in list_users(make_session_factory(engine))]
    engine.dispose()
    return users


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("floorboard, version ")


def test_init_twice_keeps_users(run, tmp_path):
    assert run("init").exit_code == 0
    assert run("user", "add", "anna", "--role", "engineer", "--password", "Line-two-Press-4").exit_code == 0
    again = run("init")
    assert again.exit_code == 0 and "Database ready" in again.output
    assert users_in(tmp_path) == [("anna", "engineer")]


def test_user_add_asks_for_the_password_when_not_given(run, tmp_path):
    run("init")
    result = run("user", "add", "ben", "--role", "operator", input="short\nshort\nPress-four-Cycle-1\nPress-four-Cycle-1\n")
    assert result.exit_code == 0, result.output
    assert "Not accepted: password too short" in result.output
    assert users_in(tmp_path) == [("ben", "operator")]


@pytest.mark.parametrize(
    "args, message",
    [
        (("user", "add", "cid", "--role", "chef", "--password", "Line-one-Cid-88"), "Error: unknown role 'chef'"),
        (("user", "add", "cid", "--role", "viewer", "--password", "weak"), "Error: password too short"),
    ],
)
def test_errors_are_one_line_and_a_non_zero_exit(run, args, message):
    run("init")
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.strip().startswith(message) and len(result.output.strip().splitlines()) == 1


def test_duplicate_user_is_one_clear_line(run):
    run("init")
    run("user", "add", "dana", "--role", "quality", "--password", "Press-four-Cycle-2")
    result = run("user", "add", "dana", "--role", "quality", "--password", "Press-four-Cycle-2")
    assert result.exit_code == 1 and result.output.strip() == "Error: user 'dana' already exists"


def test_passwd_changes_the_password(run, tmp_path):
    run("init")
    run("user", "add", "eve", "--role", "viewer", "--password", "Press-four-Cycle-3")
    result = run("user", "passwd", "eve", input="Press-four-Cycle-4\nPress-four-Cycle-4\n")
    assert result.exit_code == 0 and "Password of eve changed." in result.output
    assert run("user", "passwd", "nobody", input="Press-four-Cycle-4\nPress-four-Cycle-4\n").exit_code == 1


def test_commands_on_an_uninitialised_database_say_to_run_init(run):
    result = run("user", "add", "fay", "--role", "viewer", "--password", "Line-one-Fay-88")
    assert result.exit_code == 1 and "run `floorboard init`" in result.output


@pytest.mark.parametrize(
    "url, message",
    [
        ("nonsense", "Error: FLOORBOARD_DATABASE_URL: not a database URL"),
        ("mysql+pymysql://root@127.0.0.1:9/x", "Error: FLOORBOARD_DATABASE_URL: cannot reach the database"),
    ],
)
def test_a_bad_database_url_is_one_line_naming_the_variable(run, monkeypatch, url, message):
    monkeypatch.setenv("FLOORBOARD_DATABASE_URL", url)
    result = run("init")
    assert result.exit_code == 1
    assert result.output.startswith(message) and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_plant_load_dump_and_a_bad_file(run, tmp_path):
    from tests.conftest import EXAMPLE_PLANT

    run("init")
    first = run("plant", "load", EXAMPLE_PLANT)
    assert first.exit_code == 0 and "created 1 site, 3 shifts, 2 lines, 8 equipment" in first.output
    assert run("plant", "load", EXAMPLE_PLANT).output.strip().endswith("no changes")
    dumped = run("plant", "dump")
    assert dumped.exit_code == 0 and dumped.output.startswith("[site]")
    (tmp_path / "dumped.toml").write_text(dumped.output)
    assert run("plant", "load", str(tmp_path / "dumped.toml")).output.strip().endswith("no changes")
    bad = tmp_path / "bad.toml"
    bad.write_text('[site]\nname = "X"\ntimezone = "Mars/Base"\n[[lines]]\ncode = "L1"\n')
    result = run("plant", "load", str(bad))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"Error: {bad}: site.timezone: unknown timezone 'Mars/Base'" in lines[0]
    assert any(line.startswith(f"Error: {bad}: lines[0].name: missing") for line in lines)
    assert "Traceback" not in result.output
    assert run("plant", "dump").output == dumped.output  # the bad file changed nothing


def test_plant_load_refuses_a_cron_that_never_fires_as_written(run, tmp_path):
    from tests.conftest import EXAMPLE_PLANT

    run("init")
    bad = tmp_path / "bad_cron.toml"
    bad.write_text(Path(EXAMPLE_PLANT).read_text() + '\n[[reports]]\nname = "Late"\ntype = "daily"\n'
                   'cron = "0 25 * * *"\nrecipients = ["admin"]\n')
    result = run("plant", "load", str(bad))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cron: cron '0 25 * * *': Bad hour (minute 0-59, hour 0-23" in result.output
    assert run("plant", "dump").exit_code == 1  # nothing was loaded


def test_plant_dump_before_any_load_says_so(run):
    run("init")
    result = run("plant", "dump")
    assert result.exit_code == 1 and "no plant loaded yet" in result.output


def test_apikey_create_prints_the_key_alone_on_the_last_line(run, tmp_path):
    from core.api_keys import authenticate_api_key

    run("init")
    result = run("apikey", "create", "line1-gateway")
    assert result.exit_code == 0
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("fb_") and " " not in key
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'floorboard.db'}")
    db = make_session_factory(engine)
    assert authenticate_api_key(db, key) == "line1-gateway"
    listed = run("apikey", "list")
    assert "line1-gateway" in listed.output and key not in listed.output
    assert run("apikey", "create", "line1-gateway").exit_code == 1
    assert run("apikey", "revoke", "line1-gateway").exit_code == 0
    assert authenticate_api_key(db, key) is None
    assert run("apikey", "revoke", "nope").output.strip() == "Error: no API key named 'nope'"
    engine.dispose()


def test_report_build_writes_the_format_its_extension_names(run, tmp_path):
    run("init")
    assert run("plant", "load", str(EXAMPLE_PLANT_FILE)).exit_code == 0
    for name in ("shift.pdf", "shift.xlsx", "shift.csv"):
        result = run("report", "build", "shift", "--line", "L1", "--date", "2026-03-02", "--shift", "Early",
                     "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert "Shift report, line L1, Early shift of Mon 02 Mar 2026" in result.output
    assert (tmp_path / "shift.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "shift.xlsx").read_bytes().startswith(b"PK")
    assert (tmp_path / "shift.csv").read_text().startswith("# About")
    daily = run("report", "build", "daily", "--date", "2026-03-02", "--to", "2026-03-03", "--out", str(tmp_path / "d.pdf"))
    assert daily.exit_code == 0 and "Mon 02 Mar 2026 to Tue 03 Mar 2026" in daily.output
    custom = run("report", "build", "custom", "--date", "2026-03-02", "--to", "2026-03-03", "--lines", "L1,L2",
                 "--sections", "oee,losses,pareto", "--out", str(tmp_path / "c.xlsx"))
    assert custom.exit_code == 0, custom.output
    assert "Custom report, lines L1, L2, Mon 02 Mar 2026 to Tue 03 Mar 2026" in custom.output


@pytest.mark.parametrize("args, message", [
    (("shift", "--line", "L9", "--date", "2026-03-02", "--shift", "Early", "--out", "r.pdf"),
     "Error: unknown line 'L9' (lines: L1, L2)"),
    (("shift", "--line", "L1", "--date", "2026-03-02", "--out", "r.pdf"),
     "Error: a shift report needs --shift NAME (shifts: Early, Late, Night)"),
    (("daily", "--date", "2026-03-02", "--to", "2026-03-01", "--out", "r.pdf"),
     "Error: --to 2026-03-01 is before --date 2026-03-02"),
    (("daily", "--date", "2026-03-02", "--out", "r.docx"),
     "Error: cannot write 'r.docx': the file must end in .pdf, .xlsx, .csv"),
    (("daily", "--date", "2026-02-30", "--out", "r.pdf"), "Error: Invalid value for '--date'"),
    (("custom", "--date", "2026-03-02", "--sections", "oee,gossip", "--out", "r.pdf"),
     "Error: unknown section 'gossip' (sections: oee, lines, output,"),
    (("custom", "--date", "2026-03-02", "--lines", "L1,L7", "--sections", "oee", "--out", "r.pdf"),
     "Error: unknown line 'L7' (lines: L1, L2)"),
    (("custom", "--date", "2026-03-02", "--out", "r.pdf"), "Error: a custom report needs --sections"),
    (("daily", "--date", "2026-03-02", "--out", "missing/r.pdf"), "Error: cannot write "),
])
def test_report_build_refuses_bad_arguments_in_one_line(run, tmp_path, args, message):
    run("init")
    run("plant", "load", str(EXAMPLE_PLANT_FILE))
    result = run("report", "build", *args[:-1], str(tmp_path / args[-1]))
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith(message.replace("r.pdf", str(tmp_path / "r.pdf"))), result.output
    if not message.startswith("Error: Invalid value"):  # click's own usage errors add the usage above
        assert len(lines) == 1
    assert not (tmp_path / args[-1]).exists()
