"""The users and audit-log pages' callbacks, called as the browser calls them, with real values."""

import json

import pytest

from core import audit
from core.accounts import list_users
from core.audit import AuditFilter
from core.demo_users import ensure_demo_users
from core.login import log_in
from core.permissions import ROLES
from core.plant.equipment import machines
from tests.support.dash_calls import call, text_of


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def test_create_user_shows_the_new_row_and_clears_the_form(admin, db):
    out = call(admin, ["users-message.children", "users-grid.rowData", "users-new-username.value",
                       "users-new-display-name.value", "users-new-password.value"],
               [1], ["rita", "Rita Quality", "quality", "Checks-all-day-7", "Rita@Plant.test"])
    assert "User rita created as quality." in text_of(out["users-message.children"])
    assert {"username": "rita", "display_name": "Rita Quality", "role": "quality",
            "email": "rita@plant.test"}.items() <= next(
        row for row in out["users-grid.rowData"] if row["username"] == "rita").items()
    assert out["users-new-username.value"] == "" and out["users-new-password.value"] == ""


def test_a_refused_creation_says_why_and_keeps_the_form(admin, db):
    out = call(admin, ["users-message.children", "users-grid.rowData", "users-new-username.value",
                       "users-new-display-name.value", "users-new-password.value"],
               [1], ["rita", "", "quality", "short", ""])
    assert "password too short" in text_of(out["users-message.children"])
    assert "users-grid.rowData" not in out and "users-new-username.value" not in out
    assert "rita" not in [u.username for u in list_users(db)]


def test_change_role_reset_password_and_deactivate(admin, db, make_user):
    name = make_user("operator")
    out = call(admin, ["users-message.children", "users-grid.rowData"], [1], [name, "shift_manager"],
               trigger="users-change-role")
    assert f"{name} is now shift_manager." in text_of(out["users-message.children"])

    out = call(admin, ["users-message.children", "users-edit-password.value"], [1], [name, "Fresh-start-Pass-5"])
    assert "their open sessions were ended" in text_of(out["users-message.children"])
    assert log_in(db, name, "Fresh-start-Pass-5", "1.2.3.4").user is not None

    out = call(admin, ["users-message.children", "users-grid.rowData", "users-toggle-active.children",
                       "users-toggle-active.color"], [1], [name, "Deactivate"])
    assert out["users-toggle-active.children"] == "Activate"
    assert next(row for row in out["users-grid.rowData"] if row["username"] == name)["active"] == "no"
    out = call(admin, ["users-message.children", "users-grid.rowData"], [1], [name, "not an address"],
               trigger="users-change-email")
    assert "is not an email address" in text_of(out["users-message.children"])
    out = call(admin, ["users-message.children", "users-grid.rowData"], [1], [name, "ops@plant.test"],
               trigger="users-change-email")
    assert next(row for row in out["users-grid.rowData"] if row["username"] == name)["email"] == "ops@plant.test"
    actions = {r.action for r in audit.find_entries(db, AuditFilter(text=name)).records}
    assert {"user.create", "user.role", "user.password", "user.email", "user.deactivate"} <= actions


def test_audit_page_filters_and_pages(admin, db, make_user):
    for n in range(3):
        log_in(db, "someone", f"wrong-{n}", "9.9.9.9")
    out = call(admin, ["audit-grid.rowData", "audit-pager.max_value", "audit-pager.active_page", "audit-summary.children"],
               [None, "login.failed", None, None, None, 1])
    assert [row["action"] for row in out["audit-grid.rowData"]] == ["login.failed"] * 3
    assert out["audit-summary.children"] == "Entries 1-3 of 3, newest first"
    empty = call(admin, ["audit-grid.rowData", "audit-pager.max_value", "audit-pager.active_page",
                         "audit-summary.children"], [None, None, "2020-01-01", "2020-01-02", None, 1])
    assert empty["audit-grid.rowData"] == [] and empty["audit-summary.children"] == "No entries match."


def test_demo_users_one_per_role_with_new_passwords_each_start(db):
    first = ensure_demo_users(db)
    second = ensure_demo_users(db)
    assert sorted(role for _, role, _ in first) == sorted(ROLES)
    for (user, _, old), (_, _, new) in zip(first, second):
        assert old != new
        assert log_in(db, user, new, "1.1.1.1").user is not None


def test_api_keys_page_creates_shows_once_and_revokes(admin, db):
    out = call(admin, ["apikeys-message.children", "apikeys-grid.rowData", "apikeys-new-name.value"], [1],
               ["line1-gateway"])
    key = out["apikeys-message.children"]["props"]["children"][1]["props"]["children"]
    assert key.startswith("fb_") and "line1-gateway" in [r["name"] for r in out["apikeys-grid.rowData"]]
    assert key not in json.dumps(out["apikeys-grid.rowData"])
    from core.api_keys import authenticate_api_key

    assert authenticate_api_key(db, key) == "line1-gateway"
    revoked = call(admin, ["apikeys-message.children", "apikeys-grid.rowData"], [1], [[{"name": "line1-gateway"}]])
    assert "revoked" in text_of(revoked["apikeys-message.children"])
    assert authenticate_api_key(db, key) is None


def test_operators_land_on_the_line_board(client, make_user):
    from tests.conftest import log_in as web_log_in

    assert web_log_in(client, make_user("operator")).headers["Location"] == "/board"


def test_board_refresh_sends_only_what_changed(login_as, plant):
    from datetime import datetime, timezone

    from core.timeline import StateAt, add_state_changes

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, datetime.now(timezone.utc), "down", "JAM")])
    operator = login_as("operator")
    spec = next(d for d in operator.get("/_dash-dependencies").json if "board-field" in d["output"])
    codes = ["MIX1", "BAG1", "CHK1", "PAL1"]
    fields = ("state", "since", "reason", "good", "target", "oee", "apq")
    field_ids = [{"type": "board-field", "machine": c, "field": f} for c in codes for f in fields]
    tile_ids = [{"type": "board-tile", "machine": c} for c in codes]

    def refresh(shown):
        body = {
            "output": spec["output"],
            "outputs": [[{"id": i, "property": "children"} for i in field_ids],
                        [{"id": i, "property": "className"} for i in tile_ids],
                        {"id": "board-shift", "property": "children"}, {"id": "board-updated", "property": "children"}],
            "inputs": [{"id": "board-tick", "property": "n_intervals", "value": 1},
                       {"id": "board-shown-line", "property": "data", "value": "L1"}],
            "state": [[{"id": i, "property": "children", "value": shown.get(json.dumps(i, sort_keys=True))}
                       for i in field_ids],
                      [{"id": i, "property": "className", "value": shown.get(json.dumps(i, sort_keys=True))}
                       for i in tile_ids]],
            "changedPropIds": ["board-tick.n_intervals"],
        }
        response = operator.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        return response.json["response"]

    first = refresh({})
    shown = {json.dumps(json.loads(k), sort_keys=True): next(iter(v.values())) for k, v in first.items()
             if k.startswith("{")}
    bag_state = json.dumps({"field": "state", "machine": "BAG1", "type": "board-field"}, sort_keys=True)
    assert shown[bag_state] == "Down"
    second = refresh(shown)
    changed = [json.loads(k) for k in second if k.startswith("{")]
    assert all(c.get("field") == "since" for c in changed)  # only the timers moved (if a second passed)
    assert len(json.dumps(second)) < len(json.dumps(first)) / 2


def test_plant_overview_lists_every_machine_with_links(login_as, plant):
    manager = login_as("production_manager")
    spec = next(d for d in manager.get("/_dash-dependencies").json if d["output"].startswith("..plant-table"))
    body = {"output": spec["output"],
            "outputs": [{"id": "plant-table", "property": "children"}, {"id": "plant-shift", "property": "children"}],
            "inputs": [{"id": "plant-tick", "property": "n_intervals", "value": None}], "state": [],
            "changedPropIds": []}
    page = json.dumps(manager.post("/_dash-update-component", json=body).json)
    for code in ("MIX1", "BAG1", "CHK1", "PAL1", "DEP2", "FIL2", "CAP2", "LAB2"):
        assert f"plant-row-{code}" in page
    assert "/board?line=L1" in page and "/board?line=L2" in page and "No signal" in page


@pytest.mark.parametrize("button, suffix", [("oee-export-csv", ".csv"), ("oee-export-xlsx", ".xlsx")])
def test_oee_tables_export_to_csv_and_excel(login_as, plant, button, suffix):
    import base64
    import io

    import openpyxl
    import pandas as pd

    from core.timeline import CountAt, StateAt, add_counts, add_state_changes
    from datetime import datetime, timedelta, timezone

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    start = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, start, "running")])
        add_counts(session, [CountAt(bagger.id, start + timedelta(minutes=m), 50, 1) for m in range(1, 400, 10)])
    manager = login_as("production_manager")
    spec = next(d for d in manager.get("/_dash-dependencies").json if d["output"] == "oee-download.data")
    body = {"output": spec["output"], "outputs": {"id": "oee-download", "property": "data"},
            "inputs": [{"id": "oee-export-csv", "property": "n_clicks", "value": 1 if suffix == ".csv" else None},
                       {"id": "oee-export-xlsx", "property": "n_clicks", "value": 1 if suffix == ".xlsx" else None}],
            "state": [{"id": "oee-export-table", "property": "value", "value": "trend"},
                      {"id": "oee-url", "property": "search",
                       "value": "?start=2026-03-02&end=2026-03-03&machine=BAG1&granularity=day"}],
            "changedPropIds": [f"{button}.n_clicks"]}
    response = manager.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    data = response.json["response"]["oee-download"]["data"]
    assert data["filename"] == f"oee-trend-2026-03-02-2026-03-03{suffix}"
    content = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    if suffix == ".csv":
        table = pd.read_csv(io.BytesIO(content))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.values)
        table = pd.DataFrame(rows[1:], columns=rows[0])
    assert list(table["period"]) == ["2026-03-02", "2026-03-03"]
    assert table["good_count"].sum() == 35 * 50  # five of the 40 counts fell in the breaks: outside OEE
