"""Job: keep the hourly and per-shift OEE roll-ups up to date (late data recomputes what it touches)."""

from __future__ import annotations

import logging

from core.oee.rollups import refresh_rollups
from jobs.context import JobContext

log = logging.getLogger(__name__)


def roll_up_oee(context: JobContext) -> None:
    summary = refresh_rollups(context.db, context.clock())
    log.debug("OEE roll-ups: %s", summary)
