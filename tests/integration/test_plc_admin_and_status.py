"""What the PLC pages stand on: saving a machine's PLC settings (checked, audited, dumped), testing a connection,
the scanner's published reports, tag trends down-sampled."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select

from callbacks.plc_connections import warnings
from core import audit
from core.accounts import Actor
from core.audit import AuditFilter
from core.persistence.plc_tables import TagMinute, TagSample
from core.plant.config_file import dump_plant_toml
from core.plant.config_store import read_plant_config
from core.plant.equipment import machines
from core.plc.connection_status import ConnectionReport, connection_reports, publish_connection_reports
from core.plc.machine_plc_settings import (
    MachinePlcSettings, PlcSettingsError, machine_plc_settings, save_machine_plc, try_plc_connection,
)
from core.plc.tag_trends import tag_trends
from tests.support.plc_plant import CONTROLLER_TAGS

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
LOGIX = MachinePlcSettings("logix", "10.0.0.5", 0, 0.5, 1.5, {"running": "Running", "good": "GoodCount"},
                           ["Speed"], {"Running": "BOOL", "GoodCount": "DINT", "Speed": "REAL"}, {"Speed": 0.5})


def test_saved_plc_settings_are_audited_and_dumped_with_the_plant(database_url, plant):
    save_machine_plc(plant, "CHK1", LOGIX, Actor("ada", "10.1.1.1"))
    assert machine_plc_settings(plant, "CHK1") == LOGIX
    dumped = dump_plant_toml(read_plant_config(plant))
    assert 'address = "10.0.0.5"' in dumped and 'Speed = "REAL"' in dumped
    entry = audit.find_entries(plant, AuditFilter(action="plant.plc_changed")).records[0]
    assert (entry.actor, entry.target) == ("ada", "CHK1")
    detail = json.loads(entry.detail)
    assert detail["before"]["driver"] == "sim" and detail["after"]["address"] == "10.0.0.5"


def test_bad_plc_settings_are_refused_with_every_problem_and_nothing_is_saved(database_url, plant):
    before = machine_plc_settings(plant, "CHK1")
    bad = MachinePlcSettings("logix", "", 0, 1.0, 1.0, {"running": "Running", "colour": "Red"}, ["Running"])
    with pytest.raises(PlcSettingsError) as error:
        save_machine_plc(plant, "CHK1", bad, Actor("ada"))
    assert any("needs an address" in p for p in error.value.problems)
    assert any("unknown tag role(s) colour" in p for p in error.value.problems)
    assert machine_plc_settings(plant, "CHK1") == before


def test_a_connection_test_reads_every_tag_once_or_says_why_not(database_url, plant, controller):
    controller.writer().write({"GoodCount": 7})
    settings = MachinePlcSettings("logix", controller.address, 0, 1.0, 1.0,
                                  {"running": "Running", "good": "GoodCount"}, ["Nope"],
                                  {**{tag: CONTROLLER_TAGS[tag] for tag in ("Running", "GoodCount")}, "Nope": "DINT"})
    result = try_plc_connection(plant, "CHK1", settings, lambda: T0)
    assert result.ok and result.values["GoodCount"].value == 7
    assert "Nope" in result.values and not result.values["Nope"].good  # a tag the controller does not have
    controller.stop()
    gone = try_plc_connection(plant, "CHK1", settings, lambda: T0)
    assert not gone.ok and "open failed" in gone.error


def report(connection="logix://10.0.0.5/0", updated=T0, depth=0, overflow=0, refused=0):
    return ConnectionReport(connection, "connected", ("BAG1",), T0, None, None, 0, 10, 3.5,
                            {"BAG1": {"Running": (True, None)}}, depth, overflow, updated, refused)


def test_published_reports_replace_the_old_ones_and_warn_about_the_spool_and_silence(database_url, plant):
    publish_connection_reports(plant, [report(), report("sim://MIX1")])
    publish_connection_reports(plant, [report(depth=5_000, overflow=12, refused=3)])
    stored = connection_reports(plant)
    assert [r.connection for r in stored] == ["logix://10.0.0.5/0"]
    assert stored[0].values == {"BAG1": {"Running": (True, None)}}
    shown = " ".join(str(alert.children) for alert in warnings(stored, T0 + timedelta(minutes=5)))
    assert "12 readings were refused" in shown and "5,000 readings wait" in shown and "last reported" in shown
    assert "refused 3 readings as data" in shown


def test_trends_are_down_sampled_and_long_windows_read_minutes(database_url, plant):
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    start = T0.timestamp()
    with plant.begin() as session:
        session.execute(insert(TagSample), [{"equipment_id": bagger.id, "tag": "Speed", "at_epoch": start + s,
                                             "value": float(s % 97)} for s in range(-5, 10_000)])
        session.execute(insert(TagMinute), [{"equipment_id": bagger.id, "tag": "Speed", "minute_epoch": int(start) + 60 * m,
                                             "minimum": 1.0, "maximum": 9.0, "mean": 5.0, "reads": 60}
                                            for m in range(3_000)])
    short = tag_trends(plant, bagger.id, ["Speed"], T0, T0 + timedelta(hours=2))[0]
    assert short.resolution == "samples" and len(short.times) == 2_000
    assert short.times[0] == T0 and short.values[0] == float(-1 % 97)  # the value holding at the start
    assert max(short.values) == 96.0  # the peaks survive the down-sampling
    long = tag_trends(plant, bagger.id, ["Speed"], T0, T0 + timedelta(days=3))[0]
    assert long.resolution == "minutes" and len(long.times) == 2_000 and set(long.highs) == {9.0}


def test_trend_rows_past_their_retention_are_pruned_in_batches(database_url, plant):
    from core.plc.trend_retention import prune_trends

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    now = T0
    with plant.begin() as session:
        session.execute(insert(TagSample), [{"equipment_id": bagger.id, "tag": "Speed", "value": 1.0,
                                             "at_epoch": (now - timedelta(days=days)).timestamp()}
                                            for days in (40, 35, 31, 29, 1)])
        session.execute(insert(TagMinute), [{"equipment_id": bagger.id, "tag": "Speed", "minimum": 1.0, "maximum": 1.0,
                                             "mean": 1.0, "reads": 1,
                                             "minute_epoch": int((now - timedelta(days=days)).timestamp())}
                                            for days in (800, 731, 700)])
    pruned = prune_trends(plant, now, batch=2)
    assert (pruned.samples, pruned.minutes) == (3, 2)
    with plant() as session:
        assert [session.scalar(select(func.count()).select_from(t)) for t in (TagSample, TagMinute)] == [2, 1]
