"""Job: drop tag trend rows older than their retention (raw samples 30 days, minute summaries two years)."""

from __future__ import annotations

import logging

from core.plc.trend_retention import prune_trends
from jobs.context import JobContext

log = logging.getLogger(__name__)


def prune_tag_trends(context: JobContext) -> None:
    summary = prune_trends(context.db, context.clock())
    log.debug("tag trends pruned: %s", summary)
