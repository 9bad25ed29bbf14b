"""POST /api/v1/events and friends: atomic batches, replays ignored, auth, bad input, late events."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.api_keys import list_api_keys, revoke_api_key
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.plant.equipment import machines
from core.timeline import state_changes

T0 = datetime(2026, 3, 2, 11, 0, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def stored_rows(db) -> tuple[int, int]:
    with db() as session:
        return (session.scalar(select(func.count()).select_from(StateChange)),
                session.scalar(select(func.count()).select_from(CountIncrement)))


@pytest.fixture
def api(database_url, client, plant, api_key):
    headers = {"Authorization": f"Bearer {api_key}"}

    def post(events, **kwargs):
        return client.post("/api/v1/events", json={"events": events}, headers=headers, **kwargs)

    post.headers = headers
    return post


def state(at, value="running", equipment="BAG1", **extra):
    return {"type": "state", "equipment": equipment, "at": iso(at), "state": value, **extra}


def count(at, good=10, reject=1, equipment="BAG1", **extra):
    return {"type": "count", "equipment": equipment, "at": iso(at), "good": good, "reject": reject, **extra}


def test_a_good_batch_is_stored(api, plant):
    response = api([state(T0), count(T0 + timedelta(minutes=1)), state(T0 + timedelta(minutes=5), "down", reason="JAM")])
    assert response.status_code == 200 and response.json == {"stored": 3, "duplicates": 0}
    assert stored_rows(plant) == (2, 1)


def test_one_bad_event_refuses_the_whole_batch_and_says_which(api, plant):
    response = api([state(T0), count(T0, good=-1), state(T0, "exploded"), state(T0, equipment="NOPE")])
    assert response.status_code == 422
    problems = {p["index"]: p["errors"] for p in response.json["events"]}
    assert set(problems) == {1, 2, 3}
    assert problems[1] == {"good": "must be between 0 and 1000000000"}
    assert problems[2]["state"].startswith("unknown state 'exploded'")
    assert problems[3] == {"equipment": "unknown machine 'NOPE'"}
    assert stored_rows(plant) == (0, 0)


@pytest.mark.parametrize(
    "event, field, message",
    [
        ({"type": "state", "equipment": "BAG1", "at": "2026-03-02T11:00:00", "state": "down"}, "at", "without an offset"),
        ({"type": "state", "equipment": "BAG1", "state": "down"}, "at", "missing"),
        ({"type": "state", "equipment": "BAG1", "at": "yesterday", "state": "down"}, "at", "not an ISO 8601"),
        ({"type": "count", "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "good": 1}, "reject", "missing"),
        ({"type": "count", "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "good": 1.5, "reject": 0}, "good", "whole"),
        ({"type": "count", "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "good": True, "reject": 0}, "good", "whole"),
        ({"type": "state", "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "state": "down", "reason": "X"},
         "reason", "unknown reason"),
        ({"type": "alarm", "equipment": "BAG1"}, "type", "'state' or 'count'"),
        ({"id": "", "type": "state", "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "state": "down"}, "id", "1 to 128"),
        ({"type": "state", "equipment": "BAG1", "at": "2099-01-01T00:00:00Z", "state": "down"}, "at", "future"),
    ],
)
def test_each_kind_of_bad_event_is_named(api, plant, event, field, message):
    response = api([event])
    assert response.status_code == 422
    assert message in response.json["events"][0]["errors"][field]
    assert stored_rows(plant) == (0, 0)


def test_a_replayed_batch_stores_nothing_twice(api, plant):
    batch = [state(T0, id="gw1-1"), count(T0, id="gw1-2"), count(T0, id="gw1-2")]
    assert api(batch).json == {"stored": 2, "duplicates": 1}
    assert api(batch).json == {"stored": 0, "duplicates": 3}
    assert stored_rows(plant) == (1, 1)


def test_events_without_ids_are_each_stored(api, plant):
    assert api([count(T0), count(T0)]).json["stored"] == 2


def test_a_late_state_takes_its_place_in_the_timeline(api, plant):
    api([state(T0, "running"), state(T0 + timedelta(minutes=20), "running")])
    api([state(T0 + timedelta(minutes=10), "down", reason="JAM")])  # arrives after, happened between
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    timeline = state_changes(plant, [bagger.id], T0, T0 + timedelta(hours=1))[bagger.id]
    assert [(c.at - T0, c.state) for c in timeline] == [
        (timedelta(0), "running"), (timedelta(minutes=10), "down"), (timedelta(minutes=20), "running")]


def test_auth_is_required_and_revoked_keys_stop_working(client, api, plant, api_key):
    assert client.post("/api/v1/events", json={"events": []}).status_code == 401
    bad = client.post("/api/v1/events", json={"events": []}, headers={"Authorization": "Bearer fb_wrong"})
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"].startswith("Bearer")
    assert api([]).status_code == 200
    name = next(k.name for k in list_api_keys(plant))
    revoke_api_key(plant, name)
    assert api([]).status_code == 401


def test_malformed_json_and_oversized_bodies(client, api):
    assert client.post("/api/v1/events", data="{nope", content_type="application/json",
                       headers=api.headers).status_code == 400
    assert client.post("/api/v1/events", json=[1, 2], headers=api.headers).status_code == 422
    huge = client.post("/api/v1/events", data="x" * (3 * 1024 * 1024), content_type="application/json",
                       headers=api.headers)
    assert huge.status_code == 413 and "smaller batches" in huge.json["error"]


def test_equipment_list_shows_state_and_since(client, api):
    api([state(T0, "running"), state(T0 + timedelta(minutes=3), "down", reason="JAM"),
         state(T0 + timedelta(minutes=4), "down", reason="JAM")])
    listed = {m["code"]: m for m in client.get("/api/v1/equipment", headers=api.headers).json}
    assert listed["BAG1"] == {"code": "BAG1", "name": "Bagger 1", "line": "L1", "state": "down", "reason": "JAM",
                              "state_since": iso(T0 + timedelta(minutes=3))}
    assert listed["MIX1"]["state"] == "no_data" and listed["MIX1"]["state_since"] is None
    assert len(listed) == 8


def test_counts_in_a_window(client, api):
    api([count(T0, 10, 1), count(T0 + timedelta(minutes=30), 5, 0), count(T0 + timedelta(hours=2), 7, 7)])
    url = "/api/v1/equipment/BAG1/counts?start={}&end={}"
    window = client.get(url.format("2026-03-02T11:00:00Z", "2026-03-02T12:00:00Z"), headers=api.headers)
    assert window.json == {"good": 15, "reject": 1}
    assert client.get(url.format("2026-03-02T11:00:00Z", "x"), headers=api.headers).json["parameter"] == "end"
    assert client.get("/api/v1/equipment/NOPE/counts", headers=api.headers).status_code == 404
    assert client.get("/api/v1/unknown", headers=api.headers).status_code == 404


event_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                         st.text(max_size=12), st.sampled_from(["BAG1", "running", "down", "2026-03-02T11:00:00Z"]))
events = st.lists(st.dictionaries(st.sampled_from(["id", "type", "equipment", "at", "state", "reason", "good",
                                                   "reject", "x"]), event_values, max_size=7), max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.one_of(events, st.lists(st.sampled_from([{"type": "count", "equipment": "BAG1",
                                                          "at": "2026-03-02T11:00:00Z", "good": 1, "reject": 0}]),
                                        max_size=3)))
def test_any_batch_is_either_stored_whole_or_refused_whole(api, plant, batch):
    before = stored_rows(plant)
    response = api(batch)
    after = stored_rows(plant)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert after == before and response.json["events"]
    else:
        assert sum(after) - sum(before) == response.json["stored"] == len(batch) - response.json["duplicates"]


def test_ids_differ_by_case_and_belong_to_their_sender(api, plant, client, db):
    from core.api_keys import create_api_key

    assert api([count(T0, id="x1"), count(T0, id="X1")]).json == {"stored": 2, "duplicates": 0}
    assert api([count(T0, id="x1 ")]).status_code == 422  # no spaces around ids: databases compare them apart
    other = create_api_key(db, "second-gateway")
    response = client.post("/api/v1/events", json={"events": [count(T0, id="x1")]},
                           headers={"Authorization": f"Bearer {other}"})
    assert response.json == {"stored": 1, "duplicates": 0}  # another device's x1 is another event


@pytest.mark.parametrize("event", [
    {"type": ["state"], "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "state": "down"},
    {"type": "state", "equipment": "BAG1", "at": "2026-03-02T11:00:00Z", "state": {"x": 1}},
    {"type": "state", "equipment": ["BAG1"], "at": "2026-03-02T11:00:00Z", "state": "down"},
    {"type": "state", "equipment": "BAG1", "at": "0001-01-01T00:00:00+01:00", "state": "down"},
])
def test_odd_values_are_refused_not_crashed_on(api, plant, event):
    assert api([event]).status_code == 422


def test_absurd_nesting_is_a_bad_request(client, api):
    response = client.post("/api/v1/events", data="[" * 100_000, content_type="application/json",
                           headers=api.headers)
    assert response.status_code == 400
