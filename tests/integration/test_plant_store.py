"""Loading the plant into the database: idempotent, one transaction, removed items deactivated with history kept."""

from datetime import datetime, timezone

from sqlalchemy import func, select

from core.persistence.plant_tables import EquipmentRow
from core.persistence.timeline_tables import StateChange
from core.plant.config_file import dump_plant_toml, parse_plant_toml, read_plant_file
from core.plant.config_store import apply_plant_config, read_plant_config
from core.plant.equipment import machines, site_calendar
from core.timeline import StateAt, add_state_changes
from tests.conftest import EXAMPLE_PLANT


def test_load_twice_changes_nothing_and_dump_is_a_fixed_point(database_url, db):
    config = read_plant_file(EXAMPLE_PLANT)
    first = apply_plant_config(db, config)
    assert first.created["equipment"] == 8 and first.created["shifts"] == 3
    second = apply_plant_config(db, config)
    assert not second.any and second.summary() == "no changes"
    stored = read_plant_config(db)
    assert stored == config
    assert not apply_plant_config(db, parse_plant_toml(dump_plant_toml(stored))).any


def test_a_removed_machine_is_deactivated_and_keeps_its_history(database_url, db):
    config = read_plant_file(EXAMPLE_PLANT)
    apply_plant_config(db, config)
    checker = next(m for m in machines(db) if m.code == "CHK1")
    with db.begin() as session:
        add_state_changes(session, [StateAt(checker.id, datetime(2026, 3, 2, tzinfo=timezone.utc), "running")])
    text = _example_text()
    start = text.index('[[lines.equipment]]\ncode = "CHK1"')
    end = text.index("[[lines.equipment]]", start + 10)
    changes = apply_plant_config(db, parse_plant_toml(text[:start] + text[end:]))
    assert changes.deactivated["equipment"] == 1 and "deactivated 1 equipment" in changes.summary()
    assert "CHK1" not in {m.code for m in machines(db)}
    with db() as session:
        assert session.scalar(select(EquipmentRow.active).where(EquipmentRow.code == "CHK1")) is False
        assert session.scalar(select(func.count()).select_from(StateChange)) == 1
    assert "CHK1" not in dump_plant_toml(read_plant_config(db))
    # back in the file: the same row comes back to life, with its history
    assert apply_plant_config(db, config).updated["equipment"] >= 1  # back, and the others move up again
    assert next(m for m in machines(db) if m.code == "CHK1").id == checker.id


def test_an_edit_updates_in_place(database_url, db):
    apply_plant_config(db, read_plant_file(EXAMPLE_PLANT))
    text = _example_text().replace('timezone = "America/New_York"', 'timezone = "Europe/Berlin"')
    changes = apply_plant_config(db, parse_plant_toml(text))
    assert changes.updated == {**{k: 0 for k in changes.updated}, "site": 1}
    assert site_calendar(db).zone.key == "Europe/Berlin"


def _example_text() -> str:
    with open(EXAMPLE_PLANT, encoding="utf-8") as handle:
        return handle.read()
