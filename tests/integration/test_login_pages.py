"""The login page, logout, throttling, cookies and deny-by-default, through the Flask test client."""

import pytest

from core.accounts import Actor, set_active
from tests.conftest import TEST_PASSWORD, log_in, login_csrf_token


def test_an_anonymous_visitor_gets_no_part_of_the_dash_app(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html and "/assets/bootstrap.min.css" in html
    assert "_dash" not in html and "dash_renderer" not in html
    for path in ("/_dash-layout", "/_dash-dependencies", "/api/v1/equipment"):  # the API wants its own key
        assert client.get(path).status_code == 401, path
    assert client.post("/_dash-update-component", json={"output": "x.y"}).status_code == 401
    redirect = client.get("/admin/users?x=1")
    assert redirect.status_code == 302 and redirect.headers["Location"] == "/login?next=/admin/users?x%3D1"
    with client.get("/assets/floorboard.css") as stylesheet:
        assert stylesheet.status_code == 200
    assert client.get("/healthz").status_code == 200


def test_login_takes_the_user_where_they_were_going(client, make_user):
    response = log_in(client, make_user("operator"), next_path="/admin/audit")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/audit"
    assert client.get("/_dash-layout").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, make_user, target):
    assert log_in(client, make_user("viewer"), next_path=target).headers["Location"] == "/"


def test_wrong_password_is_refused_with_one_message(client, make_user):
    response = log_in(client, make_user("viewer"), password="not-the-password")
    assert response.status_code == 401
    assert "Wrong user name or password." in response.get_data(as_text=True)
    unknown = log_in(client, "nobody-here")
    assert unknown.status_code == 401 and "Wrong user name or password." in unknown.get_data(as_text=True)


def test_a_post_without_the_form_token_is_refused(client, make_user):
    client.get("/login")
    response = client.post("/login", data={"username": make_user("viewer"), "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


def test_repeated_failures_answer_429_with_a_clear_message(client, make_user):
    username = make_user("operator")
    for _ in range(5):
        assert log_in(client, username, password="wrong-wrong-1").status_code == 401
    response = log_in(client, username)  # right password, too soon
    assert response.status_code == 429
    assert "Too many failed logins. Try again in 15 minutes." in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_session_cookie_flags(client, make_user):
    response = log_in(client, make_user("viewer"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookie_when_configured_for_https(tmp_path, engine):
    from core.settings import load_settings
    from dashapp import create_app

    settings = load_settings({"FLOORBOARD_HTTPS": "1", "FLOORBOARD_DATABASE_URL": str(engine.url)},
                             home=tmp_path / "instance")
    client = create_app(settings).server.test_client()
    cookie = client.get("/login").headers["Set-Cookie"]  # the login form's token lives in the session
    assert cookie.startswith("floorboard_session=") and "Secure" in cookie and "HttpOnly" in cookie


def test_a_cookie_copied_before_logout_no_longer_works(app, client, make_user):
    log_in(client, make_user("shift_manager"))
    copy = app.server.test_client()
    copy.set_cookie("floorboard_session", client.get_cookie("floorboard_session").value)
    assert copy.get("/_dash-layout").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/_dash-layout").status_code == 401
    assert copy.get("/_dash-layout").status_code == 401


def test_a_deactivated_users_open_session_stops_on_its_next_request(client, db, make_user):
    username = make_user("operator")
    log_in(client, username)
    assert client.get("/_dash-layout").status_code == 200
    make_user("admin", "chief")
    set_active(db, username, False, Actor("chief"))
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/").status_code == 302


def test_pages_are_not_cached_so_back_after_logout_shows_nothing(client, make_user):
    log_in(client, make_user("admin"))
    for path in ("/", "/_dash-layout", "/admin/users"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_login_page_form_token_is_per_session(app):
    first, second = app.server.test_client(), app.server.test_client()
    assert login_csrf_token(first) != login_csrf_token(second)


def test_healthz_reports_a_database_behind_its_migrations(client, engine):
    assert client.get("/healthz").json["status"] == "ok"
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'old'")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["schema"].startswith("behind")


def test_healthz_reports_an_unreachable_database(tmp_path):
    from core.settings import load_settings
    from dashapp import create_app

    settings = load_settings({"FLOORBOARD_DATABASE_URL": "mysql+pymysql://root@127.0.0.1:9/none"},
                             home=tmp_path / "instance")
    response = create_app(settings).server.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"
    assert "127.0.0.1" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/_favicon.icoX", "/_favicon.ico.html", "/_favicon.ico/admin/users", "/_reload-hash",
                                  "/_mcp", "/assets/../admin/users"])
def test_no_path_trick_reaches_the_dash_app_anonymously(client, path):
    response = client.get(path)
    assert response.status_code in (302, 401, 404), path
    assert "_dash-config" not in response.get_data(as_text=True)


def test_the_layout_sent_to_one_user_holds_nothing_of_another(app, make_user):
    first = app.server.test_client()
    log_in(first, make_user("admin", "chief-admin"))
    first.get("/_dash-layout")  # the worker's first request builds Dash's validation layout
    second = app.server.test_client()
    log_in(second, make_user("operator", "olga"))
    for path in ("/", "/_dash-layout"):
        page = second.get(path).get_data(as_text=True)
        assert "chief-admin" not in page and "admin)" not in page, path


def test_a_login_post_without_any_session_is_refused(app, make_user):
    fresh = app.server.test_client()
    response = fresh.post("/login", data={"username": make_user("viewer"), "password": TEST_PASSWORD,
                                          "csrf_token": ""})
    assert response.status_code == 400
    client = app.server.test_client()
    client.get("/login")
    odd = client.post("/login", data={"username": "x", "password": "y", "csrf_token": "\u00e9t\u00e9"})
    assert odd.status_code == 400


def test_user_names_ignore_case_and_spaces(client, make_user):
    make_user("viewer", "bob")
    assert log_in(client, "  Bob ").status_code == 302


def test_get_logout_only_asks_post_logs_out(client, make_user):
    log_in(client, make_user("viewer"))
    page = client.get("/logout")
    assert page.status_code == 200 and 'method="post"' in page.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 200  # a link to /logout from elsewhere logs nobody out
    client.post("/logout")
    assert client.get("/_dash-layout").status_code == 401


def test_simultaneous_wrong_passwords_do_not_slip_past_the_limit(app, db, make_user):
    from concurrent.futures import ThreadPoolExecutor

    from core import audit
    from core.audit import AuditFilter

    username = make_user("operator")

    def attempt(_):
        client = app.server.test_client()
        return log_in(client, username, password="wrong-password-1").status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(attempt, range(24)))
    checked = audit.find_entries(db, AuditFilter(action="login.failed", text=username)).total
    assert statuses.count(429) >= 24 - 10 and checked <= 10  # the limit is 5; without the guard about 20 got through
