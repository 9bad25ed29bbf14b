"""Dash callbacks, thin: unpack inputs, call one use case in `core`, present the result.

Every module exposes `register(guard, services)`; callbacks are registered
through the guard (dashapp.callback_guard) with the permission they need.
"""

from callbacks import (
    admin_api_keys, admin_audit, admin_escalation, admin_plc, admin_users, andon_board, andon_panel, board, notifications, home, oee_analysis, plant_overview, plc_connections,
    shell, stop_reason_queue, stops_review, tag_browser,
)
from callbacks import job_board, my_jobs
from callbacks import checklist_compliance, checklists
from callbacks import admin_reports
from callbacks import reports
from callbacks import admin_sources
from callbacks import fault_analysis, fault_stops
from callbacks import trials, trials_actions
from callbacks import money
from callbacks import maintenance, maintenance_order
from callbacks import quality, quality_spc
from callbacks import anomalies
from callbacks import ml_models, risk_board

MODULES = (shell, home, notifications, board, my_jobs, job_board, stop_reason_queue, stops_review, andon_panel, andon_board, plant_overview, oee_analysis, plc_connections, tag_browser, admin_users, admin_audit,
           admin_api_keys, admin_plc, admin_escalation, checklists, checklist_compliance, reports, admin_reports,
           admin_sources)
MODULES += (fault_analysis, fault_stops)
MODULES += (trials, trials_actions)
MODULES += (money,)
MODULES += (maintenance, maintenance_order)
MODULES += (quality, quality_spc)
MODULES += (anomalies,)
MODULES += (risk_board, ml_models)


def register_all(guard, services) -> None:
    for module in MODULES:
        module.register(guard, services)
