"""Shared fixtures: a fresh app per test on a temporary database, and helpers to log in as any role.

Databases: every integration test that takes `database_url` runs on SQLite,
and on MariaDB too where FLOORBOARD_TEST_MYSQL_URL is set (CI sets it). With
CI=true a test that cannot reach its peer fails instead of skipping, so a
green CI proves the browser and MariaDB paths ran.
"""

from __future__ import annotations

import os
import re
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.accounts import create_user
from core.database_setup import prepare_database
from core.persistence.database import make_engine, make_session_factory
from core.settings import load_settings

MYSQL_URL_VAR = "FLOORBOARD_TEST_MYSQL_URL"
TEST_PASSWORD = "floor-test-Pass-42"


def pytest_collection_modifyitems(items):
    """With pytest-xdist (scripts/run-tests runs two workers), every browser test runs on one worker, one after
    the other: dash_duo serves each app on the same port, and one Chromium at a time leaves the other core to
    the tests below the browser."""
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("browser"))


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_unless_ci(reason: str) -> None:
    """Skip on a developer machine that lacks a peer; in CI the same thing is a failure."""
    if running_in_ci():
        pytest.fail(f"CI must run this test, but: {reason}")
    pytest.skip(reason)


@pytest.fixture
def mysql_url():
    """A fresh, empty MariaDB/MySQL database for one test, dropped afterwards."""
    server_url = os.environ.get(MYSQL_URL_VAR)
    if not server_url:
        skip_unless_ci(f"{MYSQL_URL_VAR} is not set")
    name = f"fb_test_{secrets.token_hex(4)}"
    admin = create_engine(server_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    except Exception as exc:  # any failure to reach the server
        admin.dispose()
        skip_unless_ci(f"MariaDB at {server_url} not usable: {exc}")
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'floorboard.db'}"
    return request.getfixturevalue("mysql_url")


@pytest.fixture
def settings(tmp_path, request):
    url = request.getfixturevalue("database_url") if "database_url" in request.fixturenames else None
    environ = {"FLOORBOARD_DATABASE_URL": url} if url else {}
    return load_settings(environ, home=tmp_path / "instance")


@pytest.fixture
def engine(settings):
    engine = make_engine(settings.database_url)
    prepare_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine):
    return make_session_factory(engine)


@pytest.fixture
def app(settings, engine):
    from dashapp import create_app

    return create_app(settings)


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def make_user(db):
    """Create a user with `role` (and TEST_PASSWORD) and return its name."""

    def make(role: str, username: str | None = None) -> str:
        username = username or f"{role.replace('_', '-')}-{secrets.token_hex(2)}"
        create_user(db, username, role, TEST_PASSWORD)
        return username

    return make


def login_csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log_in(client, username: str, password: str = TEST_PASSWORD, next_path: str = "/"):
    token = login_csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token, "next": next_path}
    )


@pytest.fixture
def login_as(app, make_user):
    """A test client logged in as a new user of `role`."""

    def login(role: str):
        client = app.server.test_client()
        response = log_in(client, make_user(role))
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return login


def pytest_setup_options():
    """Chromium options for dash_duo: no network chatter from a closed machine."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--window-size=1280,800"):
        options.add_argument(flag)
    return options


EXAMPLE_PLANT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "plant.toml")


@pytest.fixture
def plant(db):
    """The example plant loaded into the test database."""
    from core.plant.config_file import read_plant_file
    from core.plant.config_store import apply_plant_config

    apply_plant_config(db, read_plant_file(EXAMPLE_PLANT))
    return db


@pytest.fixture
def api_key(db):
    from core.api_keys import create_api_key

    return create_api_key(db, f"test-{secrets.token_hex(3)}")


@pytest.fixture
def cimco():
    """A CIMCO-style source database (tests/support/cimco_source.py) on the MariaDB server, dropped afterwards."""
    from tests.support.cimco_source import create_cimco_database

    server_url = os.environ.get(MYSQL_URL_VAR)
    if not server_url:
        skip_unless_ci(f"{MYSQL_URL_VAR} is not set")
    with create_cimco_database(server_url) as source:
        yield source


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free port, and the inbox it delivers to."""
    from tests.support.smtp_inbox import Inbox, SmtpServer

    inbox = Inbox()
    server = SmtpServer(inbox)
    server.start()
    yield server, inbox
    server.stop()


@pytest.fixture
def controller():
    """A real EtherNet/IP controller (cpppo) holding the tags of tests/support/plc_plant.py, on a free port."""
    from tests.support.enip_server import EnipServer
    from tests.support.plc_plant import CONTROLLER_TAGS

    server = EnipServer(CONTROLLER_TAGS)
    server.start()
    yield server
    server.stop()
