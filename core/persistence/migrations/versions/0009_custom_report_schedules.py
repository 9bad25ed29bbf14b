"""custom report schedules: the sections and lines a scheduled custom report is made of

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds a NOT NULL column only with a default; existing schedules get empty lists (not custom).
    with op.batch_alter_table('report_schedules') as batch_op:
        batch_op.add_column(sa.Column('sections', sa.Text(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('lines', sa.Text(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('report_schedules') as batch_op:
        batch_op.drop_column('lines')
        batch_op.drop_column('sections')
