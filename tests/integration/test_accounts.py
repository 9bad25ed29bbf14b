"""Account use cases on the real database: rules, audit rows, sessions ended."""

import pytest

from core import audit
from core.accounts import (
    AccountError, Actor, change_email, change_role, create_user, list_users, reset_password, set_active,
)
from core.audit import AuditFilter
from core.login import load_session_user, log_in, log_out

ADMIN = Actor("boss", "10.0.0.5")
PASSWORD = "bagging-Line-1"


@pytest.fixture
def users(database_url, db):
    create_user(db, "boss", "admin", PASSWORD)
    create_user(db, "maria", "operator", PASSWORD, ADMIN, display_name="Maria Lopez")
    return db


def actions(db):
    return [(r.actor, r.action, r.target) for r in reversed(audit.find_entries(db, AuditFilter()).records)]


def test_create_records_who_did_it(users):
    assert ("boss", "user.create", "maria") in actions(users)
    assert [(u.username, u.role, u.display_name) for u in list_users(users)] == [
        ("boss", "admin", "boss"), ("maria", "operator", "Maria Lopez")]


@pytest.mark.parametrize(
    "username, role, password, message",
    [
        ("maria", "operator", PASSWORD, "already exists"),
        ("new", "chef", PASSWORD, "unknown role 'chef'"),
        ("new", "operator", "short", "too short"),
        ("bad name!", "operator", PASSWORD, "user name must be"),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(users, username, role, password, message):
    before = (list_users(users), actions(users))
    with pytest.raises(AccountError, match=message):
        create_user(users, username, role, password, ADMIN)
    assert (list_users(users), actions(users)) == before


def test_role_change_is_audited_with_old_and_new(users):
    change_role(users, "maria", "shift_manager", ADMIN)
    entry = audit.find_entries(users, AuditFilter(action="user.role")).records[0]
    assert entry.target == "maria" and '"from": "operator"' in entry.detail and '"to": "shift_manager"' in entry.detail


def test_the_last_admin_cannot_be_demoted_or_deactivated(users):
    with pytest.raises(AccountError, match="last active admin"):
        change_role(users, "boss", "viewer", Actor("other"))
    with pytest.raises(AccountError, match="last active admin"):
        set_active(users, "boss", False, Actor("other"))
    create_user(users, "second", "admin", PASSWORD)
    change_role(users, "boss", "viewer", Actor("second"))


def test_nobody_deactivates_themselves(users):
    create_user(users, "second", "admin", PASSWORD)
    with pytest.raises(AccountError, match="yourself"):
        set_active(users, "boss", False, ADMIN)


def test_deactivation_and_password_reset_end_open_sessions(users):
    session_id = log_in(users, "maria", PASSWORD, "10.0.0.9").user.session_id
    assert load_session_user(users, session_id) is not None
    reset_password(users, "maria", "another-Pass-77", ADMIN)
    assert load_session_user(users, session_id) is None

    session_id = log_in(users, "maria", "another-Pass-77", "10.0.0.9").user.session_id
    set_active(users, "maria", False, ADMIN)
    assert load_session_user(users, session_id) is None
    assert log_in(users, "maria", "another-Pass-77", "10.0.0.9").user is None  # inactive cannot log in
    set_active(users, "maria", True, ADMIN)
    assert log_in(users, "maria", "another-Pass-77", "10.0.0.9").user is not None


def test_logout_invalidates_the_session_id(users):
    session_id = log_in(users, "maria", PASSWORD, "10.0.0.9").user.session_id
    log_out(users, session_id)
    assert load_session_user(users, session_id) is None
    assert ("maria", "logout", "maria") in actions(users)


def test_throttling_per_user_and_per_address(users):
    for _ in range(5):
        assert log_in(users, "maria", "wrong-password", "10.0.0.1").user is None
    refused = log_in(users, "maria", PASSWORD, "10.0.0.2")  # the right password, but too late
    assert refused.user is None and refused.retry_after is not None
    assert log_in(users, "boss", PASSWORD, "10.0.0.1").user is not None  # other users are not locked out
    for n in range(20):
        log_in(users, f"guess{n}", "wrong-password", "10.9.9.9")
    assert log_in(users, "boss", PASSWORD, "10.9.9.9").retry_after is not None
    assert audit.find_entries(users, AuditFilter(action="login.throttled")).total == 2


def test_audit_paging_and_filters(users):
    for n in range(7):
        log_in(users, "maria", f"wrong-{n}", "10.0.0.1")
    page = audit.find_entries(users, AuditFilter(action="login.failed"), page=2, page_size=3)
    assert page.total == 5 and page.page_count == 2 and len(page.records) == 2  # throttled after five
    assert audit.find_entries(users, AuditFilter(actor="maria", text="maria")).total == 5 + 1  # throttling noted once
    assert "login.throttled" in audit.known_actions(users)


def test_an_address_is_changed_checked_and_audited(users):
    assert change_email(users, "maria", " Maria@Plant.TEST ", ADMIN).email == "maria@plant.test"
    with pytest.raises(AccountError, match="not an email address"):
        change_email(users, "maria", "maria at plant", ADMIN)
    assert [u.email for u in list_users(users) if u.username == "maria"] == ["maria@plant.test"]
    assert ("boss", "user.email", "maria") in actions(users)


def test_the_demo_users_have_an_address_each_start_after_start(users):
    from core.demo_users import DEMO_MAIL_DOMAIN, ensure_demo_users

    for _ in range(2):
        ensure_demo_users(users)
        demo = [u for u in list_users(users) if u.username not in {"boss", "maria"}]
        assert len(demo) == 8 and all(u.email == f"{u.username}@{DEMO_MAIL_DOMAIN}" for u in demo)
