"""Job: sync each `[[sources]]` database that is due, or whose run or retry was asked for on the admin page.

A source that fails (unreachable, a missing column) records its error on its row and the others go on; with
Floorboard's own database away the tick stops and the next one does what is due then."""

from __future__ import annotations

import logging

from sqlalchemy.exc import InterfaceError, OperationalError

from core.sync.due_sources import sync_due_sources
from jobs.context import JobContext

log = logging.getLogger(__name__)


def sync_sources(context: JobContext) -> None:
    try:
        reports = sync_due_sources(context.db, context.source_engines, context.clock, keep_going=context.lease_held)
    except (OperationalError, InterfaceError) as exc:
        log.warning("source sync: the database is unavailable, trying again next tick: %s", exc.orig)
        return
    for report in reports:
        (log.warning if report.error else log.info)("source sync: %s", report.summary())
