"""Job: poll every machine's PLC (or simulator) and store what changed."""

from __future__ import annotations

import logging
from datetime import timedelta

from core.plant.equipment import fault_catalog, site_calendar
from core.polling import read_targets, store_readings
from core.shift_calendar import not_scheduled
from jobs.context import JobContext

log = logging.getLogger(__name__)


def poll_plcs(context: JobContext) -> None:
    now = context.clock()
    targets = context.poll_targets()
    if not targets:
        return
    calendar = site_calendar(context.db)
    planned_now = bool(calendar and not_scheduled(list(calendar.shifts), calendar.zone, now,
                                                  now + timedelta(seconds=1)))
    readings = read_targets(targets, fault_catalog(context.db), planned_now)
    summary = store_readings(context.db, readings, now, source="sim")
    log.debug("polled %d machines: %s", len(targets), summary)
