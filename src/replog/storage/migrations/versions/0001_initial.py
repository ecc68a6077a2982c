"""Create the whole schema: athletes, custom exercises, sessions, sets, reps, tags, check-ins.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 08:29:57.761465
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("default_unit", sa.String(length=2), nullable=False),
        sa.Column("body_mass_kg", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("default_unit IN ('kg', 'lb')", name=op.f("ck_athletes_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_athletes")),
        sa.UniqueConstraint("name", name=op.f("uq_athletes_name")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sleep_h", sa.Float(), nullable=True),
        sa.Column("sleep_quality", sa.Integer(), nullable=True),
        sa.Column("stress", sa.Integer(), nullable=True),
        sa.Column("soreness", sa.Integer(), nullable=True),
        sa.Column("resting_hr", sa.Float(), nullable=True),
        sa.Column("hrv_ms", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_checkins_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("athlete_id", "day", name=op.f("uq_checkins_athlete_id_day")),
    )
    op.create_table(
        "custom_exercises",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("athlete_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("equipment", sa.String(length=20), nullable=False),
        sa.Column("pattern", sa.String(length=20), nullable=False),
        sa.Column("aliases", sa.Text(), server_default="", nullable=False),
        sa.Column("mvt", sa.Float(), nullable=True),
        sa.Column("concentric_first", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_custom_exercises_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_custom_exercises")),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("athlete_id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_sessions_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sessions_athlete_id_started_at"),
            ["athlete_id", "started_at"],
            unique=False,
        )

    op.create_table(
        "sets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("load_value", sa.String(length=32), nullable=False),
        sa.Column("load_unit", sa.String(length=2), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("rir", sa.Float(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("rest_s", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("load_kg >= 0", name=op.f("ck_sets_load")),
        sa.CheckConstraint("reps >= 0", name=op.f("ck_sets_reps")),
        sa.CheckConstraint("rpe IS NULL OR (rpe >= 1 AND rpe <= 10)", name=op.f("ck_sets_rpe")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_sets_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sets")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_sets_session_id_position")),
    )
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sets_exercise_session_id"), ["exercise", "session_id"], unique=False
        )

    op.create_table(
        "reps",
        sa.Column("set_id", sa.String(length=36), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("mcv", sa.Float(), nullable=True),
        sa.Column("mpv", sa.Float(), nullable=True),
        sa.Column("peak_velocity", sa.Float(), nullable=True),
        sa.Column("rom", sa.Float(), nullable=True),
        sa.Column("concentric_s", sa.Float(), nullable=True),
        sa.Column("eccentric_s", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"], ["sets.id"], name=op.f("fk_reps_set_id_sets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("set_id", "idx", name=op.f("pk_reps")),
    )
    op.create_table(
        "set_tags",
        sa.Column("set_id", sa.String(length=36), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"], ["sets.id"], name=op.f("fk_set_tags_set_id_sets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("set_id", "tag", name=op.f("pk_set_tags")),
    )
    with op.batch_alter_table("set_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_set_tags_tag"), ["tag"], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table("set_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_set_tags_tag"))

    op.drop_table("set_tags")
    op.drop_table("reps")
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sets_exercise_session_id"))

    op.drop_table("sets")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_athlete_id_started_at"))

    op.drop_table("sessions")
    op.drop_table("custom_exercises")
    op.drop_table("checkins")
    op.drop_table("athletes")
