"""Browser tests drive Debian's Chromium through dash_duo (`pytest --headless`)."""

import shutil
from urllib.parse import quote

import pytest

from tests.conftest import skip_unless_ci


@pytest.fixture(autouse=True)
def _needs_chromium():
    if not shutil.which("chromedriver") or not (shutil.which("chromium") or shutil.which("google-chrome")):
        skip_unless_ci("chromium and chromedriver are not installed (Debian packages chromium, chromium-driver)")


@pytest.fixture
def browser_login(dash_duo):
    """Log in through the real login form."""

    def login(username: str, password: str, path: str = "/"):
        dash_duo.driver.get(f"{dash_duo.server.url}/login?next={quote(path, safe='/')}")
        dash_duo.wait_for_element("#username").send_keys(username)
        dash_duo.find_element("#password").send_keys(password)
        dash_duo.find_element("#login-button").click()

    return login
