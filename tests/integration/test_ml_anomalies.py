"""Anomalies on a real store (SQLite, and MariaDB where configured): trained from five days of a bagger's minutes,
the half hour its cycle ran 20 % slower is found and stored once, the page shows it on its timeline and in its
table (or says plainly that there is no model), and the tag trend shades it for those who may see predictions."""

import json
from datetime import datetime, timedelta, timezone

import numpy as np
from sqlalchemy import func, insert, select, update

from core.ml import registry, service
from core.ml.anomaly import anomaly_stretches, find_anomalies, train_anomaly
from core.ml.anomaly_minutes import CYCLE_TIME, HOUR
from core.persistence.ml_tables import MlAnomaly, MlModelVersion
from core.persistence.plc_tables import TagMinute, TagSample
from core.plant.equipment import machines
from core.timeline import CountAt, StateAt, add_counts, add_state_changes
from pages.ids import Anomalies as ids
from pages.ids import Tags as tags_ids
from pages.ids import TagsFocus
from tests.integration.test_authorization_matrix import request_body, server_callbacks
from tests.support.dash_calls import call

NOW = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)  # the page reads the real clock
DAYS = 5
JUMP = (NOW - timedelta(hours=20), NOW - timedelta(hours=19, minutes=30))  # every unit takes 20 % longer
LONG_STOPS = [NOW - timedelta(hours=h) for h in (110, 95, 80, 66, 50, 36, 19, 15, 8)]  # 20 min down each
TAG = "Bagger.MotorTemp"
PAGE = [f"{ids.NOTE}.children", f"{ids.TIMELINE}.figure", f"{ids.GRID}.rowData"]


def write_bagger(db) -> int:
    """Five days of BAG1 running at about 54 units a minute, 20-minute breakdowns now and then (one of them 45
    minutes after the slow half hour), a count and a motor temperature every minute."""
    bagger = next(m.id for m in machines(db) if m.code == "BAG1")
    rng = np.random.default_rng(3)
    start = NOW - timedelta(days=DAYS)
    changes = [StateAt(bagger, start, "running", source="plc")]
    down = set()
    for stop in LONG_STOPS:
        changes += [StateAt(bagger, stop, "down", source="plc", fault_code="F04"),
                    StateAt(bagger, stop + timedelta(minutes=20), "running", source="plc")]
        down.update(int((stop - start).total_seconds() // 60) + k for k in range(20))
    minutes = DAYS * 1440
    speed = np.repeat(rng.normal(0.9, 0.02, minutes // 20 + 1), 20)[:minutes] + rng.normal(0, 0.02, minutes)
    counts, temperatures, samples = [], [], []
    for k in range(minutes):
        at = start + timedelta(minutes=k)
        if k in down:
            continue
        slow = 1.2 if JUMP[0] <= at < JUMP[1] else 1.0
        units = int(round(60 * speed[k] / slow + rng.normal(0, 1)))
        reject = int(rng.binomial(units, 0.01))
        counts.append(CountAt(bagger, at + timedelta(seconds=30), units - reject, reject, source="plc"))
        temperatures.append({"equipment_id": bagger, "tag": TAG, "minute_epoch": int(at.timestamp()),
                             "minimum": 64.0, "maximum": 66.0, "mean": float(65 + rng.normal(0, 0.5)), "reads": 60})
        if abs(at - JUMP[0]) < timedelta(hours=2):  # raw samples for the trend around the slow half hour
            samples.append({"equipment_id": bagger, "tag": TAG, "at_epoch": at.timestamp(),
                            "value": temperatures[-1]["mean"]})
    with db.begin() as session:
        add_state_changes(session, changes)
        add_counts(session, counts)
        session.execute(insert(TagMinute), temperatures)
        session.execute(insert(TagSample), samples)
    return bagger


def make_active(db, trained) -> int:
    with db.begin() as session:
        row = registry.store_version(session, registry.NewVersion(
            "anomaly", "test", trained.train_start, trained.train_end, trained.holdout_start, trained.holdout_end,
            trained.features, trained.metrics, trained.baseline_metrics, trained.artefact, trained.parameters), NOW)
        registry.activate(session, row, "test", NOW)
        return row.id


def check_training(bagger: int, result) -> None:
    assert list(result.artefact.machines) == [bagger]  # the other machines never ran: nothing to learn from
    assert "MIX1" in result.metrics["machines_without_enough_running"]
    assert result.train_end == result.holdout_start == NOW - timedelta(days=1)
    assert CYCLE_TIME in result.features and f"tag:{TAG}" in result.features
    metrics = result.metrics
    assert 0 < metrics["flagged_share"] < 0.1 and metrics["stretches"] >= 1
    # the slow half hour was followed by a long stop within 2 h; so were a few unflagged minutes
    assert metrics["lift_minutes_flagged_followed"] > 0 and metrics["lift"] is not None and metrics["lift"] > 1


def check_found_once(plant, bagger: int, result, version_id: int) -> None:
    stored = find_anomalies(plant, lambda: NOW, result.artefact, version_id, since=NOW - timedelta(hours=24))
    assert stored >= 1
    assert find_anomalies(plant, lambda: NOW, result.artefact, version_id, since=NOW - timedelta(hours=24)) == 0
    assert find_anomalies(plant, lambda: NOW + timedelta(minutes=30), result.artefact, version_id,
                          since=NOW - timedelta(hours=22)) == 0  # rescoring other windows stores nothing twice
    with plant() as session:
        assert session.scalar(select(func.count()).select_from(MlAnomaly)) == stored
    found = anomaly_stretches(plant, NOW - timedelta(days=1), NOW, [bagger])
    slow = [s for s in found if s.start < JUMP[1] and s.end > JUMP[0]]
    assert slow and all(s.machine == "BAG1" and s.feature.removesuffix(HOUR) == CYCLE_TIME for s in slow)
    assert all(s.detail.startswith("cycle time") and "slower than usual" in s.detail for s in slow)
    assert sum((min(s.end, JUMP[1]) - max(s.start, JUMP[0]) for s in slow), timedelta()) >= timedelta(minutes=25)
    assert anomaly_stretches(plant, NOW - timedelta(days=1), NOW, [bagger + 1000]) == []


def check_scan_resumes_after_an_outage(plant, version_id: int) -> None:
    """The jobs were down from 22 h ago: the next scan starts where the last one ended, not six hours back, so the
    slow half hour 20 h ago is found; and it records how far it scanned."""
    with plant.begin() as session:
        slow = session.scalars(select(MlAnomaly)).all()
        for row in slow:
            session.delete(row)
        session.execute(update(MlModelVersion).where(MlModelVersion.id == version_id)
                        .values(scanned_until=NOW - timedelta(hours=22)))
    assert service.find_new_anomalies(plant, NOW) == len(slow) >= 1
    found = anomaly_stretches(plant, NOW - timedelta(days=1), NOW)
    assert any(s.start < JUMP[1] and s.end > JUMP[0] for s in found)
    with plant() as session:
        assert session.get(MlModelVersion, version_id).scanned_until == NOW - timedelta(minutes=1)  # settled minute


def test_train_find_once_show_on_the_page_and_shade_the_trend(database_url, plant, login_as):
    # one test per database: the store, the app and the training are the slow part, and each step needs the last
    bagger = write_bagger(plant)
    engineer = login_as("engineer")
    routing = next(s for s in server_callbacks(engineer) if s["output"].startswith(".._pages_content"))
    body = request_body(routing)
    body["inputs"][0]["value"] = "/engineering/anomalies"
    page = json.dumps(engineer.post("/_dash-update-component", json=body).json)
    assert ids.TIMELINE in page and ids.GRID in page and "Not allowed" not in page
    operator = login_as("operator")
    assert "Not allowed" in json.dumps(operator.post("/_dash-update-component", json=body).json)
    empty = call(engineer, PAGE, [24, 0])
    assert "No anomaly model yet: run `floorboard ml train --model anomaly`" in json.dumps(empty[PAGE[0]])
    assert empty[PAGE[2]] == []

    result = train_anomaly(plant, lambda: NOW, train_days=4, holdout_days=1)
    check_training(bagger, result)
    version_id = make_active(plant, result)
    check_found_once(plant, bagger, result, version_id)
    check_scan_resumes_after_an_outage(plant, version_id)

    shown = call(engineer, PAGE, [24, 0])
    note = json.dumps(shown[PAGE[0]])
    assert "Anomaly model version 1" in note and "flagged" in note
    bars = [trace for trace in shown[PAGE[1]]["data"] if trace.get("type") == "bar"]
    assert bars and "BAG1" in bars[0]["y"] and any("slower than usual" in h[0] for h in bars[0]["customdata"])
    rows = shown[PAGE[2]]
    slow = next(r for r in rows if r["machine"] == "BAG1" and "cycle time" in r["detail"])
    assert slow["trend"].startswith("[Tag trend](/engineering/tags?machine=BAG1&start=")

    window = {"start": (JUMP[0] - timedelta(hours=1)).isoformat(), "end": (JUMP[1] + timedelta(hours=1)).isoformat()}
    inside = anomaly_stretches(plant, JUMP[0] - timedelta(hours=1), JUMP[1] + timedelta(hours=1), [bagger])
    outputs = [f"{tags_ids.TREND}.figure", f"{tags_ids.TREND_NOTE}.children"]
    figure = call(engineer, outputs, [[TAG], 8, None, window], ["BAG1"], changed=f"{TagsFocus.WINDOW}.data")[
        outputs[0]]
    bands = [shape for shape in figure["layout"].get("shapes", []) if shape.get("name") == "anomaly BAG1"]
    assert len(bands) == len(inside) >= 1
    assert any(a["text"].startswith("anomaly: cycle time") and "slower than usual" in a["text"]
               for a in figure["layout"].get("annotations", []))
    # a role that may see tag trends but not predictions gets the trend without the band
    mechanic = call(login_as("maintenance"), outputs, [[TAG], 8, None, window], ["BAG1"],
                    changed=f"{TagsFocus.WINDOW}.data")[outputs[0]]
    assert mechanic["data"] and not [s for s in mechanic["layout"].get("shapes", [])
                                     if s.get("name", "").startswith("anomaly")]
