"""Warm-up anchor loads a lifter sets for the readiness battery.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warmup_anchors",
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=False),
        sa.CheckConstraint("load_kg > 0", name=op.f("ck_warmup_anchors_load_positive")),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_warmup_anchors_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "exercise", name=op.f("pk_warmup_anchors")),
    )


def downgrade() -> None:
    op.drop_table("warmup_anchors")
