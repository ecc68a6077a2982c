"""Athletes get their own neural drop-off threshold (percent; RepLog's default is 10).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dropoff_threshold_pct", sa.Float(), server_default="10", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.drop_column("dropoff_threshold_pct")
