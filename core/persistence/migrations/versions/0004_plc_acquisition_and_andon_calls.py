"""plc acquisition and andon calls

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:43:19.160115
"""

import sqlalchemy as sa
from alembic import op

from core.persistence.base import UTCDateTime, code_column


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plc_connections',
    sa.Column('connection', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('machines', sa.Text(), nullable=False),
    sa.Column('last_good_read_at', UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', UTCDateTime(), nullable=True),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('reads', sa.Integer(), nullable=False),
    sa.Column('latency_ms', sa.Double(), nullable=True),
    sa.Column('values', sa.Text(), nullable=False),
    sa.Column('spool_depth', sa.Integer(), nullable=False),
    sa.Column('spool_overflow', sa.Integer(), nullable=False),
    sa.Column('spool_refused', sa.Integer(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('connection')
    )
    op.create_table('spool_watermarks',
    sa.Column('spool_id', sa.String(length=64), nullable=False),
    sa.Column('applied_seq', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('spool_id')
    )
    op.create_table('andon_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', UTCDateTime(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('raised_by', sa.String(length=64), nullable=False),
    sa.Column('fault_code', sa.String(length=32), nullable=True),
    sa.Column('reason_code', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('acknowledged_at', UTCDateTime(), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('andon_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_andon_calls_equipment_id'), ['equipment_id'], unique=False)
        batch_op.create_index('ix_andon_calls_status_raised', ['status', 'raised_at'], unique=False)

    op.create_table('andon_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('after_minutes', sa.Double(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('recipient', code_column(254), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=True),
    sa.Column('read_at', UTCDateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['andon_calls.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id', 'phase', 'after_minutes', 'channel', 'recipient', name='uq_andon_notice')
    )
    with op.batch_alter_table('andon_notices', schema=None) as batch_op:
        batch_op.create_index('ix_andon_notices_recipient', ['channel', 'recipient'], unique=False)
        batch_op.create_index('ix_andon_notices_status_next', ['status', 'next_attempt_at'], unique=False)

    op.create_table('plc_outages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=False),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plc_outages', schema=None) as batch_op:
        batch_op.create_index('ix_plc_outages_equipment_started', ['equipment_id', 'started_at'], unique=False)

    op.create_table('tag_minutes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=120), nullable=False),
    sa.Column('minute_epoch', sa.BigInteger(), nullable=False),
    sa.Column('minimum', sa.Double(), nullable=False),
    sa.Column('maximum', sa.Double(), nullable=False),
    sa.Column('mean', sa.Double(), nullable=False),
    sa.Column('reads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tag_minutes', schema=None) as batch_op:
        batch_op.create_index('ix_tag_minutes_equipment_tag_minute', ['equipment_id', 'tag', 'minute_epoch'], unique=True)
        batch_op.create_index('ix_tag_minutes_minute', ['minute_epoch'], unique=False)

    op.create_table('tag_samples',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=120), nullable=False),
    sa.Column('at_epoch', sa.Double(), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tag_samples', schema=None) as batch_op:
        batch_op.create_index('ix_tag_samples_equipment_tag_at', ['equipment_id', 'tag', 'at_epoch'], unique=False)
        batch_op.create_index('ix_tag_samples_at', ['at_epoch'], unique=False)

    # Machines stored before this revision get the defaults the plant file gives.
    new_columns = {'plc_rate_s': (sa.Double(), 1.0), 'plc_timeout_s': (sa.Double(), 2.0),
                   'trend_tags': (sa.Text(), '[]'), 'tag_types': (sa.Text(), '{}'), 'deadbands': (sa.Text(), '{}')}
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a NOT NULL column with a default in place; making a column NOT NULL afterwards would
        # rebuild the table, and dropping the old one fails while timelines point at it (foreign keys are on).
        with op.batch_alter_table('equipment', schema=None) as batch_op:
            for name, (type_, value) in new_columns.items():
                # a plain string default (not an SQL expression) lets Alembic add the column without a rebuild;
                # SQLite's column affinity stores '1.0' in a DOUBLE column as the number 1.0
                batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=str(value)))
    else:
        # MySQL gives TEXT columns no default: add them empty, fill them, then make them NOT NULL.
        with op.batch_alter_table('equipment', schema=None) as batch_op:
            for name, (type_, _) in new_columns.items():
                batch_op.add_column(sa.Column(name, type_, nullable=True))
        equipment = sa.table('equipment', *(sa.column(name) for name in new_columns))
        op.execute(equipment.update().values({name: value for name, (_, value) in new_columns.items()}))
        with op.batch_alter_table('equipment', schema=None) as batch_op:
            for name, (type_, _) in new_columns.items():
                batch_op.alter_column(name, existing_type=type_, nullable=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))

    with op.batch_alter_table('poll_baselines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_since', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('read_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('andon_call_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('poll_baselines', schema=None) as batch_op:
        batch_op.drop_column('andon_call_id')
        batch_op.drop_column('read_at')
        batch_op.drop_column('state_since')

    with op.batch_alter_table('equipment', schema=None) as batch_op:
        batch_op.drop_column('deadbands')
        batch_op.drop_column('tag_types')
        batch_op.drop_column('trend_tags')
        batch_op.drop_column('plc_timeout_s')
        batch_op.drop_column('plc_rate_s')

    with op.batch_alter_table('tag_samples', schema=None) as batch_op:
        batch_op.drop_index('ix_tag_samples_equipment_tag_at')
        batch_op.drop_index('ix_tag_samples_at')

    op.drop_table('tag_samples')
    with op.batch_alter_table('tag_minutes', schema=None) as batch_op:
        batch_op.drop_index('ix_tag_minutes_equipment_tag_minute')
        batch_op.drop_index('ix_tag_minutes_minute')

    op.drop_table('tag_minutes')
    with op.batch_alter_table('plc_outages', schema=None) as batch_op:
        batch_op.drop_index('ix_plc_outages_equipment_started')

    op.drop_table('plc_outages')
    with op.batch_alter_table('andon_calls', schema=None) as batch_op:
        batch_op.drop_index('ix_andon_calls_status_raised')
        batch_op.drop_index(batch_op.f('ix_andon_calls_equipment_id'))

    op.drop_table('andon_notices')
    op.drop_table('andon_calls')
    op.drop_table('spool_watermarks')
    op.drop_table('plc_connections')
