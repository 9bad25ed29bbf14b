"""Job: open a preventive maintenance order for every plan that fell due (calendar, run hours or cycles) and
has none open."""

from __future__ import annotations

import logging

from core.maintenance.preventive_orders import create_due_preventive_orders
from jobs.context import JobContext

log = logging.getLogger(__name__)


def open_due_preventive_orders(context: JobContext) -> None:
    made = create_due_preventive_orders(context.db, context.clock())
    if made:
        log.info("preventive maintenance: opened orders %s", ", ".join(map(str, made)))
