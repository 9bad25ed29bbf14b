"""The web app: `create_app(settings)` wires Flask, flask-login, Dash pages and callbacks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dash
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from core.persistence.database import make_engine, make_session_factory
from core.settings import Settings, load_settings
from dashapp import api, auth, callback_guard, health, metrics, page_access, shell
from dashapp.services import Services, attach

PROJECT_DIR = Path(__file__).resolve().parent.parent
PAGES_DIR = PROJECT_DIR / "pages"
ASSETS_DIR = PROJECT_DIR / "assets"
MAX_REQUEST_BYTES = 2 * 1024 * 1024

def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build a new Floorboard app; nothing is built at import time."""
    settings = settings or load_settings()
    server = Flask("floorboard", template_folder=str(Path(__file__).with_name("templates")), static_folder=None)
    if settings.trusted_proxies:
        # Behind a load balancer: the client's address and scheme come from X-Forwarded-* headers.
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        SESSION_COOKIE_NAME="floorboard_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    engine = make_engine(settings.database_url)
    services = Services(settings=settings, engine=engine, db=make_session_factory(engine))
    attach(server, services)
    auth.init_app(server)
    health.init_app(server)
    api.init_app(server)
    metrics.init_app(server)

    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        title="Floorboard",
        update_title=None,
        enable_mcp=False,  # MCP runs callbacks by another route than the guarded one
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # Dark theme for the shop floor: Bootstrap 5.3 colour modes and AG Grid's theme mode.
    app.index_string = app.index_string.replace(
        "<html>", '<html lang="en" data-bs-theme="dark" data-ag-theme-mode="dark">', 1
    )
    page_access.protect_pages(dash.page_registry)
    app.layout = shell.serve_layout
    guard = callback_guard.CallbackGuard(app)

    from callbacks import register_all  # here, not at the top: the callbacks import dashapp's helpers

    register_all(guard, services)
    return app
