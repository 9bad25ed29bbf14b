"""Every callback the app registers, called by a raw POST as nobody and as each role.

Only the roles holding the callback's permission get through; the others get
403 and an audit row. A callback registered without the guard is refused to
everyone, which this matrix reports as a violation.
"""

from __future__ import annotations

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


def request_body(spec: dict) -> dict:
    def with_value(item):
        value = "/" if item["property"] == "pathname" else None
        return {"id": item["id"], "property": item["property"], "value": value}

    outputs = split_callback_id(spec["output"])
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
            refusals_before = audit.find_entries(db, AuditFilter(action="callback.refused", text=callback_id)).total
            status = client.post("/_dash-update-component", json=body).status_code
            allowed = permission is not None and role_has(role, permission)
            if allowed and status not in (200, 204):
                violations.append(f"{callback_id}: {role} holds {permission} but got {status}")
            if not allowed:
                refusals_after = audit.find_entries(db, AuditFilter(action="callback.refused", text=callback_id)).total
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
    assert "navbar-collapse.className: registered without the guard" in violations
    assert "navbar-collapse.className: admin holds None but got 403" not in violations  # refused, not run
    assert all(v.startswith("navbar-collapse.className") for v in violations)


def test_guard_records_each_registration_with_its_permission(app):
    guard = CallbackGuard(app)

    @guard.callback(Output("navbar-collapse", "style"), Input("navbar-toggler", "n_clicks"), permission="audit.view")
    def styled(_clicks):
        return {}

    assert guard.permission_for("navbar-collapse.style") == "audit.view"
    assert guard.permission_for("no-such.callback") is None
