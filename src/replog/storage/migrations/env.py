"""Alembic environment: migrations run against the URL set by replog.storage.migrate.

The whole upgrade is one transaction taken before Alembic reads the current revision, so a
migration killed half-way leaves the database as it was, and of two processes opening a new
database at once the second waits and then finds the schema already there. On SQLite that
needs pysqlite's own transaction handling turned off (it would autocommit each CREATE
TABLE) and ``BEGIN IMMEDIATE`` (the write lock) issued instead; PostgreSQL, whose DDL is
transactional, takes an advisory lock for the length of the transaction.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, event, pool

from replog.storage.schema import metadata

MIGRATION_LOCK = 0x5245504C  # "REPL": pg_advisory_xact_lock key serialising migrations

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url is not None
engine = create_engine(url, poolclass=pool.NullPool)

if engine.dialect.name == "sqlite":

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # no implicit transactions: BEGIN is issued below
        dbapi_conn.execute("PRAGMA busy_timeout=15000")
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        # Off while migrating: a batch migration rebuilds a table by copy-and-drop, and with
        # foreign keys on, dropping the old parent table would cascade-delete its children.
        # Integrity is checked with foreign_key_check before the migration commits.
        dbapi_conn.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


with engine.connect() as connection, connection.begin():
    if engine.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    if engine.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left rows without their parent: {broken[:5]}")
engine.dispose()
