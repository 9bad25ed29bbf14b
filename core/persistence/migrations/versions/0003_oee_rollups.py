"""oee rollups

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:31:50.918129
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rollup_watermarks',
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('last_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('oee_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('period_start', UTCDateTime(), nullable=False),
    sa.Column('period_end', UTCDateTime(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('computed_at', UTCDateTime(), nullable=False),
    sa.Column('all_s', sa.Double(), nullable=False),
    sa.Column('not_scheduled_s', sa.Double(), nullable=False),
    sa.Column('break_s', sa.Double(), nullable=False),
    sa.Column('planned_stop_s', sa.Double(), nullable=False),
    sa.Column('no_data_s', sa.Double(), nullable=False),
    sa.Column('running_s', sa.Double(), nullable=False),
    sa.Column('small_stop_s', sa.Double(), nullable=False),
    sa.Column('down_s', sa.Double(), nullable=False),
    sa.Column('changeover_s', sa.Double(), nullable=False),
    sa.Column('idle_s', sa.Double(), nullable=False),
    sa.Column('good', sa.BigInteger(), nullable=False),
    sa.Column('reject', sa.BigInteger(), nullable=False),
    sa.Column('startup_reject', sa.BigInteger(), nullable=False),
    sa.Column('ideal_total_s', sa.Double(), nullable=False),
    sa.Column('ideal_good_s', sa.Double(), nullable=False),
    sa.Column('ideal_startup_reject_s', sa.Double(), nullable=False),
    sa.Column('outside_good', sa.BigInteger(), nullable=False),
    sa.Column('outside_reject', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('equipment_id', 'period', 'period_start')
    )
    with op.batch_alter_table('oee_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_oee_rollups_period_start', ['period', 'period_start'], unique=False)

    op.create_table('stop_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('period_start', UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=False),
    sa.Column('began', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stop_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_stop_rollups_period_start', ['period_start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stop_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_stop_rollups_period_start')

    op.drop_table('stop_rollups')
    with op.batch_alter_table('oee_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_oee_rollups_period_start')

    op.drop_table('oee_rollups')
    op.drop_table('rollup_watermarks')
