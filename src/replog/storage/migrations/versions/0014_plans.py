"""Programs and templates as documents, the program each lifter follows, and the plan each
session started from.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.String(length=36)
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", ID, nullable=False),
        sa.Column("athlete_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_plans_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("athlete_id", "name", name=op.f("uq_plans_athlete_id_name")),
    )
    op.create_table(
        "active_programs",
        sa.Column("athlete_id", ID, nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_active_programs_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", name=op.f("pk_active_programs")),
    )
    op.create_table(
        "planned_sessions",
        sa.Column("session_id", ID, nullable=False),
        sa.Column("athlete_id", ID, nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_planned_sessions_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_planned_sessions")),
    )
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_planned_sessions_athlete_id_source_created_at"),
            ["athlete_id", "source", "created_at"],
        )


def downgrade() -> None:
    op.drop_table("planned_sessions")
    op.drop_table("active_programs")
    op.drop_table("plans")
