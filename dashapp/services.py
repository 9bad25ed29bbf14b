"""What the web app is handed at start: settings, the database engine and session factory.

Kept on the Flask app (`server.extensions`), never in module globals, so two
apps in one process (tests) or four gunicorn workers behave alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.settings import Settings

EXTENSION_KEY = "floorboard"


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    db: sessionmaker[Session]


def attach(server: Flask, services: Services) -> None:
    server.extensions[EXTENSION_KEY] = services


def current_services() -> Services:
    """The services of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
