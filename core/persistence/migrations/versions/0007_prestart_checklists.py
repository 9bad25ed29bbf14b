"""pre-start checklists: checklist templates (their items inside, as JSON) and completions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from core.persistence.base import UTCDateTime, code_column


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checklist_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', code_column(32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('line_code', sa.String(length=32), nullable=True),
    sa.Column('equipment', sa.Text(), nullable=False),
    sa.Column('required', sa.String(length=24), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('checklist_completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', UTCDateTime(), nullable=False),
    sa.Column('completed_by', sa.String(length=64), nullable=False),
    sa.Column('shift_day', sa.Date(), nullable=False),
    sa.Column('shift_name', sa.String(length=40), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('failed', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb'), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('andon_call_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['andon_call_id'], ['andon_calls.id'], ),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checklist_completions', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_completions_machine', ['equipment_id', 'template_id', 'completed_at'],
                              unique=False)
        batch_op.create_index('ix_checklist_completions_shift', ['shift_day', 'shift_name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('checklist_completions', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_completions_shift')
        batch_op.drop_index('ix_checklist_completions_machine')
    op.drop_table('checklist_completions')
    op.drop_table('checklist_templates')
