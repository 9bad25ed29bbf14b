"""defect codes, quality check templates and results, scrap entries

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime, code_column

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('defect_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('quality_check_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('equipment', sa.Text(), nullable=False),
    sa.Column('line_code', sa.String(length=32), nullable=True),
    sa.Column('product_code', sa.String(length=32), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('quality_characteristics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('nominal', sa.Double(), nullable=True),
    sa.Column('lower_limit', sa.Double(), nullable=True),
    sa.Column('upper_limit', sa.Double(), nullable=True),
    sa.Column('samples', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['quality_check_templates.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('template_id', 'code', name='uq_quality_characteristic')
    )
    op.create_table('quality_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', UTCDateTime(), nullable=False),
    sa.Column('checked_by', sa.String(length=64), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('andon_call_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['andon_call_id'], ['andon_calls.id'], ),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['quality_check_templates.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_quality_checks_equipment_at', 'quality_checks', ['equipment_id', 'checked_at'])
    op.create_index('ix_quality_checks_at', 'quality_checks', ['checked_at'])
    op.create_table('quality_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('characteristic_id', sa.Integer(), nullable=False),
    sa.Column('sample', sa.Integer(), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('lower_limit', sa.Double(), nullable=True),
    sa.Column('upper_limit', sa.Double(), nullable=True),
    sa.Column('in_limits', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['characteristic_id'], ['quality_characteristics.id'], ),
    sa.ForeignKeyConstraint(['check_id'], ['quality_checks.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_quality_measurements_check_id', 'quality_measurements', ['check_id'])
    op.create_index('ix_quality_measurements_characteristic', 'quality_measurements',
                    ['characteristic_id', 'check_id'])
    op.create_table('scrap_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('defect_code', code_column(32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('classified', sa.Integer(), nullable=False),
    sa.Column('moved', sa.Integer(), nullable=False),
    sa.Column('count_increment_id', sa.BigInteger(), nullable=True),
    sa.Column('voided_at', UTCDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_scrap_entries_equipment_at', 'scrap_entries', ['equipment_id', 'at'])
    op.create_index('ix_scrap_entries_at', 'scrap_entries', ['at'])


def downgrade() -> None:
    # Dropping a table drops its indexes (an index a foreign key uses could not be dropped alone on MariaDB)
    for table in ('scrap_entries', 'quality_measurements', 'quality_checks', 'quality_characteristics',
                  'quality_check_templates', 'defect_codes'):
        op.drop_table(table)
