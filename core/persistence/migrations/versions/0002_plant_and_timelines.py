"""plant and timelines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:43:26.871468
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from core.persistence.base import UTCDateTime

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('last_used_at', UTCDateTime(), nullable=True),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_prefix'), ['prefix'], unique=False)

    op.create_table('escalation_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=16).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=16), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=16), 'mysql'), nullable=False),
    sa.Column('levels', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('priority')
    )
    op.create_table('faults',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mysql'), nullable=False),
    sa.Column('bit', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('equipment', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('ingested_events',
    sa.Column('event_id', sa.String(length=200).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=200), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=200), 'mysql'), nullable=False),
    sa.Column('received_at', UTCDateTime(), nullable=False),
    sa.Column('api_key', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mysql'), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('reason_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mysql'), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('report_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=80), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=80), 'mysql'), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('line_code', sa.String(length=32), nullable=True),
    sa.Column('cron', sa.String(length=200), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('scheduler_leases',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('acquired_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=40), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=40), 'mysql'), nullable=False),
    sa.Column('start', sa.String(length=5), nullable=False),
    sa.Column('end', sa.String(length=5), nullable=False),
    sa.Column('days', sa.String(length=32), nullable=False),
    sa.Column('breaks', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('target_oee', sa.Double(), nullable=False),
    sa.Column('oee_policy', sa.String(length=8), nullable=False),
    sa.Column('startup_window_minutes', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('equipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=32), 'mysql'), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ideal_cycle_time_s', sa.Double(), nullable=False),
    sa.Column('micro_stop_threshold_s', sa.Double(), nullable=False),
    sa.Column('cost_per_hour', sa.Double(), nullable=False),
    sa.Column('unit_cost', sa.Double(), nullable=False),
    sa.Column('plc_driver', sa.String(length=16), nullable=True),
    sa.Column('plc_address', sa.String(length=120), nullable=False),
    sa.Column('plc_slot', sa.Integer(), nullable=False),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('equipment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equipment_line_id'), ['line_id'], unique=False)

    op.create_table('count_increments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('at_epoch', sa.BigInteger(), nullable=False),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('reject', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('count_increments', schema=None) as batch_op:
        batch_op.create_index('ix_count_increments_equipment_at', ['equipment_id', 'at'], unique=False)

    op.create_table('poll_baselines',
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('good_counter', sa.BigInteger(), nullable=True),
    sa.Column('reject_counter', sa.BigInteger(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=True),
    sa.Column('fault_code', sa.String(length=32), nullable=True),
    sa.Column('counted_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('equipment_id')
    )
    op.create_table('state_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('at_epoch', sa.Double(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=True),
    sa.Column('fault_code', sa.String(length=32), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('state_changes', schema=None) as batch_op:
        batch_op.create_index('ix_state_changes_equipment_at', ['equipment_id', 'at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_line_code', sa.String(length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('board_line_code')

    with op.batch_alter_table('state_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_state_changes_equipment_at')

    op.drop_table('state_changes')
    op.drop_table('poll_baselines')
    with op.batch_alter_table('count_increments', schema=None) as batch_op:
        batch_op.drop_index('ix_count_increments_equipment_at')

    op.drop_table('count_increments')
    with op.batch_alter_table('equipment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equipment_line_id'))

    op.drop_table('equipment')
    op.drop_table('site')
    op.drop_table('shifts')
    op.drop_table('scheduler_leases')
    op.drop_table('report_schedules')
    op.drop_table('reason_codes')
    op.drop_table('lines')
    op.drop_table('ingested_events')
    op.drop_table('faults')
    op.drop_table('escalation_rules')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_prefix'))

    op.drop_table('api_keys')
