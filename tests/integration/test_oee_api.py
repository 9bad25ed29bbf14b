"""GET /api/v1/oee: the engine's figures for a machine, a line or the plant; bad parameters named."""

from datetime import datetime, timedelta, timezone

import pytest

from core.timeline import CountAt, StateAt, add_counts, add_state_changes
from core.plant.equipment import machines

# Monday 2 March 2026, Early shift 06:00-14:00 New York (11:00-19:00 UTC), breaks 09:00+15 and 11:30+30
SHIFT_START = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)


@pytest.fixture
def api(client, plant, api_key):
    def get(**params):
        return client.get("/api/v1/oee", query_string=params, headers={"Authorization": f"Bearer {api_key}"})

    return get


@pytest.fixture
def shift_data(plant):
    """Bagger 1 (ideal 1 s): runs the shift, one 60-minute breakdown; 20,000 good and 400 rejects."""
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    at = lambda minutes: SHIFT_START + timedelta(minutes=minutes)  # noqa: E731
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(60), "down", "MOTOR"),
                                    StateAt(bagger.id, at(120), "running")])
        add_counts(session, [CountAt(bagger.id, at(30), 10_000, 200), CountAt(bagger.id, at(400), 10_000, 200)])
    return bagger


def test_a_machine_over_a_shift(api, shift_data):
    body = api(equipment="BAG1", date="2026-03-02", shift="Early").json
    planned = (480 - 45) * 60
    assert body["planned_production_time_s"] == pytest.approx(planned)
    assert body["run_time_s"] == pytest.approx(planned - 3600)
    assert body["availability"] == pytest.approx((planned - 3600) / planned)
    assert body["performance"] == pytest.approx(20_400 / (planned - 3600))
    assert body["quality"] == pytest.approx(20_000 / 20_400)
    assert body["oee"] == pytest.approx(20_000 / planned)
    assert body["total_count"] == 20_400 and body["good_count"] == 20_000 and body["reject_count"] == 400
    assert body["losses"]["breakdowns_s"] == pytest.approx(3600)
    assert body["explanation"]["ideal_cycle_times_s"] == {"BAG1": 1.0}
    assert body["explanation"]["window"]["label"] == "Early shift of 2026-03-02"


def test_the_same_window_by_start_and_end(api, shift_data):
    by_shift = api(equipment="BAG1", date="2026-03-02", shift="Early").json
    by_window = api(equipment="BAG1", start="2026-03-02T11:00:00Z", end="2026-03-02T19:00:00Z").json
    assert by_window["oee"] == pytest.approx(by_shift["oee"])


def test_a_line_and_the_plant_are_time_weighted(api, shift_data):
    line = api(line="L1", date="2026-03-02", shift="Early").json
    # the three other L1 machines were never heard: no planned time of theirs counts
    assert line["oee"] == pytest.approx(api(equipment="BAG1", date="2026-03-02", shift="Early").json["oee"])
    assert line["scope"]["machines"] == ["MIX1", "BAG1", "CHK1", "PAL1"]
    assert line["losses"]["no_data_s"] == pytest.approx(3 * 435 * 60)
    plant = api(date="2026-03-02", shift="Early").json
    assert plant["oee"] == pytest.approx(line["oee"])


def test_a_window_without_planned_time_gives_nulls(api, shift_data):
    body = api(equipment="BAG1", start="2026-03-01T11:00:00Z", end="2026-03-01T19:00:00Z").json  # Sunday
    assert body["availability"] is None and body["oee"] is None and body["planned_production_time_s"] == 0


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"equipment": "NOPE", "start": "2026-03-02T11:00:00Z", "end": "2026-03-02T19:00:00Z"}, "equipment"),
        ({"line": "L9", "start": "2026-03-02T11:00:00Z", "end": "2026-03-02T19:00:00Z"}, "line"),
        ({"start": "2026-03-02T11:00:00", "end": "2026-03-02T19:00:00Z"}, "start"),
        ({"start": "yesterday", "end": "2026-03-02T19:00:00Z"}, "start"),
        ({"start": "2026-03-02T19:00:00Z", "end": "2026-03-02T11:00:00Z"}, "end"),
        ({"start": "2026-03-02T11:00:00Z"}, "end"),
        ({"date": "2026-03-02", "shift": "Lunch"}, "shift"),
        ({"date": "2026-03-01", "shift": "Early"}, "date"),
        ({"date": "02/03/2026", "shift": "Early"}, "date"),
        ({"shift": "Early"}, "date"),
    ],
)
def test_bad_parameters_answer_422_naming_them(api, plant, params, parameter):
    response = api(**params)
    assert response.status_code == 422
    assert response.json["parameter"] == parameter and response.json["error"].startswith(parameter)
