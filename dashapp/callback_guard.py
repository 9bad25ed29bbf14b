"""The one way to register a Dash callback: with the permission it needs, checked on the server.

`CallbackGuard.callback(..., permission=...)` registers the callback wrapped
in a check of the current user's permission (403 and an audit row when it
fails), and records the permission. A `before_request` hook also looks up the
callback named in each `/_dash-update-component` request and refuses it when
the user lacks the permission, or when the callback was registered some other
way: a callback nobody guarded is a callback nobody may call.
"""

from __future__ import annotations

import functools
from typing import Callable

import dash
from flask import Flask, jsonify, request
from werkzeug.exceptions import Forbidden
from flask_login import current_user

from core import audit
from core.permissions import USE_APP, check_permission
from dashapp.services import current_services

_PERMISSIONS_KEY = "floorboard_callback_permissions"

# Dash's own page-routing callback (dash.Dash.enable_pages) renders pages; the
# pages themselves check their permission (dashapp.page_access).
PAGE_ROUTING_CALLBACK = ".._pages_content.children..._pages_store.data.."
FRAMEWORK_CALLBACKS = {PAGE_ROUTING_CALLBACK: USE_APP}


class CallbackGuard:
    def __init__(self, app: dash.Dash):
        self.app = app
        self.permissions: dict[str, str] = dict(FRAMEWORK_CALLBACKS)
        server: Flask = app.server
        server.extensions[_PERMISSIONS_KEY] = self.permissions
        server.before_request(self._refuse_unpermitted_callback)

    def callback(self, *args, permission: str, **kwargs) -> Callable:
        """`app.callback(*args, **kwargs)`, usable only by users holding `permission`."""
        check_permission(permission)
        for unsupported in ("api_endpoint", "background", "manager"):
            if kwargs.get(unsupported):
                # Such callbacks are reached by other routes than the one the hook checks.
                raise ValueError(f"guarded callbacks cannot use {unsupported}=")

        def register(func: Callable) -> Callable:
            @functools.wraps(func)
            def checked(*call_args, **call_kwargs):
                if not (current_user.is_authenticated and current_user.can(permission)):
                    _record_refusal(func.__name__, permission)
                    raise Forbidden("not allowed")
                return func(*call_args, **call_kwargs)

            before = set(self.app.callback_map)
            self.app.callback(*args, **kwargs)(checked)
            for callback_id in set(self.app.callback_map) - before:
                self.permissions[callback_id] = permission
            return func

        return register

    def permission_for(self, callback_id: str) -> str | None:
        return self.permissions.get(callback_id)

    def _refuse_unpermitted_callback(self):
        if not request.path.endswith("/_dash-update-component") or request.method != "POST":
            return None
        if not current_user.is_authenticated:
            return None  # dashapp.auth answers 401 before this hook runs
        body = request.get_json(silent=True) or {}
        callback_id = body.get("output") if isinstance(body, dict) else None
        permission = self.permission_for(callback_id) if isinstance(callback_id, str) else None
        if permission is not None and current_user.can(permission):
            return None
        _record_refusal(str(callback_id), permission or "unguarded")
        return jsonify(error="not allowed", callback=callback_id, permission=permission), 403


def _record_refusal(callback_id: str, permission: str) -> None:
    user = current_user if current_user.is_authenticated else None
    audit.record_now(
        current_services().db, user.username if user else "anonymous", "callback.refused", callback_id[:255],
        detail={"callback": callback_id, "permission": permission, "role": user.role if user else None},
        address=request.remote_addr or "",
    )
