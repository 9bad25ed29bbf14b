"""The single scheduler process (`floorboard jobs`), or the same jobs in a thread for `floorboard demo`.

Every scheduler renews a lease row in the database every few seconds; a job
runs only in the process that holds the lease. A second scheduler stands by
and takes over once the first one's lease has expired.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import uuid
from datetime import timedelta
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from core.scheduler_lease import acquire_lease, release_lease
from jobs.context import JobContext
from jobs.specs import JOB_SPECS, JobSpec

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(seconds=15)
LEASE_RENEW_SECONDS = 5
# A job starts only while the lease has at least this long to run, so a holder
# that cannot renew stops before its lease can pass to another process.
LEASE_MARGIN = timedelta(seconds=5)


class Lease:
    """This process's view of the jobs lease; how long it is still held is timed on the local monotonic clock."""

    def __init__(self, context: JobContext, holder: str | None = None):
        self.context = context
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held_until: float | None = None
        # True from the first renewal we win until one that another holder wins. A renewal that fails because
        # the database is away leaves it as it was: PLCs are still read (into the spool) during the outage.
        self.ours = False
        self.on_taken: Callable[[], None] = lambda: None  # set by build_scheduler: run the jobs at once

    def renew(self) -> None:
        asked = time.monotonic()
        try:
            held = acquire_lease(self.context.db, self.holder, LEASE_TTL)
        except Exception:  # the database is away: keep what we had until it runs out
            log.exception("could not renew the jobs lease")
            return
        if held and self.held_until is None:
            log.info("jobs lease taken by %s: running the jobs", self.holder)
        elif not held and self.held_until is not None:
            log.warning("jobs lease lost by %s: standing by", self.holder)
        elif not held:
            log.info("another scheduler holds the jobs lease: %s stands by", self.holder)
        taken = held and self.held_until is None
        self.held_until = asked + LEASE_TTL.total_seconds() if held else None
        self.ours = held
        if taken:
            self.on_taken()

    def held(self) -> bool:
        return self.held_until is not None and time.monotonic() < self.held_until - LEASE_MARGIN.total_seconds()

    def release(self) -> None:
        if self.held_until is not None:
            release_lease(self.context.db, self.holder)
            self.held_until = None


def _run_if_leased(spec: JobSpec, context: JobContext, lease: Lease) -> None:
    if not lease.held():
        return
    try:
        spec.func(context)
        log.debug("ran %s", spec.name)
    except Exception:
        log.exception("job %s failed", spec.name)


def build_scheduler(context: JobContext, lease: Lease, blocking: bool) -> BaseScheduler:
    context.lease_held = lambda: lease.ours
    scheduler = BlockingScheduler() if blocking else BackgroundScheduler(daemon=True)
    scheduler.add_job(lease.renew, "interval", seconds=LEASE_RENEW_SECONDS, id="renew_lease", coalesce=True,
                      misfire_grace_time=LEASE_RENEW_SECONDS, max_instances=1, next_run_time=context.clock())
    for spec in JOB_SPECS:
        scheduler.add_job(_run_if_leased, "interval", args=(spec, context, lease), seconds=spec.seconds, id=spec.name,
                          coalesce=spec.coalesce, misfire_grace_time=spec.misfire_grace_time, max_instances=1,
                          next_run_time=context.clock())  # at once: the lease was taken just before

    def run_jobs_now() -> None:  # a standby that takes the lease over starts reading the PLCs without waiting
        for spec in JOB_SPECS:
            scheduler.modify_job(spec.name, next_run_time=context.clock())

    lease.on_taken = run_jobs_now
    return scheduler


def run_jobs_process(context: JobContext) -> None:
    """Run the jobs until stopped (Ctrl-C or SIGTERM), giving the lease up on the way out."""
    lease = Lease(context)
    lease.renew()
    scheduler = build_scheduler(context, lease, blocking=True)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        context.close()
        lease.release()


def start_jobs_thread(context: JobContext) -> BackgroundScheduler:
    lease = Lease(context)
    lease.renew()
    scheduler = build_scheduler(context, lease, blocking=False)
    scheduler.start()
    return scheduler
