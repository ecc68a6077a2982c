"""The load-velocity model of each lift before a session, kept for the sets logged into it.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_models",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("params", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_models_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "exercise", name=op.f("pk_session_models")),
    )
    with op.batch_alter_table("session_models", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_models_athlete_id_started_at"), ["athlete_id", "started_at"]
        )


def downgrade() -> None:
    op.drop_table("session_models")
