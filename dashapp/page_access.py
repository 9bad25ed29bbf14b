"""Pages declare the permission they need; this module enforces it and builds the navigation from it.

Page layouts hold no data (data comes from guarded callbacks), so the check
here is about telling a person plainly that a page is not theirs.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import dash_bootstrap_components as dbc
from dash import html
from flask import has_request_context, request
from flask_login import current_user

from core import audit
from core.permissions import check_permission
from dashapp.services import current_services

AREAS = ("Floor", "Management", "Engineering", "Quality", "Admin")


class PageWithoutPermission(Exception):
    pass


def protect_pages(registry: Mapping[str, dict[str, Any]]) -> None:
    """Wrap every registered page's layout in its permission check; a page without one is an error."""
    for module, page in registry.items():
        permission = page.get("permission")
        if permission is None:
            raise PageWithoutPermission(f"page {module} must declare permission=... in register_page")
        check_permission(permission)
        if page.get("area") not in (None, *AREAS):
            raise ValueError(f"page {module}: area must be one of {AREAS}")
        if not getattr(page["layout"], "floorboard_protected", False):
            page["layout"] = _checked_layout(page["layout"], permission, page["name"])


def _checked_layout(layout: Callable | Any, permission: str, name: str) -> Callable:
    def checked(**kwargs):
        if _is_page_routing_request() and not current_user.can(permission):
            audit.record_now(
                current_services().db, current_user.username, "page.refused", name,
                detail={"permission": permission, "role": current_user.role}, address=request.remote_addr or "",
            )
            return not_allowed(name)
        return layout(**kwargs) if callable(layout) else layout

    checked.floorboard_protected = True
    return checked


def _is_page_routing_request() -> bool:
    # Dash also calls every layout once to build its validation layout; only a
    # real page request (through the routing callback) is checked.
    return has_request_context() and request.path.endswith("/_dash-update-component")


def not_allowed(page_name: str) -> html.Div:
    return html.Div(
        dbc.Alert(
            [
                html.H2("Not allowed", className="alert-heading"),
                html.P(f"Your role ({current_user.role.replace('_', ' ')}) may not open {page_name}."),
                html.P("Ask an administrator if you need it."),
                dbc.Button("Go to the home page", href="/", color="light", size="lg"),
            ],
            color="warning",
            id="not-allowed",
        ),
        className="page-narrow",
    )


def navigable_pages(registry: Mapping[str, dict[str, Any]], can: Callable[[str], bool]) -> dict[str, list[dict]]:
    """The pages a user may open, grouped by area, in each page's order."""
    grouped: dict[str, list[dict]] = {area: [] for area in AREAS}
    for page in sorted(registry.values(), key=lambda p: (p.get("order") or 0, p["name"])):
        area = page.get("area")
        if area and can(page["permission"]):
            grouped[area].append(page)
    return {area: pages for area, pages in grouped.items() if pages}
