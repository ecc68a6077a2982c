"""Each lift's bests before a session, kept for the records of the sets logged into it.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_bests",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_bests_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "exercise", name=op.f("pk_session_bests")),
    )
    with op.batch_alter_table("session_bests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_bests_athlete_id_started_at"), ["athlete_id", "started_at"]
        )


def downgrade() -> None:
    op.drop_table("session_bests")
