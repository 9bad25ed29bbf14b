"""Job: keep one scanner worker per PLC connection of the plant as stored (started, replaced or stopped)."""

from __future__ import annotations

from jobs.context import JobContext


def scan_plcs(context: JobContext) -> None:
    view = context.plant_view()
    context.scanner(view).reconcile(view)
