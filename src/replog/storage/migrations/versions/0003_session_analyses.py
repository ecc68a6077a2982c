"""Stored session analyses, so a whole history is read rather than recomputed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_analyses",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("dropoff_sets", sa.Integer(), nullable=False),
        sa.Column("advice", sa.String(length=200), server_default="", nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_session_analyses_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_analyses_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_analyses")),
    )
    with op.batch_alter_table("session_analyses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_analyses_athlete_id_started_at"),
            ["athlete_id", "started_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("session_analyses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_analyses_athlete_id_started_at"))
    op.drop_table("session_analyses")
