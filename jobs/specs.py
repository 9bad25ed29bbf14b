"""The list of background jobs: what runs, how often, and how a late run is treated.

misfire_grace_time and coalesce are chosen per job on purpose:
- scan_plcs every 5 s, coalesce=True and a 10 s grace: it only matches the
  scanner's workers (one thread per PLC, reading at the PLC's own rate) to the
  plant as stored, so one late run does what every missed one would have.
- roll_up_oee every minute, coalesce=True and a 5 minute grace: a run recomputes
  everything written since the last one, so one run after a pause replaces all
  the missed ones.
- escalate_andon_calls every 30 s, coalesce=True and a 60 s grace: what is due
  is computed from the calls and the notices already stored, so one run after a
  pause sends every level that fell due meanwhile, once.
- make_scheduled_reports every minute, coalesce=True and a 5 minute grace: each
  schedule's due slot is computed from report_runs, so one run after a pause
  makes the latest missed slot of each schedule, once (never one per missed slot).
- prune_tag_trends every hour, coalesce=True and a one-hour grace: it deletes
  whatever is past its retention, so one run catches up any number of missed ones.
- prune_old_report_files every hour, the same: it removes every report file past its retention.
- sync_sources every 5 s, coalesce=True and a 30 s grace: each source keeps its own interval (`every_s`,
  timed from its last run as stored), so the tick only looks for what is due or asked for on the admin page;
  a run picks up from the stored watermark, so one late tick does what every missed one would have.
- open_due_preventive_orders every 5 minutes, coalesce=True and a 10 minute grace: due plans are computed from
  the machine's data and the orders already stored (one open order per plan), so one run after a pause opens
  each order that fell due meanwhile, once.
- retrain_models every 15 minutes, coalesce=True and a 15 minute grace: APScheduler runs jobs at intervals here,
  so the nightly retraining (02:30 site time) is a tick that asks the store whether tonight's training of each
  model is still to do (core.ml.schedule); a run after a pause trains once, never once per missed tick.
- score_predictions every 5 minutes, coalesce=True and a 10 minute grace: what is due (a version not scored for
  an hour, outcomes whose horizon passed, an hour-old drift check, minutes not scanned for anomalies) is read
  from the store, so one run after a pause does it all once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from jobs.context import JobContext
from jobs.andon_escalation import escalate_andon_calls
from jobs.oee_rollups import roll_up_oee
from jobs.plc_scanning import scan_plcs
from jobs.ml_retraining import retrain_models
from jobs.ml_scoring import score_predictions
from jobs.preventive_maintenance import open_due_preventive_orders
from jobs.report_retention import prune_old_report_files
from jobs.scheduled_reports import make_scheduled_reports
from jobs.source_sync import sync_sources
from jobs.trend_retention import prune_tag_trends


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[[JobContext], None]
    seconds: float
    misfire_grace_time: int
    coalesce: bool


JOB_SPECS: tuple[JobSpec, ...] = (
    JobSpec("scan_plcs", scan_plcs, seconds=5, misfire_grace_time=10, coalesce=True),
    JobSpec("roll_up_oee", roll_up_oee, seconds=60, misfire_grace_time=300, coalesce=True),
    JobSpec("escalate_andon_calls", escalate_andon_calls, seconds=30, misfire_grace_time=60, coalesce=True),
    JobSpec("make_scheduled_reports", make_scheduled_reports, seconds=60, misfire_grace_time=300, coalesce=True),
    JobSpec("prune_tag_trends", prune_tag_trends, seconds=3600, misfire_grace_time=3600, coalesce=True),
    JobSpec("sync_sources", sync_sources, seconds=5, misfire_grace_time=30, coalesce=True),
    JobSpec("prune_old_report_files", prune_old_report_files, seconds=3600, misfire_grace_time=3600, coalesce=True),
    JobSpec("open_due_preventive_orders", open_due_preventive_orders, seconds=300, misfire_grace_time=600,
            coalesce=True),
    JobSpec("retrain_models", retrain_models, seconds=900, misfire_grace_time=900, coalesce=True),
    JobSpec("score_predictions", score_predictions, seconds=300, misfire_grace_time=600, coalesce=True),
)
