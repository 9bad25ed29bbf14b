"""Alembic environment: runs on the connection Floorboard hands over (see core.persistence.schema)."""

from alembic import context

from core.persistence.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `floorboard init` (core.persistence.schema.upgrade_to_head)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
