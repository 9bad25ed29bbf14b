"""maintenance work orders, their tasks and preventive maintenance plans

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime, code_column

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('maintenance_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(32), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('interval', sa.Double(), nullable=False),
    sa.Column('grace_days', sa.Double(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('counting_from', UTCDateTime(), nullable=False),
    sa.Column('last_done_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('maintenance_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('stop_id', sa.BigInteger(), nullable=True),
    sa.Column('stop_start', UTCDateTime(), nullable=True),
    sa.Column('andon_call_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('assignee', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('started_by', sa.String(length=64), nullable=True),
    sa.Column('done_at', UTCDateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=64), nullable=True),
    sa.Column('minutes_spent', sa.Integer(), nullable=True),
    sa.Column('parts_used', sa.Text(), nullable=True),
    sa.Column('parts_cost', sa.Double(), nullable=True),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('open_for', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['andon_call_id'], ['andon_calls.id'], ),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['maintenance_plans.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('open_for')
    )
    op.create_index('ix_maintenance_orders_state', 'maintenance_orders', ['state'], unique=False)
    op.create_index('ix_maintenance_orders_equipment_done', 'maintenance_orders', ['equipment_id', 'done_at'],
                    unique=False)
    op.create_index('ix_maintenance_orders_stop_id', 'maintenance_orders', ['stop_id'], unique=False)
    op.create_index('ix_maintenance_orders_andon_call_id', 'maintenance_orders', ['andon_call_id'], unique=False)
    op.create_index('ix_maintenance_orders_plan_id', 'maintenance_orders', ['plan_id'], unique=False)
    op.create_table('maintenance_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_by', sa.String(length=64), nullable=True),
    sa.Column('done_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['maintenance_orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_maintenance_tasks_order_id', 'maintenance_tasks', ['order_id'], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes (an index a foreign key uses could not be dropped alone on MariaDB);
    # the tables that refer to another go first
    for table in ('maintenance_tasks', 'maintenance_orders', 'maintenance_plans'):
        op.drop_table(table)
