"""Job: store the andon escalation notices now due, then deliver the email and webhook ones among them
(retrying failed ones)."""

from __future__ import annotations

import logging

from core.andon_delivery import send_due_notices
from core.andon_notices import email_channel, plan_notices, webhook_channel
from jobs.context import JobContext

log = logging.getLogger(__name__)


def escalate_andon_calls(context: JobContext) -> None:
    now = context.clock()
    planned = plan_notices(context.db, now)
    channels = (email_channel(context.mailer), webhook_channel(context.webhook_poster))
    summary = send_due_notices(context.db, channels, now, keep_going=context.lease_held)
    log.debug("andon escalation: %d notices planned, %s", planned, summary)
