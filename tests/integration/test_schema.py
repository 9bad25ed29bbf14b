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
