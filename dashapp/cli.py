"""The `floorboard` command: init, serve, user add/passwd, demo."""

from __future__ import annotations

import functools
import getpass
import logging
import os
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from core.api_keys import ApiKeyError, create_api_key, list_api_keys, revoke_api_key
from core.accounts import AccountError, Actor, change_role, create_user, reset_password
from core.database_setup import prepare_database
from core.demo_users import ensure_demo_users
from core.passwords import WeakPassword, check_strength
from core.permissions import ROLES
from core.persistence.database import DatabaseUnavailable, check_reachable, make_engine, make_session_factory
from core.persistence.schema import is_at_head
from core.plant.config_file import PlantFileError, dump_plant_toml, read_plant_file
from core.plant.config_store import apply_plant_config, read_plant_config
from core.clock import utc_now
from core.plant.equipment import fault_catalog, machines, site_calendar
from core.plc.sim_plant import backfill_history
from core.trials.demo_trials import seed_demo_trials
from core.maintenance.demo_seed import seed_demo_maintenance
from core.quality.demo_data import seed_demo_quality
from core.andon_webhook import webhook_poster_from_environment
from core.mail import FolderMailer, mailer_from_environment
from core.reports.build import build_report
from core.reports.render import renderer_for, write_report
from core.reports.windows import REPORT_TYPES, ReportRequest, ReportRequestError
from jobs.context import JobContext
from jobs.scheduler import run_jobs_process, start_jobs_thread
from core.settings import DATABASE_URL_VAR, HOME_VAR, ConfigError, Settings, load_settings

EXAMPLE_PLANT = Path(__file__).resolve().parent.parent / "examples" / "plant.toml"
CLEAR_ERRORS = (ConfigError, DatabaseUnavailable, AccountError, WeakPassword, ApiKeyError)


def one_line_errors(command):
    """Turn the errors a person can fix into one line and exit code 1, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DatabaseUnavailable as exc:
            raise click.ClickException(f"{DATABASE_URL_VAR}: cannot reach the database {exc}") from exc
        except PlantFileError as exc:
            for line in exc.lines:
                click.echo(f"Error: {line}", err=True)
            raise SystemExit(1) from exc
        except CLEAR_ERRORS as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group()
@click.version_option(version("floorboard"), prog_name="floorboard")
def main() -> None:
    """Floorboard: a real-time factory-floor dashboard."""


@main.command()
@one_line_errors
def init() -> None:
    """Create or upgrade the database to the newest schema (keeps existing data)."""
    settings = load_settings()
    prepare_database(make_engine(settings.database_url))
    click.echo(f"Database ready: {_shown_url(settings)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@one_line_errors
def serve(host: str, port: int) -> None:
    """Run the development web server (use `gunicorn -w 4 wsgi:app` in production)."""
    settings = load_settings()
    _require_ready_database(settings)
    _serve(settings, host, port)


@main.group()
def user() -> None:
    """Manage user accounts."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, help=f"one of: {', '.join(ROLES)}")
@click.option("--password", help="asked for when left out")
@click.option("--display-name", default="", help="full name shown in the app")
@click.option("--email", default=None, help="where andon escalations and reports are sent")
@one_line_errors
def user_add(name: str, role: str, password: str | None, display_name: str, email: str | None) -> None:
    """Create user NAME with ROLE."""
    if role not in ROLES:
        raise click.ClickException(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")
    settings = load_settings()
    db = make_session_factory(_require_ready_database(settings))
    password = password if password is not None else _ask_password(name)
    created = create_user(db, name, role, password, _cli_actor(), display_name=display_name, email=email)
    click.echo(f"Created user {created.username} ({created.role}).")


@user.command("passwd")
@click.argument("name")
@one_line_errors
def user_passwd(name: str) -> None:
    """Set a new password for NAME (ends their open sessions)."""
    settings = load_settings()
    db = make_session_factory(_require_ready_database(settings))
    reset_password(db, name, _ask_password(name), _cli_actor())
    click.echo(f"Password of {name} changed.")


@user.command("role")
@click.argument("name")
@click.argument("role")
@one_line_errors
def user_role(name: str, role: str) -> None:
    """Give NAME another ROLE."""
    settings = load_settings()
    changed = change_role(make_session_factory(_require_ready_database(settings)), name, role, _cli_actor())
    click.echo(f"{changed.username} is now {changed.role}.")


@main.group()
def plant() -> None:
    """Load or dump the plant configuration (TOML)."""


@plant.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@one_line_errors
def plant_load(file: Path) -> None:
    """Create or update the plant from FILE; items left out of it are deactivated."""
    settings = load_settings()
    db = make_session_factory(_require_ready_database(settings))
    changes = apply_plant_config(db, read_plant_file(file), _cli_actor())
    click.echo(f"Plant loaded from {file}: {changes.summary()}")


@plant.command("dump")
@one_line_errors
def plant_dump() -> None:
    """Print the stored plant as TOML."""
    settings = load_settings()
    config = read_plant_config(make_session_factory(_require_ready_database(settings)))
    if config is None:
        raise click.ClickException("no plant loaded yet: run `floorboard plant load FILE`")
    click.echo(dump_plant_toml(config), nl=False)


@main.group()
def apikey() -> None:
    """Manage API keys for devices and other systems."""


@apikey.command("create")
@click.argument("name")
@one_line_errors
def apikey_create(name: str) -> None:
    """Make a key called NAME; the key is printed once, alone on the last line."""
    db = make_session_factory(_require_ready_database(load_settings()))
    key = create_api_key(db, name, _cli_actor())
    click.echo(f"API key {name!r} created. Keep it now: it is stored only as a hash and cannot be shown again.")
    click.echo(key)


@apikey.command("list")
@one_line_errors
def apikey_list() -> None:
    """List the keys (never the keys themselves)."""
    db = make_session_factory(_require_ready_database(load_settings()))
    click.echo(f"{'name':<24}{'starts with':<14}{'created':<18}{'last used':<18}revoked")
    for key in list_api_keys(db):
        click.echo(f"{key.name:<24}{key.prefix:<14}{_when(key.created_at):<18}{_when(key.last_used_at):<18}"
                   f"{_when(key.revoked_at) if key.revoked_at else ''}")


@apikey.command("revoke")
@click.argument("name")
@one_line_errors
def apikey_revoke(name: str) -> None:
    """Revoke the key called NAME: it stops working at once."""
    revoke_api_key(make_session_factory(_require_ready_database(load_settings())), name, _cli_actor())
    click.echo(f"API key {name!r} revoked.")


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


@main.command()
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False))
@one_line_errors
def jobs(log_level: str) -> None:
    """Run the background jobs (PLC polling, ...); one process for the whole plant."""
    _configure_logging(log_level)
    settings = load_settings()
    db = make_session_factory(_require_ready_database(settings))
    click.echo("Floorboard jobs: starting (Ctrl-C to stop)")
    run_jobs_process(JobContext(db=db, clock=utc_now, home=settings.home, mailer=_mailer(),
                                webhook_poster=_webhook_poster()))


@main.command()
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help=f"folder of the demo instance [default: demo/ inside ${HOME_VAR} or ~/.floorboard]")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--days", default=14, show_default=True, type=click.IntRange(0, 120), help="days of history to simulate")
@one_line_errors
def demo(home: Path | None, host: str, port: int, days: int) -> None:
    """Start a demo instance: a simulated plant, one user per role (passwords printed here)."""
    home = home or load_settings().home / "demo"
    # The demo keeps its own SQLite file, whatever FLOORBOARD_DATABASE_URL says.
    environ = {k: v for k, v in os.environ.items() if k != DATABASE_URL_VAR}
    settings = load_settings(environ, home=home)
    engine = make_engine(settings.database_url)
    prepare_database(engine)
    db = make_session_factory(engine)
    credentials = ensure_demo_users(db)
    apply_plant_config(db, read_plant_file(EXAMPLE_PLANT))
    now = utc_now()
    history = backfill_history(db, machines(db), site_calendar(db), fault_catalog(db), now - timedelta(days=days), now)
    click.echo(f"Simulated plant: {history.machines} machines, {history.state_changes} state changes and "
               f"{history.count_rows} count records of history written")
    seed_demo_maintenance(db, now - timedelta(days=days), now)  # plans count from the history's start
    seed_demo_trials(db, now)  # one trial completed over a shift of the history, one running now
    seed_demo_quality(db, now - timedelta(days=days), now)  # checks (a few out of limits) and scrap
    mailer = _mailer() or FolderMailer(settings.home / "outbox", "floorboard@floorboard.test")
    start_jobs_thread(JobContext(db=db, clock=utc_now, home=settings.home, mailer=mailer,
                                 webhook_poster=_webhook_poster()))
    click.echo(f"Floorboard demo in {settings.home}")
    if isinstance(mailer, FolderMailer):
        click.echo(f"Emails (andon escalations, scheduled reports) are written to {mailer.folder}; "
                   "set FLOORBOARD_SMTP_HOST to send them")
    click.echo(f"Open http://{host}:{port}/ and log in as one of these users:\n")
    click.echo(f"  {'user':<22}{'role':<22}password")
    for username, role, password in credentials:
        click.echo(f"  {username:<22}{role:<22}{password}")
    click.echo("")
    _serve(settings, host, port)


@main.group()
def report() -> None:
    """Production reports: shift, daily, weekly, downtime and custom, as PDF, Excel or CSV."""


@report.command("build")
@click.argument("kind", metavar="TYPE", type=click.Choice(REPORT_TYPES))
@click.option("--line", default=None, help="line code (a shift report is about one line)")
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD, local")
@click.option("--shift", default=None, help="shift name, for a shift report")
@click.option("--to", "last_day", default=None, type=click.DateTime(["%Y-%m-%d"]), help="last day, YYYY-MM-DD")
@click.option("--lines", "line_list", default="", help="custom report: line codes, comma-separated (none: plant)")
@click.option("--sections", default="", help="custom report: section keys, comma-separated (oee,losses,pareto,...)")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="the file to write: .pdf, .xlsx or .csv")
@one_line_errors
def report_build(kind: str, line: str | None, day, shift: str | None, last_day, line_list: str, sections: str,
                 out: Path) -> None:
    """Build a report and write it to --out; the file's extension picks the format."""
    try:
        renderer_for(out)
    except ValueError as exc:  # one line, as for every other mistake a person can fix
        raise click.ClickException(str(exc)) from exc
    if not out.resolve().parent.is_dir():
        raise click.ClickException(f"cannot write {out}: the folder {out.resolve().parent} does not exist")
    db = make_session_factory(_require_ready_database(load_settings()))
    request = ReportRequest(kind, day.date(), line, shift, last_day.date() if last_day else None,
                            sections=_comma_list(sections), lines=_comma_list(line_list))
    try:
        built = build_report(db, request, utc_now())
    except ReportRequestError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        size = write_report(built, out)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from exc
    click.echo(f"{built.title}, {built.window_label}: {out} ({size:,} bytes)")


def _comma_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _mailer():
    try:
        return mailer_from_environment(os.environ)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _webhook_poster():
    try:
        return webhook_poster_from_environment(os.environ)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _cli_actor() -> Actor:
    """The audit log names the operating-system account that ran the command."""
    try:
        return Actor(f"cli:{getpass.getuser()}")
    except OSError:
        return Actor("cli")


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _ask_password(username: str) -> str:
    while True:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            check_strength(password, username)
            return password
        except WeakPassword as exc:
            click.echo(f"Not accepted: {exc}", err=True)


def _require_ready_database(settings: Settings):
    engine = make_engine(settings.database_url)
    check_reachable(engine)
    if not is_at_head(engine):
        raise click.ClickException(f"the database {_shown_url(settings)} is not initialised or is behind: "
                                   "run `floorboard init`")
    return engine


def _serve(settings: Settings, host: str, port: int) -> None:
    from dashapp import create_app  # the web stack is only loaded by the commands that serve

    create_app(settings).run(host=host, port=port, debug=False)


def _shown_url(settings: Settings) -> str:
    return make_url(settings.database_url).render_as_string(hide_password=True)


from dashapp import cli_sync  # noqa: E402,F401  (its `sync` group joins `main`)
from dashapp import cli_ml  # noqa: E402,F401  (its `ml` group joins `main`)

if __name__ == "__main__":
    main()
