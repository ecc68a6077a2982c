"""Shared fixtures: a real database per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL runs only when ``REPLOG_TEST_POSTGRES_URL`` names a server, e.g.
``postgresql://postgres@127.0.0.1:5432/test``. Each test then gets its own freshly created
schema, selected through the connection option ``search_path`` so that both the runtime
driver (psycopg) and SQLAlchemy/Alembic (which migrate the database) use it; the schema is
dropped afterwards.

Migrating costs tens of milliseconds a database, so SQLite tests that want an empty, migrated
database (``database``, ``uow``, ``migrated_database_url``, the CLI and server fixtures) get a
copy of one file migrated once per session; ``database_url`` stays schema-less for the tests
of migrating itself.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import settings

from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

POSTGRES_URL_ENV = "REPLOG_TEST_POSTGRES_URL"

# No per-example deadline: on a loaded CI machine one slow example would fail a property
# test (Hypothesis calls an example that passes on its rerun "flaky"). Speed has its own
# benchmarks; a property test asserts properties.
settings.register_profile("replog", deadline=None, print_blob=True)
settings.load_profile("replog")


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


def with_search_path(url: str, schema: str) -> str:
    """``url`` with ``options=-csearch_path=<schema>`` added to its query string."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema (dropped after the test)."""
    base = postgres_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV}=postgresql://USER@HOST/DB")
    import psycopg

    schema = f"replog_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database that does not exist before the test (schema-less)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/t.db"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head revision once per session, to be copied, not used.

    One file: the last connection to close checkpoints the write-ahead log into it (done here
    explicitly too); the WAL journal mode is kept in the file, so every copy has it.
    """
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    Database(f"sqlite:///{path}").ensure_schema()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not Path(f"{path}-wal").exists(), "a connection to the template is still open"
    path.chmod(0o444)  # copies are written to, never the template
    return path


@pytest.fixture
def migrated_database_url(database_url: str, migrated_sqlite_template: Path) -> str:
    """``database_url`` with the schema at the head revision (and no rows): on SQLite a copy
    of the session's template, on PostgreSQL the test's schema migrated."""
    db = Database(database_url)
    if db.path is not None:
        shutil.copyfile(migrated_sqlite_template, db.path)
    else:
        db.ensure_schema()
    return database_url


@pytest.fixture
def database(migrated_database_url: str) -> Database:
    return Database(migrated_database_url)


@pytest.fixture
def uow(database: Database) -> SqlUnitOfWork:
    return SqlUnitOfWork(database)
