"""predictions: model registry, predictions, anomalies, drift checks, [ml] settings

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from core.persistence.base import UTCDateTime

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ml_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('trained_at', UTCDateTime(), nullable=False),
    sa.Column('trained_by', sa.String(length=64), nullable=False),
    sa.Column('train_start', UTCDateTime(), nullable=False),
    sa.Column('train_end', UTCDateTime(), nullable=False),
    sa.Column('holdout_start', UTCDateTime(), nullable=False),
    sa.Column('holdout_end', UTCDateTime(), nullable=False),
    sa.Column('features', sa.Text(), nullable=False),
    sa.Column('parameters', sa.Text(), nullable=False),
    sa.Column('metrics', sa.Text(), nullable=False),
    sa.Column('baseline_metrics', sa.Text(), nullable=False),
    sa.Column('drift_reference', sa.Text(), nullable=False),
    sa.Column('artefact', sa.LargeBinary().with_variant(mysql.LONGBLOB(), 'mariadb').with_variant(mysql.LONGBLOB(), 'mysql'), nullable=True),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('activated_at', UTCDateTime(), nullable=True),
    sa.Column('activated_by', sa.String(length=64), nullable=True),
    sa.Column('replaced_version_id', sa.Integer(), nullable=True),
    sa.Column('scanned_until', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['replaced_version_id'], ['ml_models.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('model', 'version')
    )
    op.create_index('ix_ml_models_model_status', 'ml_models', ['model', 'status'], unique=False)
    op.create_table('ml_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stop_minutes', sa.Double(), nullable=False),
    sa.Column('horizon_hours', sa.Double(), nullable=False),
    sa.Column('top_k', sa.Integer(), nullable=False),
    sa.Column('retrain_psi', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('ml_drift_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_version_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', UTCDateTime(), nullable=False),
    sa.Column('window_start', UTCDateTime(), nullable=False),
    sa.Column('window_end', UTCDateTime(), nullable=False),
    sa.Column('psi', sa.Text(), nullable=False),
    sa.Column('max_psi', sa.Double(), nullable=False),
    sa.Column('retrain', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['model_version_id'], ['ml_models.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ml_drift_checks_version_checked', 'ml_drift_checks', ['model_version_id', 'checked_at'], unique=False)
    op.create_table('ml_anomalies',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('model_version_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('start', UTCDateTime(), nullable=False),
    sa.Column('end', UTCDateTime(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('feature', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('found_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['model_version_id'], ['ml_models.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ml_anomalies_equipment_start', 'ml_anomalies', ['equipment_id', 'start'], unique=False)
    op.create_table('ml_predictions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('model_version_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('made_at', UTCDateTime(), nullable=False),
    sa.Column('horizon_end', UTCDateTime(), nullable=False),
    sa.Column('probability', sa.Double(), nullable=False),
    sa.Column('baseline_probability', sa.Double(), nullable=False),
    sa.Column('drivers', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Boolean(), nullable=True),
    sa.Column('outcome_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], ),
    sa.ForeignKeyConstraint(['model_version_id'], ['ml_models.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('model_version_id', 'equipment_id', 'made_at')
    )
    op.create_index('ix_ml_predictions_equipment_made_at', 'ml_predictions', ['equipment_id', 'made_at'], unique=False)
    op.create_index('ix_ml_predictions_made_at', 'ml_predictions', ['made_at'], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes (an index a foreign key uses could not be dropped alone on MariaDB)
    for table in ("ml_predictions", "ml_anomalies", "ml_drift_checks", "ml_settings", "ml_models"):
        op.drop_table(table)
