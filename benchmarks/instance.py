"""A throwaway Floorboard instance for benchmarks: database, example plant, users, API key, gunicorn, jobs."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from core.accounts import create_user  # noqa: E402
from core.api_keys import create_api_key  # noqa: E402
from core.database_setup import prepare_database  # noqa: E402
from core.persistence.database import make_engine, make_session_factory  # noqa: E402
from core.plant.config_file import read_plant_file  # noqa: E402
from core.plant.config_store import apply_plant_config  # noqa: E402

PASSWORD = "bench-Mark-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database(kind: str):
    """A fresh database URL: a SQLite file, or a new MariaDB database on FLOORBOARD_TEST_MYSQL_URL's server."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db", folder
        return
    server = os.environ.get("FLOORBOARD_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
    name = f"fb_bench_{os.getpid()}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    try:
        with tempfile.TemporaryDirectory() as folder:
            yield make_url(server).set(database=name).render_as_string(hide_password=False), folder
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


def prepare(url: str, users: list[tuple[str, str]] = ()):
    engine = make_engine(url)
    prepare_database(engine)
    db = make_session_factory(engine)
    apply_plant_config(db, read_plant_file(PROJECT / "examples" / "plant.toml"))
    for username, role in users:
        create_user(db, username, role, PASSWORD)
    return db, create_api_key(db, "bench")


@contextmanager
def gunicorn(url: str, home: str, workers: int = 2, threads: int = 1):
    port = free_port()
    env = {**os.environ, "FLOORBOARD_HOME": home, "FLOORBOARD_DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=PROJECT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def jobs_process(url: str, home: str):
    env = {**os.environ, "FLOORBOARD_HOME": home, "FLOORBOARD_DATABASE_URL": url}
    process = subprocess.Popen([sys.executable, "-m", "dashapp.cli", "jobs", "--log-level", "warning"], cwd=PROJECT,
                               env=env, stdout=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def logged_in_session(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                                   "next": "/"}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return session
