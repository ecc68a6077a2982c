"""The migrated schema, the connection settings and the errors of a database that cannot be used."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool, text

from replog.core.errors import StorageError
from replog.storage import migrate
from replog.storage.database import HEAD_REVISION, Database, redact
from replog.storage.schema import metadata


def test_head_revision_matches_the_migration_scripts() -> None:
    assert migrate.head_revision() == HEAD_REVISION
    assert HEAD_REVISION in migrate.known_revisions()


def test_migrated_database_matches_the_tables_exactly(database: Database) -> None:
    database.connect().close()
    assert database.current_revision() == HEAD_REVISION
    engine = create_engine(database.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert tables == set(metadata.tables) | {"alembic_version"}


def test_connect_is_idempotent_and_keeps_data(database: Database) -> None:
    conn = database.connect()
    try:
        conn.begin()
        conn.execute(
            "INSERT INTO athletes (id, name, default_unit, created_at) VALUES (:i, :n, 'kg', :t)",
            {"i": "a1", "n": "Ana", "t": conn.ts(datetime.now(UTC))},
        )
        conn.commit()
    finally:
        conn.close()
    again = Database(database.url)
    conn = again.connect()
    try:
        assert conn.scalar("SELECT COUNT(*) FROM athletes") == 1
    finally:
        conn.rollback()
        conn.close()
    assert again.current_revision() == HEAD_REVISION


def test_postgres_schema_fixture_isolates_both_drivers(postgres_schema_url: str) -> None:
    """The search_path option reaches psycopg (runtime) and SQLAlchemy (Alembic) alike."""
    schema = parse_qs(urlsplit(postgres_schema_url).query)["options"][0].split("=", 1)[1]
    db = Database(postgres_schema_url)
    conn = db.connect()
    try:
        assert conn.scalar("SELECT current_schema()") == schema
        rows = conn.all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :s",
            {"s": schema},
        )
    finally:
        conn.rollback()
        conn.close()
    assert {r["table_name"] for r in rows} == set(metadata.tables) | {"alembic_version"}
    engine = create_engine(db.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as sa_conn:
            assert sa_conn.execute(text("SELECT current_schema()")).scalar() == schema
    finally:
        engine.dispose()


def test_sqlite_connections_are_durable(tmp_path: Path) -> None:
    conn = Database(f"sqlite:///{tmp_path}/t.db").connect()
    try:
        assert conn.scalar("PRAGMA journal_mode") == "wal"
        assert conn.scalar("PRAGMA foreign_keys") == 1
        assert conn.scalar("PRAGMA synchronous") == 2  # FULL
        assert conn.scalar("PRAGMA busy_timeout") >= 5000
    finally:
        conn.close()


def test_sqlite_creates_missing_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "log.db"
    Database(f"sqlite:///{path}").connect().close()
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)


def test_newer_schema_is_refused(database: Database) -> None:
    conn = database.connect()
    try:
        conn.begin()
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
    finally:
        conn.close()
    fresh = Database(database.url)
    for _ in range(2):  # and refused again: a failed check is not remembered as a pass
        with pytest.raises(StorageError, match="newer") as caught:
            fresh.connect()
        assert "9999" in str(caught.value)
        assert caught.value.code == "storage"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root:hunter2@localhost/replog", "unsupported database URL"),
        ("oracle://x", "unsupported database URL"),
        ("sqlite://", "in-memory"),
        ("sqlite:///:memory:", "in-memory"),
    ],
)
def test_unusable_urls_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as caught:
        Database(url)
    assert "hunter2" not in str(caught.value)
    assert caught.value.field == "database"


def test_unreachable_postgres_is_a_storage_error_without_the_password() -> None:
    url = "postgresql://replog:s3cr3t-pw@127.0.0.1:1/nowhere?connect_timeout=3"
    db = Database(url)
    with pytest.raises(StorageError, match="cannot connect") as caught:
        db.connect()
    message = str(caught.value)
    assert "s3cr3t-pw" not in message
    assert "replog:***@127.0.0.1:1/nowhere" in message
    assert caught.value.code == "storage"


def test_redact() -> None:
    assert redact("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db"
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redact("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
