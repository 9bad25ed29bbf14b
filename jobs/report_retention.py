"""Job: remove stored report files past their retention (core.reports.report_retention.REPORT_FILE_DAYS)."""

from __future__ import annotations

import logging

from core.reports.report_retention import prune_report_files
from jobs.context import JobContext

log = logging.getLogger(__name__)


def prune_old_report_files(context: JobContext) -> None:
    pruned = prune_report_files(context.db, context.home, context.clock())
    log.debug("report files pruned: %d", pruned)
