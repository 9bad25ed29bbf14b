"""Logging in and out, and deny-by-default for anonymous visitors.

The login page is a plain server-rendered form: an anonymous visitor receives
none of the Dash app (no layout, no list of callbacks).
"""

from __future__ import annotations

import hmac
import math
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, Flask, jsonify, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from core.login import SessionUser, load_session_user, log_in, log_out
from core.permissions import ROLE_HOME
from dashapp.services import current_services

# Exact endpoints, never path prefixes: a prefix such as "/_favicon.ico" would
# also open "/_favicon.ico/admin/users" to Dash's catch-all page route.
OPEN_ENDPOINTS = frozenset({"auth.login", "auth.logout", "health.healthz", "_dash_assets.static", "/_favicon.ico"})
UNCACHED_EXEMPT_ENDPOINTS = frozenset({"_dash_assets.static", "/_favicon.ico"})
MACHINE_PATH_PREFIXES = ("/_", "/api/")  # Dash's own routes and the API answer 401, not a redirect

blueprint = Blueprint("auth", __name__)


class LoggedInUser(UserMixin):
    """flask-login's view of a SessionUser; its id carries the session token."""

    def __init__(self, user: SessionUser):
        self.user = user

    def get_id(self) -> str:
        return self.user.session_id

    def can(self, permission: str) -> bool:
        return permission in self.user.permissions

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def role(self) -> str:
        return self.user.role


def init_app(server: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.user_loader(_load_user)
    manager.init_app(server)
    server.register_blueprint(blueprint)
    server.before_request(refuse_anonymous)
    server.after_request(_security_headers)


def _load_user(session_id: str) -> LoggedInUser | None:
    user = load_session_user(current_services().db, session_id)
    return LoggedInUser(user) if user else None


def refuse_anonymous():
    """Every route but login, static assets and /healthz needs a logged-in user."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.blueprint in ("api", "metrics"):
        return None  # the REST API and /metrics check their own bearer keys (dashapp.api, dashapp.metrics)
    if request.path.startswith("/api/"):
        return jsonify(error="no such API endpoint"), 404
    if current_user.is_authenticated:
        return None
    if request.path.startswith(MACHINE_PATH_PREFIXES):
        return jsonify(error="login required"), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def client_address() -> str:
    return request.remote_addr or "unknown"


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return _login_page()
    expected, given = session.get("login_csrf", ""), request.form.get("csrf_token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return _login_page("Your login form expired; please try again.", 400)
    username = request.form.get("username", "")
    outcome = log_in(current_services().db, username, request.form.get("password", ""), client_address())
    if outcome.retry_after is not None:
        minutes = max(1, math.ceil(outcome.retry_after.total_seconds() / 60))
        return _login_page(
            f"Too many failed logins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.", 429,
            username, retry_after=outcome.retry_after.total_seconds(),
        )
    if outcome.user is None:
        return _login_page("Wrong user name or password.", 401, username)
    session.clear()
    session.permanent = True
    login_user(LoggedInUser(outcome.user))
    target = _safe_next(request.form.get("next"))
    if target == "/":
        target = ROLE_HOME.get(outcome.user.role, "/")  # an operator starts at the line board
    return redirect(target)


@blueprint.route("/logout", methods=["GET", "POST"])
def logout():
    """POST logs out (SameSite=Lax keeps other sites from posting it); GET only asks to confirm."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return render_template("logout.html")
    if current_user.is_authenticated:
        log_out(current_services().db, current_user.get_id(), client_address())
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def _login_page(error: str = "", status: int = 200, username: str = "", retry_after: float | None = None):
    token = session.get("login_csrf") or secrets.token_urlsafe(24)
    session["login_csrf"] = token
    body = render_template(
        "login.html", error=error, username=username, csrf_token=token,
        next=_safe_next(request.values.get("next")),
    )
    headers = {"Retry-After": str(math.ceil(retry_after))} if retry_after else {}
    return body, status, headers


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never redirect a user to another host after login."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint not in UNCACHED_EXEMPT_ENDPOINTS and not request.path.startswith("/_dash-component-suites/"):
        # After logout the back button must not show a page from the cache.
        response.headers["Cache-Control"] = "no-store"
    return response
