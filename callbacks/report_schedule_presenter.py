"""The report schedules admin page's tables: schedules and their last runs as grid rows (times in the site's
timezone, as cron is read), the columns with the plant's lines to choose from, and grid rows back to schedules."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.plant.config_schema import REPORT_TYPES
from core.reports.report_runs import RunState
from core.reports.schedule_settings import Schedule
from core.reports.section_catalog import SECTIONS


def schedule_columns(line_codes: list[str], timezone: str) -> list[dict]:
    return [
        {"field": "name", "headerName": "Name", "flex": 2, "editable": True},
        {"field": "type", "headerName": "Report", "width": 110, "editable": True,
         "cellEditor": "agSelectCellEditor", "cellEditorParams": {"values": list(REPORT_TYPES)}},
        {"field": "line", "headerName": "Line (blank: plant)", "width": 150, "editable": True,
         "cellEditor": "agSelectCellEditor", "cellEditorParams": {"values": ["", *line_codes]}},
        # A custom report's sections and lines, comma-separated; the header tooltip lists the section keys.
        {"field": "sections", "headerName": "Sections (custom)", "flex": 2, "editable": True,
         "tooltipField": "sections", "headerTooltip": "Custom reports only: " + ", ".join(SECTIONS)},
        {"field": "lines", "headerName": "Lines (custom; blank: plant)", "width": 150, "editable": True,
         "tooltipField": "lines", "headerTooltip": "Custom reports only: " + ", ".join(line_codes)},
        {"field": "cron", "headerName": f"Cron ({timezone})", "flex": 2, "editable": True},
        {"field": "recipients", "headerName": "Recipients (roles, users, emails)", "flex": 3, "editable": True,
         "tooltipField": "recipients"},
        # Wrapped, not cut: a failing schedule's error is what the admin came to read.
        {"field": "last_run", "headerName": "Last run", "flex": 3, "wrapText": True, "autoHeight": True,
         "cellStyle": {"lineHeight": "1.4", "paddingTop": "6px", "paddingBottom": "6px", "display": "flex",
                       "alignItems": "center"},
         "cellClassRules": {"text-danger fw-bold": "params.data.last_status == 'failed'",
                            "text-warning-emphasis fw-bold": "params.data.last_status == 'retrying'"}},
    ]


def schedule_rows(schedules: list[Schedule], last: dict[str, RunState], zone: ZoneInfo) -> list[dict]:
    rows = []
    for schedule in schedules:
        run = last.get(schedule["name"])
        rows.append({"key": schedule["name"], "name": schedule["name"], "type": schedule["type"],
                     "line": schedule["line"] or "", "sections": ", ".join(schedule["sections"] or []),
                     "lines": ", ".join(schedule["lines"] or []), "cron": schedule["cron"],
                     "recipients": ", ".join(schedule["recipients"]), "last_run": last_run_text(run, zone),
                     "last_status": run.status if run else "", "last_error": (run.error or "") if run else ""})
    return rows


def last_run_text(run: RunState | None, zone: ZoneInfo) -> str:
    if run is None:
        return "not run yet"
    parts = [f"{run.status} {_local(run.finished_at or run.created_at, zone)}"]
    if run.size_bytes:
        parts.append(size_text(run.size_bytes))
    if run.attempts > 1 or run.status in ("retrying", "failed"):
        parts.append(f"{run.attempts} tries")
    if run.next_attempt_at and run.status == "retrying":
        parts.append(f"next {_local(run.next_attempt_at, zone)}")
    if run.error:
        parts.append(run.error)
    return " · ".join(parts)


def run_rows(runs: list[RunState], zone: ZoneInfo) -> list[dict]:
    return [{"due": _local(run.due_at or run.created_at, zone), "status": run.status,
             "schedule": f"{run.schedule_name} ({run.kind}{', ' + run.line_code if run.line_code else ''})",
             "window": window_text(run.window_start, run.window_end, zone),
             "attempts": run.attempts, "size": size_text(run.size_bytes),
             "next": _local(run.next_attempt_at, zone) if run.next_attempt_at and run.status == "retrying" else "",
             "recipients": ", ".join(run.recipients), "error": run.error or ""} for run in runs]


def window_text(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """Whole local days as dates ("2026-03-01", "2026-02-23 to 2026-03-01"), a shift as its times."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.time() == end.time() == time(0):
        last = (end - timedelta(days=1)).date()
        return f"{start:%Y-%m-%d}" if last <= start.date() else f"{start:%Y-%m-%d} to {last:%Y-%m-%d}"
    return f"{start:%Y-%m-%d %H:%M} to {end:%H:%M}" if end - start < timedelta(days=1) else \
        f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"


def schedules_from_rows(rows: list[dict]) -> list[dict]:
    """Grid rows -> schedules as typed; the checking is core's (every problem is listed there)."""
    return [{"name": str(row.get("name") or ""), "type": row.get("type") or "", "cron": str(row.get("cron") or ""),
             "line": str(row.get("line") or "").strip() or None, "recipients": _names(row.get("recipients")),
             "sections": _names(row.get("sections")) or None, "lines": _names(row.get("lines")) or None}
            for row in rows]


def size_text(size: int | None) -> str:
    if not size:
        return ""
    return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _names(text) -> list[str]:
    # Roles, user names, addresses, section keys and line codes never hold a comma or a space.
    return [part for part in re.split(r"[,\s]+", str(text or "")) if part]


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else ""
