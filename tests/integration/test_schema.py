"""Migrations run on SQLite and MariaDB, keep data when run again, and match the ORM models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from core.accounts import create_user, list_users
from core.database_setup import prepare_database
from core.persistence.database import make_engine, make_session_factory
from core.persistence.models import Base
from core.persistence.schema import current_revision, head_revision, is_at_head
from core.permissions import ROLES


def test_init_creates_every_table_and_reaches_head(database_url):
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    prepare_database(engine)
    assert is_at_head(engine) and current_revision(engine) == head_revision()
    assert {"users", "roles", "audit_log", "login_attempts"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_init_again_keeps_the_data(database_url):
    engine = make_engine(database_url)
    prepare_database(engine)
    db = make_session_factory(engine)
    create_user(db, "maria", "operator", "bagging-Line-1")
    prepare_database(engine)
    assert [u.username for u in list_users(db)] == ["maria"]
    engine.dispose()


def test_roles_table_holds_the_roles_of_the_code(database_url):
    engine = make_engine(database_url)
    prepare_database(engine)
    with engine.connect() as connection:
        stored = {row.name for row in connection.exec_driver_sql("SELECT name FROM roles")}
    assert stored == set(ROLES)
    engine.dispose()


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    prepare_database(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       Base.metadata)
    assert differences == []
    engine.dispose()


def test_an_instance_with_plant_and_timelines_upgrades_from_0003_to_head(database_url):
    """Upgrading keeps stored data, with foreign keys enforced (SQLite must not rebuild referenced tables)."""
    from datetime import datetime

    from alembic import command
    from sqlalchemy import column, table

    from core.persistence.schema import _alembic_config
    from core.plant.equipment import machines

    engine = make_engine(database_url)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        def insert(table_name: str, **values):
            connection.execute(table(table_name, *(column(name) for name in values)).insert().values(**values))

        insert("lines", id=1, code="L1", name="Line", position=0, active=True)
        insert("equipment", id=1, code="BAG1", name="Bagger", line_id=1, position=0, ideal_cycle_time_s=1.0,
               micro_stop_threshold_s=120.0, cost_per_hour=0.0, unit_cost=0.0, plc_driver="sim", plc_address="",
               plc_slot=0, tags='{"running": "R"}', active=True)
        insert("state_changes", equipment_id=1, at=datetime(2026, 3, 2, 12), at_epoch=0.0, state="running",
               source="api")
    prepare_database(engine)
    assert is_at_head(engine)
    bagger = machines(make_session_factory(engine))[0]
    assert (bagger.code, bagger.plc_rate_s, bagger.plc_timeout_s, bagger.trend_tags, bagger.tag_types) == (
        "BAG1", 1.0, 2.0, (), {})
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM state_changes").scalar() == 1
    engine.dispose()


ISSUE_9_TABLES = {"maintenance_plans", "maintenance_orders", "maintenance_tasks", "defect_codes",
                  "quality_check_templates", "quality_characteristics", "quality_checks", "quality_measurements",
                  "scrap_entries", "trials", "fault_rules"}


def test_downgrading_to_0010_drops_the_newer_tables_and_upgrading_brings_them_back(database_url):
    """Each downgrade runs on MariaDB too (InnoDB refuses to drop alone an index a foreign key uses)."""
    from alembic import command

    from core.persistence.schema import _alembic_config

    engine = make_engine(database_url)
    config = _alembic_config()

    def migrate(step, revision: str) -> set[str]:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)
        return set(inspect(engine).get_table_names())

    at_0010 = migrate(command.upgrade, "0010")
    at_head = migrate(command.upgrade, "head")
    assert ISSUE_9_TABLES <= at_head - at_0010
    assert migrate(command.downgrade, "0010") == at_0010 and current_revision(engine) == "0010"
    assert migrate(command.upgrade, "head") == at_head and is_at_head(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       Base.metadata)
    assert differences == []
    engine.dispose()
