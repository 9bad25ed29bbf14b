"""Roles and the named permissions each one holds: the one place they are defined.

A page declares the permission it needs, a Dash callback is registered with the
permission it needs, and the server checks `role_has(role, permission)` before
anything runs. Everything not granted here is denied.
"""

from __future__ import annotations

from types import MappingProxyType

# Every logged-in user holds this one: the app shell, the home page, page routing.
USE_APP = "app.use"

PERMISSIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        USE_APP: "open Floorboard and its home page",
        # Floor
        "board.view": "see the line board",
        "jobs.operate": "accept, start and complete jobs",
        "checklists.fill": "fill in pre-start checklists",
        "stops.explain": "give the reason for a stop",
        "andon.raise": "raise an andon call",
        # Management
        "oee.view": "see OEE, losses and Pareto charts",
        "jobs.assign": "assign jobs and edit schedules",
        "stops.edit": "change the reason of a stop or split a stop in two",
        "andon.manage": "acknowledge and resolve andon calls",
        "checklists.review": "see pre-start checklist compliance by line and shift",
        "money.view": "see the money lost",
        "reports.view": "build, download and email reports (they show the money lost, so only money.view roles)",
        # Engineering and maintenance
        "faults.view": "drill into faults, tag trends, MTBF and MTTR",
        "workorders.manage": "create and close work orders",
        "predictions.view": "see predictions and anomalies",
        "trials.manage": "plan, start, complete and cancel line trials (experiments)",
        # Quality
        "quality.manage": "record quality checks, defects and scrap",
        # Admin
        "users.manage": "create users, change roles, reset passwords, deactivate",
        "plant.configure": "edit plant configuration, tags, reason codes and shifts",
        "datasources.manage": "configure PLCs, data sources and API keys",
        "reports.schedule": "edit report schedules",
        "audit.view": "read the audit log",
        "models.manage": "promote and roll back prediction models",
    }
)

_FLOOR = {USE_APP, "board.view", "jobs.operate", "checklists.fill", "stops.explain", "andon.raise"}
_ANALYSIS = {USE_APP, "board.view", "oee.view"}
_MONEY = {"money.view", "reports.view"}  # reports price the losses: whoever reads them may see money

ROLES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "admin": frozenset(PERMISSIONS),
        "production_manager": frozenset(
            _ANALYSIS | _MONEY | {"jobs.assign", "andon.manage", "faults.view", "predictions.view",
                         "reports.schedule", "audit.view", "stops.explain", "stops.edit", "checklists.review",
                         "trials.manage"}
        ),
        "shift_manager": frozenset(_ANALYSIS | _FLOOR | _MONEY | {"jobs.assign", "andon.manage", "stops.edit",
                                                                 "checklists.review"}),
        "engineer": frozenset(_ANALYSIS | {"faults.view", "workorders.manage", "predictions.view", "stops.explain",
                                           "trials.manage"}),
        "maintenance": frozenset(
            {USE_APP, "board.view", "faults.view", "workorders.manage", "andon.manage", "stops.explain"}
        ),
        "quality": frozenset(_ANALYSIS | {"quality.manage", "andon.raise", "andon.manage", "checklists.review",
                                          "trials.manage"}),
        "operator": frozenset(_FLOOR),
        "viewer": frozenset({USE_APP, "board.view", "oee.view"}),
    }
)

ROLE_DESCRIPTIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "admin": "Administrator: users, plant configuration, data sources, audit log",
        "production_manager": "Production manager: OEE, losses, money, schedules, reports",
        "shift_manager": "Shift manager: the shift's lines, jobs and andon calls",
        "engineer": "Engineer: faults, trends, MTBF/MTTR, work orders, predictions",
        "maintenance": "Maintenance: work orders and andon calls for breakdowns",
        "quality": "Quality: checks, defects, scrap",
        "operator": "Operator: line board, jobs, checklists, stop reasons, andon",
        "viewer": "Viewer: read-only boards and OEE",
    }
)


# Where a role lands after logging in, when it was not on its way somewhere else.
ROLE_HOME: MappingProxyType[str, str] = MappingProxyType({"operator": "/board", "shift_manager": "/board"})


class UnknownRole(ValueError):
    def __init__(self, role: str):
        super().__init__(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")


class UnknownPermission(ValueError):
    def __init__(self, permission: str):
        super().__init__(f"unknown permission {permission!r}")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UnknownRole(role)
    return role


def check_permission(permission: str) -> str:
    if permission not in PERMISSIONS:
        raise UnknownPermission(permission)
    return permission


def role_has(role: str | None, permission: str) -> bool:
    """True when `role` grants `permission`; an unknown role or permission grants nothing."""
    return role in ROLES and permission in ROLES[role]


def roles_with(permission: str) -> frozenset[str]:
    return frozenset(role for role, granted in ROLES.items() if permission in granted)
