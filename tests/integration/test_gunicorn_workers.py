"""Under `gunicorn -w 2 wsgi:app` a login made on one worker holds on the others, and logout ends it on all.

The workers share nothing but the database and the instance folder's secret key.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from core.accounts import create_user
from tests.conftest import TEST_PASSWORD

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(settings, db):
    create_user(db, "gina", "admin", TEST_PASSWORD)
    port = free_port()
    env = {**os.environ, "FLOORBOARD_HOME": str(settings.home), "FLOORBOARD_DATABASE_URL": settings.database_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still starting
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


def test_sessions_hold_across_workers_and_logout_ends_them_everywhere(gunicorn):
    browser = requests.Session()
    page = browser.get(f"{gunicorn}/login", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = browser.post(f"{gunicorn}/login", data={"username": "gina", "password": TEST_PASSWORD,
                                                       "csrf_token": token, "next": "/"}, allow_redirects=False)
    assert response.status_code == 302
    # 20 requests spread over both workers all see the same logged-in user
    assert {browser.get(f"{gunicorn}/_dash-layout", timeout=5).status_code for _ in range(20)} == {200}
    stolen = requests.Session()
    stolen.cookies.update(browser.cookies)
    browser.post(f"{gunicorn}/logout", allow_redirects=False, timeout=5)
    assert {stolen.get(f"{gunicorn}/_dash-layout", timeout=5).status_code for _ in range(20)} == {401}
