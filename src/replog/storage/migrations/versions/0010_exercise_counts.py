"""Each athlete's number of sets of each exercise, kept as sets are written.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise_counts",
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_exercise_counts_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "exercise", name=op.f("pk_exercise_counts")),
    )
    op.execute(
        "INSERT INTO exercise_counts (athlete_id, exercise, sets) "
        "SELECT se.athlete_id, s.exercise, COUNT(*) FROM sets s "
        "JOIN sessions se ON se.id = s.session_id GROUP BY se.athlete_id, s.exercise"
    )


def downgrade() -> None:
    op.drop_table("exercise_counts")
