"""report runs: the history of built reports and their email delivery

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime, code_column


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_name', code_column(80), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('line_code', sa.String(length=32), nullable=True),
    sa.Column('shift_name', sa.String(length=32), nullable=True),
    sa.Column('window_start', UTCDateTime(), nullable=False),
    sa.Column('window_end', UTCDateTime(), nullable=False),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('requested_by', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('build_s', sa.Double(), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('schedule_name', 'due_at', name='uq_report_runs_slot')
    )
    op.create_index('ix_report_runs_created_at', 'report_runs', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_report_runs_created_at', table_name='report_runs')
    op.drop_table('report_runs')
