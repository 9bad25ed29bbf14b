"""products work orders and jobs: products with ideal cycles per machine, work orders and operator jobs

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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
