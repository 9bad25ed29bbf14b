"""products work orders and jobs: products with ideal cycles per machine, work orders and operator jobs

poll_baselines.job_changeover: a job's changeover is open on the machine (idle readings are stored as changeover).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime, code_column


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit_cost', sa.Double(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('product_ideal_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('ideal_cycle_time_s', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('product_id', 'equipment_id', name='uq_product_ideal_cycle')
    )
    op.create_table('product_changes',
    sa.Column('id', BigId, nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('ideal_cycle_time_s', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_product_changes_equipment_at', 'product_changes', ['equipment_id', 'at'], unique=False)
    op.create_table('work_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', code_column(32), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('equipment_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('lot_number', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_at', UTCDateTime(), nullable=False),
    sa.Column('assigned_by', sa.String(length=64), nullable=False),
    sa.Column('accepted_at', UTCDateTime(), nullable=True),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('finished_by', sa.String(length=64), nullable=True),
    sa.Column('good', sa.Integer(), nullable=True),
    sa.Column('scrap', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('in_progress_on', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['in_progress_on'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('in_progress_on', name='uq_jobs_in_progress_on')
    )
    op.create_index('ix_jobs_work_order_id', 'jobs', ['work_order_id'], unique=False)
    op.create_index('ix_jobs_operator_status', 'jobs', ['operator', 'status'], unique=False)
    op.create_index('ix_jobs_status', 'jobs', ['status'], unique=False)
    with op.batch_alter_table('poll_baselines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_changeover', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('poll_baselines', schema=None) as batch_op:
        batch_op.drop_column('job_changeover')
    op.drop_index('ix_jobs_status', table_name='jobs')
    op.drop_index('ix_jobs_operator_status', table_name='jobs')
    op.drop_index('ix_jobs_work_order_id', table_name='jobs')
    op.drop_table('jobs')
    op.drop_table('work_orders')
    op.drop_index('ix_product_changes_equipment_at', table_name='product_changes')
    op.drop_table('product_changes')
    op.drop_table('product_ideal_cycles')
    op.drop_table('products')
