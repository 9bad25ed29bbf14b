"""`floorboard sync`: inspect, run and retry the `[[sources]]` databases by hand (core.sync does the work)."""

from __future__ import annotations

import re

import click
from sqlalchemy.exc import SQLAlchemyError

from core.persistence.database import make_session_factory
from core.plant.equipment import machines
from core.settings import load_settings
from core.sync.quarantine_retry import retry_quarantined
from core.sync.source_connection import SourceEngines, SourceUnavailable
from core.sync.source_inspect import InspectionProblem, inspect_source, inspection_text, propose_source_block
from core.sync.source_plan import SyncError, source_settings
from core.sync.source_sync import sync_source
from dashapp.cli import _cli_actor, _require_ready_database, main, one_line_errors


@main.group()
def sync() -> None:
    """Machine data from other databases ([[sources]] in the plant file): inspect, run, retry."""


@sync.command("inspect")
@click.argument("source")
@click.option("--url-env", default=None, help="the variable holding the database URL "
              "[default: the source's url_env, or SOURCE_DATABASE_URL in capitals]")
@click.option("--table", default=None, help="the job-log table, when the guess is wrong")
@one_line_errors
def sync_inspect(source: str, url_env: str | None, table: str | None) -> None:
    """List SOURCE's tables and columns and print a proposed [[sources]] block for the plant file.

    SOURCE is a source of the plant file, or the name a new one is to have."""
    db = make_session_factory(_require_ready_database(load_settings()))
    try:
        _, settings = source_settings(db, source)
        url_env, table = url_env or settings.url_env, table or settings.table
    except SyncError:  # not in the plant file yet: what a first inspection is for
        url_env = url_env or f"{re.sub(r'[^A-Za-z0-9]', '_', source).upper()}_DATABASE_URL"
    engines = SourceEngines()
    try:
        inspection = inspect_source(engines.engine_for(url_env), table)
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise click.ClickException(f"{url_env}: cannot read the source: {reason}") from exc
    except (SourceUnavailable, InspectionProblem) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engines.dispose()
    click.echo(inspection_text(inspection))
    click.echo("\n# Proposed block for the plant file: check every line, then `floorboard plant load`\n")
    click.echo(propose_source_block(inspection, source, url_env, table, {m.code for m in machines(db)}))


@sync.command("run")
@click.argument("source")
@one_line_errors
def sync_run(source: str) -> None:
    """Sync SOURCE now: new and changed rows since its watermark, as the jobs process does."""
    report = _sync_by_hand(source, sync_source)
    click.echo(report.summary())
    if report.lag_rows:
        click.echo(f"{source}: {report.lag_rows} source rows arrived meanwhile; the next run takes them")


@sync.command("retry")
@click.argument("source")
@one_line_errors
def sync_retry(source: str) -> None:
    """Read SOURCE's quarantined rows again (after fixing its mapping) and take those that pass now."""
    report = _sync_by_hand(source, retry_quarantined)
    click.echo(f"{source}: {report.taken_from_quarantine} rows taken from the quarantine, "
               f"{report.refused} still there" + (f"; failed: {report.error}" if report.error else ""))


def _sync_by_hand(source: str, run):
    db = make_session_factory(_require_ready_database(load_settings()))
    engines = SourceEngines()
    try:
        report = run(db, source, engines, actor=_cli_actor())
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engines.dispose()
    if report.error:
        raise click.ClickException(report.summary())
    return report
