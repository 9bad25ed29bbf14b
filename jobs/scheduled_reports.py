"""Job: build the reports that schedules are due for, then email the built ones (retrying failed sends).

With the database away the tick stops where it is and leaves the slot un-made: the next tick makes it, once
(the newest slot made is read from report_runs, unique per schedule and slot)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import InterfaceError, OperationalError

from core.reports.report_delivery import deliver_due_runs
from core.reports.scheduled_reports import make_due_reports
from jobs.context import JobContext

log = logging.getLogger(__name__)


def make_scheduled_reports(context: JobContext) -> None:
    now = context.clock()
    try:
        made = make_due_reports(context.db, context.home, now, keep_going=context.lease_held)
        summary = deliver_due_runs(context.db, context.home, context.mailer, now, keep_going=context.lease_held)
    except (OperationalError, InterfaceError) as exc:
        log.warning("scheduled reports: the database is unavailable, trying again next tick: %s", exc.orig)
        return
    log.debug("scheduled reports: %d made, %s", len(made), summary)
