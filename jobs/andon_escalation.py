"""Job: store the andon escalation notices now due, then send the emails among them (retrying failed ones)."""

from __future__ import annotations

import logging

from core.andon_notices import plan_notices, send_due_email
from jobs.context import JobContext

log = logging.getLogger(__name__)


def escalate_andon_calls(context: JobContext) -> None:
    now = context.clock()
    planned = plan_notices(context.db, now)
    summary = send_due_email(context.db, context.mailer, now, keep_going=context.lease_held)
    log.debug("andon escalation: %d notices planned, %s", planned, summary)
