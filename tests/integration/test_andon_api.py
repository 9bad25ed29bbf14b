"""The andon REST API: raise, list, acknowledge, resolve; bad input and illegal moves answered in words; audited."""

import json

import pytest

from core import audit
from core.audit import AuditFilter


@pytest.fixture
def andon(database_url, client, plant, api_key):
    headers = {"Authorization": f"Bearer {api_key}"}

    class Api:
        key_name = None

        def post(self, path, body=None):
            return client.post(f"/api/v1/andon{path}", json=body, headers=headers)

        def get(self, query=""):
            return client.get(f"/api/v1/andon{query}", headers=headers)

    return Api()


def test_a_call_goes_from_open_to_acknowledged_to_resolved(andon, plant):
    raised = andon.post("", {"equipment": "BAG1", "type": "maintenance", "priority": "high", "note": "belt slipping"})
    assert raised.status_code == 201
    call = raised.json
    assert (call["equipment"], call["line"], call["type"], call["priority"], call["status"], call["source"]) == (
        "BAG1", "L1", "maintenance", "high", "open", "api")
    assert call["raised_by"].startswith("api:test-")
    assert [c["id"] for c in andon.get("?status=open").json] == [call["id"]]

    acknowledged = andon.post(f"/{call['id']}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json["status"] == "acknowledged"
    assert acknowledged.json["acknowledged_by"] == call["raised_by"]
    assert andon.post(f"/{call['id']}/acknowledge").status_code == 409  # once only

    assert andon.post(f"/{call['id']}/resolve", {"note": "  "}).status_code == 422  # a note is required
    resolved = andon.post(f"/{call['id']}/resolve", {"note": "belt tensioned"})
    assert resolved.status_code == 200 and resolved.json["resolution"] == "belt tensioned"
    assert andon.post(f"/{call['id']}/resolve", {"note": "again"}).status_code == 409
    assert andon.get("?status=open").json == [] and len(andon.get("?status=resolved").json) == 1

    trail = audit.find_entries(plant, AuditFilter(text=f"andon:{call['id']}")).records
    assert sorted(r.action for r in trail) == ["andon.acknowledged", "andon.raised", "andon.resolved"]
    resolution = next(r for r in trail if r.action == "andon.resolved")
    assert json.loads(resolution.detail)["before"] == "acknowledged"


@pytest.mark.parametrize("body, status, message", [
    ({"equipment": "NOPE", "type": "help"}, 422, "no active machine 'NOPE'"),
    ({"equipment": "BAG1", "type": "coffee"}, 422, "type must be one of maintenance, quality"),
    ({"equipment": "BAG1", "priority": "urgent"}, 422, "priority must be one of low"),
    ({"equipment": "BAG1", "colour": "red"}, 422, "unknown field(s) colour"),
    ({"type": "help"}, 422, "equipment (a machine code) is required"),
    ([1, 2], 400, "the body must be a JSON object"),
])
def test_bad_calls_are_refused_with_the_reason_and_nothing_is_stored(andon, body, status, message):
    answer = andon.post("", body)
    assert answer.status_code == status and message in answer.json["error"]
    assert andon.get().json == []


def test_unknown_calls_and_statuses_are_named(andon):
    assert andon.post("/999/acknowledge").status_code == 404
    answer = andon.get("?status=lost")
    assert answer.status_code == 422 and answer.json["parameter"] == "status"


def test_the_andon_api_needs_a_key(database_url, client, plant):
    assert client.post("/api/v1/andon", json={"equipment": "BAG1"}).status_code == 401
