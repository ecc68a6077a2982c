"""Partial indexes on the few sets reviews and learned MVTs look for: primers and max efforts.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

PRIMER = "kind = 'primer'"
MAX_EFFORT = "kind IN ('failure', 'amrap') OR rpe = 10 OR (rpe IS NULL AND rir = 0)"


def upgrade() -> None:
    for name, columns, where in (
        ("ix_sets_primer", ["session_id"], PRIMER),
        ("ix_sets_max_effort", ["exercise", "performed_at"], MAX_EFFORT),
    ):
        partial = sa.text(where)
        op.create_index(name, "sets", columns, sqlite_where=partial, postgresql_where=partial)


def downgrade() -> None:
    op.drop_index("ix_sets_max_effort", "sets")
    op.drop_index("ix_sets_primer", "sets")
