from core.permissions import PERMISSIONS, ROLES, USE_APP, UnknownRole, check_role, role_has, roles_with

import pytest


def test_there_are_the_eight_roles_of_the_design():
    assert set(ROLES) == {"admin", "production_manager", "shift_manager", "engineer", "maintenance", "quality",
                          "operator", "viewer"}


def test_every_granted_permission_is_a_defined_one():
    for role, granted in ROLES.items():
        assert granted <= set(PERMISSIONS), role


def test_every_role_may_use_the_app_and_admin_holds_everything():
    assert all(USE_APP in granted for granted in ROLES.values())
    assert ROLES["admin"] == frozenset(PERMISSIONS)


def test_only_admin_manages_users():
    assert roles_with("users.manage") == {"admin"}


def test_operator_works_the_floor_but_sees_no_admin_or_money():
    assert role_has("operator", "andon.raise")
    assert role_has("operator", "stops.explain")
    assert not role_has("operator", "users.manage")
    assert not role_has("operator", "audit.view")
    assert not role_has("operator", "money.view")


def test_viewer_only_reads():
    writes = {"jobs.operate", "andon.raise", "stops.explain", "users.manage", "workorders.manage", "quality.manage"}
    assert not ROLES["viewer"] & writes


def test_unknown_role_or_permission_grants_nothing():
    assert not role_has("superuser", USE_APP)
    assert not role_has(None, USE_APP)
    assert not role_has("admin", "no.such.permission")
    with pytest.raises(UnknownRole, match="roles are: admin"):
        check_role("superuser")
