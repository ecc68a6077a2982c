"""The database schema as SQLAlchemy Core tables: the source of truth for migrations.

Portable types only, so SQLite and PostgreSQL hold the same data: ids are UUID strings,
timestamps are timezone-aware (UTC ISO-8601 text on SQLite), a load keeps the number as
entered (text, exact) beside its normalised kilograms.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from replog.storage.sql import MAX_EFFORT_SETS, PRIMER_SETS

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)
TS = DateTime(timezone=True)

athletes = Table(
    "athletes",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("default_unit", String(2), nullable=False),
    Column("body_mass_kg", Float),
    Column("created_at", TS, nullable=False),
    Column("dropoff_threshold_pct", Float, nullable=False, server_default="10"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("gear", Text),  # {"kg": {"bar": 20, "plates": [...]}, ...}; NULL: the defaults
    CheckConstraint("default_unit IN ('kg', 'lb')", name="unit"),
)

custom_exercises = Table(
    "custom_exercises",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE")),
    Column("name", String(100), nullable=False),
    Column("equipment", String(20), nullable=False),
    Column("pattern", String(20), nullable=False),
    Column("aliases", Text, nullable=False, server_default=""),
    Column("mvt", Float),
    Column("concentric_first", Boolean, nullable=False, server_default="0"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", TS, nullable=False),
    Column("ended_at", TS),
    Column("name", String(200), nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Index(None, "athlete_id", "started_at"),
)

sets = Table(
    "sets",
    metadata,
    Column("id", ID, primary_key=True),
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("exercise", String(64), nullable=False),
    Column("load_value", String(32), nullable=False),
    Column("load_unit", String(2), nullable=False),
    Column("load_kg", Float, nullable=False),
    Column("reps", Integer, nullable=False),
    Column("rpe", Float),
    Column("rir", Float),
    Column("kind", String(10), nullable=False),
    Column("rest_s", Integer),
    Column("notes", Text, nullable=False, server_default=""),
    Column("performed_at", TS, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("session_id", "position"),
    Index(None, "exercise", "session_id"),
    # migration 0011: the few sets reviews and learned MVTs look for, without a scan
    Index(
        "ix_sets_primer",
        "session_id",
        sqlite_where=text(PRIMER_SETS),
        postgresql_where=text(PRIMER_SETS),
    ),
    Index(
        "ix_sets_max_effort",
        "exercise",
        "performed_at",
        sqlite_where=text(MAX_EFFORT_SETS),
        postgresql_where=text(MAX_EFFORT_SETS),
    ),
    CheckConstraint("reps >= 0", name="reps"),
    CheckConstraint("load_kg >= 0", name="load"),
    CheckConstraint("rpe IS NULL OR (rpe >= 1 AND rpe <= 10)", name="rpe"),
)

reps = Table(
    "reps",
    metadata,
    Column("set_id", ID, ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("mcv", Float),
    Column("mpv", Float),
    Column("peak_velocity", Float),
    Column("rom", Float),
    Column("concentric_s", Float),
    Column("eccentric_s", Float),
    Column("source", String(10), nullable=False),
)

set_tags = Table(
    "set_tags",
    metadata,
    Column("set_id", ID, ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(64), primary_key=True),
    Index(None, "tag"),
)

session_analyses = Table(
    "session_analyses",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", TS, nullable=False),
    Column("version", String(40), nullable=False),
    Column("sets", Integer, nullable=False),
    Column("dropoff_sets", Integer, nullable=False),
    Column("advice", String(200), nullable=False, server_default=""),
    Column("doc", Text, nullable=False),
    Index(None, "athlete_id", "started_at"),
)
"""Stored session analyses (the DESIGN.md 2.3 document), so a whole history is read rather
than recomputed; any write to a session's sets removes the analyses it can change."""

checkins = Table(
    "checkins",
    metadata,
    Column("id", ID, primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("sleep_h", Float),
    Column("sleep_quality", Integer),
    Column("stress", Integer),
    Column("soreness", Integer),
    Column("resting_hr", Float),
    Column("hrv_ms", Float),
    Column("notes", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("athlete_id", "day"),
)

warmup_anchors = Table(
    "warmup_anchors",
    metadata,
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("exercise", String(64), nullable=False),
    Column("load_kg", Float, nullable=False),
    PrimaryKeyConstraint("athlete_id", "exercise"),
    CheckConstraint("load_kg > 0", name="load_positive"),
)
"""The warm-up load a lifter chose as a lift's readiness anchor (else chosen from history)."""

set_origins = Table(
    "set_origins",
    metadata,
    Column("set_id", ID, ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True),
    Column("format", String(20), nullable=False),
    Column("source", String(255), nullable=False),
    Column("line", Integer, nullable=False),
    Column("row", Text, nullable=False),
)
"""Provenance of imported sets: the app, the file, the line and the row as written."""

set_requests = Table(
    "set_requests",
    metadata,
    Column("set_id", ID, ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True),
    Column("digest", String(64), nullable=False),
)
"""Migration 0008: a digest of what the client asked for when it named the set's id, so
that a retry asking for something else is refused rather than answered as a replay."""

session_models = Table(
    "session_models",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise", String(64), primary_key=True),
    Column("athlete_id", ID, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("version", String(40), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("params", String(200), nullable=False),
    Index(None, "athlete_id", "started_at"),
)
"""Migration 0012: each lift's load-velocity model before a session (kind "profile",
"population" or "none", its parameters as JSON), kept for the sets logged into it; writes
to the eight weeks before a session remove it, as they remove stored analyses."""

session_bests = Table(
    "session_bests",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise", String(64), primary_key=True),
    Column("athlete_id", ID, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("doc", Text, nullable=False),
    Index(None, "athlete_id", "started_at"),
)
"""Migration 0013: each lift's bests before a session (heaviest, volume, rep maxes, fastest
rep per load; JSON), kept for the records of the sets logged into it; any write to an
earlier session removes it."""

plans = Table(
    "plans",
    metadata,
    Column("id", ID, primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("doc", Text, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("athlete_id", "name"),
)
"""Migration 0014: programs and templates a lifter or their coach wrote (JSON documents)."""

active_programs = Table(
    "active_programs",
    metadata,
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True),
    Column("source", String(80), nullable=False),
    Column("name", String(200), nullable=False),
    Column("doc", Text, nullable=False),
    Column("started_at", TS, nullable=False),
)
"""Migration 0014: the program each lifter follows, as started."""

planned_sessions = Table(
    "planned_sessions",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("athlete_id", ID, nullable=False),
    Column("source", String(80), nullable=False),
    Column("week", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("doc", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    Index(None, "athlete_id", "source", "created_at"),
)
"""Migration 0014: a session started from a program's day and its plan as prescribed."""

exercise_counts = Table(
    "exercise_counts",
    metadata,
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise", String(64), primary_key=True),
    Column("sets", Integer, nullable=False),
)
"""Migration 0010: each athlete's sets of each exercise, kept by every write of a set, so
the lifts' list needs no count over the whole log."""

imports = Table(
    "imports",
    metadata,
    Column("id", ID, primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("touched_at", TS, nullable=False),
)
"""Migration 0009: an import being written chunk by chunk (the row goes when it is done)."""

import_sessions = Table(
    "import_sessions",
    metadata,
    Column("import_id", ID, ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ID, primary_key=True),
)
"""The sessions an unfinished import has written: what undoing it deletes."""

# Accounts (migration 0006). ``version`` columns above count the edits of a row, for
# optimistic concurrency: an edit names the version it saw, and a stale one is refused.

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(32), nullable=False, unique=True),  # lower-case
    Column("password_hash", Text, nullable=False),
    Column(
        "athlete_id",
        ID,
        ForeignKey("athletes.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("created_at", TS, nullable=False),
)
"""A person who signs in; ``athlete_id`` is their own log."""

auth_tokens = Table(
    "auth_tokens",
    metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),
    Column("name", String(100), nullable=False, server_default=""),
    Column("csrf_hash", String(64)),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS),
    Column("revoked_at", TS),
    Column("last_used_at", TS),
    Index(None, "user_id"),
    CheckConstraint("kind IN ('api', 'session')", name="kind"),
)
"""Bearer tokens (``api``) and browser sessions (``session``, with a CSRF secret); only the
SHA-256 of each secret is stored."""

grants = Table(
    "grants",
    metadata,
    Column("id", ID, primary_key=True),
    Column("athlete_id", ID, ForeignKey("athletes.id", ondelete="CASCADE"), nullable=False),
    Column("coach_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("can_write", Boolean, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("athlete_id", "coach_id"),
    Index(None, "coach_id"),
)
"""An athlete's log opened to a coach, to read or also to write."""

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(32), nullable=False),
    Column("at", TS, nullable=False),
    Index(None, "username", "at"),
)
"""Failed sign-ins by username, for rate limiting; kept for the length of the window."""
