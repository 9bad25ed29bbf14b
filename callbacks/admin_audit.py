"""Callbacks of the audit log page: filter options, and one filtered page of entries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from dash import Input, Output, ctx

from core import audit
from core.audit import AuditFilter, AuditPage
from pages.ids import Audit as ids

PERMISSION = "audit.view"
PAGE_SIZE = 50


def audit_rows(page: AuditPage) -> list[dict]:
    return [
        {"at": r.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": r.actor, "action": r.action, "target": r.target,
         "detail": r.detail, "address": r.address}
        for r in page.records
    ]


def summary(page: AuditPage) -> str:
    if page.total == 0:
        return "No entries match."
    first = (page.page - 1) * page.page_size + 1
    last = first + len(page.records) - 1
    return f"Entries {first}-{last} of {page.total}, newest first"


def _day_start(value: str | None, days_after: int = 0) -> datetime | None:
    if not value:
        return None
    day = date.fromisoformat(value[:10]) + timedelta(days=days_after)
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def register(guard, services) -> None:
    db = services.db

    @guard.callback(
        Output(ids.ACTOR, "options"), Output(ids.ACTION, "options"), Input(ids.GRID, "id"), permission=PERMISSION
    )
    def load_filter_options(_grid_id):
        return audit.known_actors(db), audit.known_actions(db)

    @guard.callback(
        Output(ids.GRID, "rowData"),
        Output(ids.PAGER, "max_value"),
        Output(ids.PAGER, "active_page"),
        Output(ids.SUMMARY, "children"),
        Input(ids.ACTOR, "value"),
        Input(ids.ACTION, "value"),
        Input(ids.DATES, "start_date"),
        Input(ids.DATES, "end_date"),
        Input(ids.TEXT, "value"),
        Input(ids.PAGER, "active_page"),
        permission=PERMISSION,
    )
    def show_entries(actor, action, start_date, end_date, text, active_page):
        # A new filter starts again at the first page.
        page_number = (active_page or 1) if ctx.triggered_id == ids.PAGER else 1
        wanted = AuditFilter(actor=actor, action=action, since=_day_start(start_date),
                             until=_day_start(end_date, days_after=1), text=(text or "").strip() or None)
        page = audit.find_entries(db, wanted, page=page_number, page_size=PAGE_SIZE)
        return audit_rows(page), page.page_count, page.page, summary(page)
