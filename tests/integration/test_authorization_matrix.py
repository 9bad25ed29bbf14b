"""Every callback the app registers, called by a raw POST as nobody and as each role.

Only the roles holding the callback's permission get through; the others get
403 and an audit row. A callback registered without the guard is refused to
everyone, which this matrix reports as a violation.
"""

from __future__ import annotations

import json

import pytest

from dash import Input, Output
from dash._utils import split_callback_id

from core import audit
from core.audit import AuditFilter
from core.permissions import ROLES, role_has
from dashapp.callback_guard import CallbackGuard

PERMISSIONS_KEY = "floorboard_callback_permissions"


def server_callbacks(admin_client) -> list[dict]:
    """The callbacks the browser may call, as `/_dash-dependencies` lists them to an admin."""
    dependencies = admin_client.get("/_dash-dependencies").json
    return [spec for spec in dependencies if not spec.get("clientside_function")]


def _is_wildcard(component_id) -> bool:
    if isinstance(component_id, str) and component_id.startswith("{"):
        component_id = json.loads(component_id)
    return isinstance(component_id, dict) and any(v in (["ALL"], ["MATCH"], ["ALLSMALLER"])
                                                  for v in component_id.values())


def request_body(spec: dict) -> dict:
    """The request dash-renderer sends; wildcard ids match no component here (an empty list)."""

    def with_value(item):
        if _is_wildcard(item["id"]):
            return []
        value = "/" if item["property"] == "pathname" else None
        return {"id": item["id"], "property": item["property"], "value": value}

    outputs = split_callback_id(spec["output"])
    if isinstance(outputs, list):
        outputs = [[] if _is_wildcard(o["id"]) else o for o in outputs]
    return {
        "output": spec["output"],
        "outputs": outputs,
        "inputs": [with_value(i) for i in spec["inputs"]],
        "state": [with_value(s) for s in spec["state"]],
        "changedPropIds": [],
    }


def authorization_violations(app, admin_client, anonymous_client, role_clients, db) -> list[str]:
    permissions = app.server.extensions[PERMISSIONS_KEY]
    violations = []
    for spec in server_callbacks(admin_client):
        callback_id, body = spec["output"], request_body(spec)
        permission = permissions.get(callback_id)
        if permission is None:
            violations.append(f"{callback_id}: registered without the guard")
        status = anonymous_client.post("/_dash-update-component", json=body).status_code
        if status != 401:
            violations.append(f"{callback_id}: anonymous got {status}, expected 401")
        for role, client in role_clients.items():
            refusals_before = audit.find_entries(db, AuditFilter(action="callback.refused", text=callback_id[:255])).total
            status = client.post("/_dash-update-component", json=body).status_code
            allowed = permission is not None and role_has(role, permission)
            if allowed and status not in (200, 204):
                violations.append(f"{callback_id}: {role} holds {permission} but got {status}")
            if not allowed:
                refusals_after = audit.find_entries(db, AuditFilter(action="callback.refused", text=callback_id[:255])).total
                if status != 403:
                    violations.append(f"{callback_id}: {role} lacks {permission} but got {status}")
                elif refusals_after != refusals_before + 1:
                    violations.append(f"{callback_id}: refusal to {role} not in the audit log")
    return violations


def role_clients_for(login_as):
    return {role: login_as(role) for role in ROLES}


def test_every_callback_is_guarded_and_enforced_for_every_role(app, client, login_as, db):
    roles = role_clients_for(login_as)
    callbacks = server_callbacks(roles["admin"])
    assert len(callbacks) >= 8  # shell, users and audit pages, and Dash's page routing
    server_side = {key for key, entry in app.callback_map.items() if entry.get("callback")}
    assert {spec["output"] for spec in callbacks} == server_side
    assert authorization_violations(app, roles["admin"], client, roles, db) == []


def test_a_callback_added_without_the_guard_is_caught(app, client, login_as, db):
    @app.callback(Output("navbar-collapse", "className"), Input("navbar-toggler", "n_clicks"))
    def unguarded(_clicks):
        return "leaked"

    roles = role_clients_for(login_as)
    violations = authorization_violations(app, roles["admin"], client, roles, db)
    assert violations == ["navbar-collapse.className: registered without the guard"]
    # and the server refused it to everyone, admin included, instead of running it
    refusals = audit.find_entries(db, AuditFilter(action="callback.refused", text="navbar-collapse.className"))
    assert refusals.total == len(ROLES) and all('"unguarded"' in r.detail for r in refusals.records)


def test_page_routing_refuses_a_forbidden_page_and_records_it(login_as, db):
    operator = login_as("operator")
    spec = next(s for s in server_callbacks(operator) if s["output"].startswith(".._pages_content"))
    body = request_body(spec)
    body["inputs"][0]["value"] = "/admin/users"
    response = operator.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    page = json.dumps(response.json)
    assert "Not allowed" in page and "users-grid" not in page
    refused = audit.find_entries(db, AuditFilter(action="page.refused")).records
    assert [(r.target, r.actor.startswith("operator")) for r in refused] == [("Users", True)]


def test_guarded_callbacks_cannot_open_other_routes(app):
    guard = CallbackGuard(app)
    with pytest.raises(ValueError, match="api_endpoint"):
        guard.callback(Output("navbar-collapse", "title"), Input("navbar-toggler", "n_clicks"),
                       api_endpoint="/x", permission="audit.view")


def test_mcp_stays_off_even_when_the_environment_asks_for_it(monkeypatch, settings, engine):
    from dashapp import create_app

    monkeypatch.setenv("DASH_MCP_ENABLED", "true")
    assert create_app(settings)._enable_mcp is False


def test_guard_records_each_registration_with_its_permission(app):
    guard = CallbackGuard(app)

    @guard.callback(Output("navbar-collapse", "style"), Input("navbar-toggler", "n_clicks"), permission="audit.view")
    def styled(_clicks):
        return {}

    assert guard.permission_for("navbar-collapse.style") == "audit.view"
    assert guard.permission_for("no-such.callback") is None
