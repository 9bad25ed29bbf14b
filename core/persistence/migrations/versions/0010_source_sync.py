"""source sync: sources, synced rows, quarantine, operators and machine jobs; timeline rows know their synced row

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime, code_column

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table('sync_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', code_column(32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('settings', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('watermark_id', sa.BigInteger(), nullable=True),
    sa.Column('watermark_updated', UTCDateTime(), nullable=True),
    sa.Column('run_requested_at', UTCDateTime(), nullable=True),
    sa.Column('retry_requested_at', UTCDateTime(), nullable=True),
    sa.Column('requested_by', sa.String(length=64), nullable=True),
    sa.Column('run_started_at', UTCDateTime(), nullable=True),
    sa.Column('run_finished_at', UTCDateTime(), nullable=True),
    sa.Column('run_alive_at', UTCDateTime(), nullable=True),
    sa.Column('run_ok', sa.Boolean(), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_written', sa.Integer(), nullable=False),
    sa.Column('rows_quarantined', sa.Integer(), nullable=False),
    sa.Column('last_success_at', UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', UTCDateTime(), nullable=True),
    sa.Column('failing_since', UTCDateTime(), nullable=True),
    sa.Column('lag_rows', sa.BigInteger(), nullable=True),
    sa.Column('lag_seconds', sa.Double(), nullable=True),
    sa.Column('total_read', sa.BigInteger(), nullable=False),
    sa.Column('total_written', sa.BigInteger(), nullable=False),
    sa.Column('runs_failed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('synced_rows',
    sa.Column('id', BigId, nullable=False, autoincrement=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('source_row_id', sa.BigInteger(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('start_at', UTCDateTime(), nullable=False),
    sa.Column('end_at', UTCDateTime(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('job_number', sa.String(length=64), nullable=True),
    sa.Column('part_code', sa.String(length=32), nullable=True),
    sa.Column('operator_code', sa.String(length=64), nullable=True),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('reject', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=32), nullable=False),
    sa.Column('synced_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id']),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'source_row_id', name='uq_synced_rows_source_row')
    )
    op.create_index('ix_synced_rows_machine_start', 'synced_rows', ['source_id', 'equipment_id', 'start_at'])
    op.create_table('sync_quarantine',
    sa.Column('id', BigId, nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('source_row_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('first_seen_at', UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', UTCDateTime(), nullable=False),
    sa.Column('times_seen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'source_row_id', name='uq_sync_quarantine_source_row')
    )
    op.create_table('operators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(64), nullable=False),
    sa.Column('first_seen_at', UTCDateTime(), nullable=False),
    sa.Column('seen_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('machine_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('number', code_column(64), nullable=False),
    sa.Column('part_code', sa.String(length=32), nullable=True),
    sa.Column('first_seen_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'number', name='uq_machine_jobs_source_number')
    )
    op.create_table('rollup_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('made_by', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    for table in ('state_changes', 'count_increments', 'product_changes'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('sync_row_id', sa.BigInteger(), nullable=True))
            batch_op.create_index(f'ix_{table}_sync_row_id', ['sync_row_id'], unique=False)
    with op.batch_alter_table('products') as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=40), nullable=False, server_default='plant'))


def downgrade() -> None:
    with op.batch_alter_table('products') as batch_op:
        batch_op.drop_column('origin')
    for table in ('product_changes', 'count_increments', 'state_changes'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f'ix_{table}_sync_row_id')
            batch_op.drop_column('sync_row_id')
    op.drop_table('rollup_requests')
    op.drop_table('machine_jobs')
    op.drop_table('operators')
    op.drop_table('sync_quarantine')
    op.drop_index('ix_synced_rows_machine_start', table_name='synced_rows')
    op.drop_table('synced_rows')
    op.drop_table('sync_sources')
