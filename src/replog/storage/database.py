"""Where the data lives: SQLite (stdlib) or PostgreSQL (psycopg 3), from a URL, with pooled
connections (:mod:`replog.storage.connection`) and the schema kept migrated.

SQLite connections run with WAL, foreign keys on and ``synchronous=FULL``: once a commit
returns, the set survives the process being killed and the machine losing power.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from replog.core.errors import StorageError
from replog.storage.connection import Connection
from replog.storage.pool import Pool

if sys.platform != "win32":  # Windows: SQLite's own busy handling between processes
    import fcntl

STALE_ROWS = 1000
"""Rows written to a table since its statistics were taken that make them stale (with a
tenth of the table; see :meth:`Database.refresh_stale_statistics`)."""

HEAD_REVISION = "0014"
"""The newest Alembic revision; a test checks it against the migration scripts."""


def _ensure_wal(raw: sqlite3.Connection, patience_s: float = 15.0) -> None:
    """Switch a SQLite file to WAL (a setting stored in the file, so usually a no-op).

    Changing the journal mode does not wait on the busy timeout: while another process
    holds the file (creating the schema, say) it fails at once, so retry for a while.
    """
    deadline = time.monotonic() + patience_s
    while True:
        try:
            if raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                raw.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Database:
    """Where the data lives, from a SQLAlchemy-style URL.

    ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``, ``postgresql://user@host/db``
    (also ``postgresql+psycopg://``). Other engines are refused with a clear error.
    """

    def __init__(self, url: str, *, pool_size: int = 0):
        self.url = url
        self.pool = Pool(pool_size) if pool_size > 0 else None
        self.reader_pool = Pool(pool_size) if pool_size > 0 else None  # PostgreSQL's readers
        parts = urlsplit(url)
        scheme = parts.scheme.split("+")[0]
        if scheme == "sqlite":
            path = unquote(url.split(":///", 1)[1]) if ":///" in url else ""
            if not path or path == ":memory:":
                raise StorageError(
                    "an in-memory SQLite database keeps nothing; give a file: sqlite:///path.db",
                    field="database",
                )
            self.dialect = "sqlite"
            self.path: Path | None = Path(path.split("?")[0])
            self._conninfo = str(self.path)
        elif scheme in {"postgresql", "postgres"}:
            self.dialect = "postgresql"
            self.path = None
            self._conninfo = "postgresql:" + url.split(":", 1)[1]
        else:
            raise StorageError(
                f"unsupported database URL {redact(url)!r}: use sqlite:///FILE or "
                "postgresql://USER@HOST/DB",
                field="database",
            )
        self._schema_checked = False
        self._writer = threading.Lock()
        self._lock_fd: int | None = None  # SQLite: the lock file shared by processes

    WRITER_PATIENCE_S = 15.0

    def acquire_writer(self) -> bool:
        """SQLite: take the writer's lock before ``BEGIN IMMEDIATE``; True when taken.

        SQLite lets one writer in at a time and makes the others poll with growing sleeps
        (1, 2, 5, 10, then 25-100 ms), so under a server's concurrent requests the lock sat
        free while waiters slept: p99 over 100 ms with two worker processes. Writers queue
        instead on this process's lock, then on a lock file beside the database shared by
        every process (``flock``, polled every half millisecond at most), and the lock is
        handed over within that. PostgreSQL needs none (False).
        """
        if self.dialect != "sqlite":
            return False
        deadline = time.monotonic() + self.WRITER_PATIENCE_S
        if not self._writer.acquire(timeout=self.WRITER_PATIENCE_S):
            raise StorageError("the database is busy: no write lock in 15 s", field="database")
        try:
            self._lock_file(deadline)
        except BaseException:
            self._writer.release()
            raise
        return True

    def release_writer(self) -> None:
        if self._lock_fd is not None and sys.platform != "win32":
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._writer.release()

    def _lock_file(self, deadline: float) -> None:
        """The processes' writer lock (POSIX only: elsewhere SQLite's own busy handling)."""
        if sys.platform == "win32":
            return
        if self._lock_fd is None:
            assert self.path is not None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._lock_fd = os.open(f"{self.path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:  # a read-only directory: SQLite's busy handling alone
                self._lock_fd = None
                return
        pause = 0.00005
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StorageError(
                        "the database is busy: another process has held its write lock for 15 s",
                        field="database",
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.0005)

    @property
    def sqlalchemy_url(self) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///{self.path}"
        return "postgresql+psycopg:" + self._conninfo.split(":", 1)[1]

    def connect(self, *, read_only: bool = False) -> Connection:
        """A connection for a unit of work, from the pool when one is idle.

        PostgreSQL readers get connections of their own, in autocommit mode and read-only
        (``default_transaction_read_only``): under READ COMMITTED each statement of a
        transaction sees its own snapshot anyway, so a BEGIN and a COMMIT would add two
        round trips and nothing else. Without a ROLLBACK, psycopg also keeps its prepared
        statements (it forgets them all on every ROLLBACK): a pooled connection prepares
        each statement after five uses, sparing the server parsing and planning it again.
        """
        if not self._schema_checked:
            self.ensure_schema()  # sets _schema_checked only once the schema is usable
        reader = read_only and self.dialect == "postgresql"
        pool = self.reader_pool if reader else self.pool
        if pool is not None:
            pooled = pool.take()
            if pooled is not None:
                return pooled
        conn = self._open(autocommit=True, reader=reader)
        conn.pool = pool
        return conn

    def refresh_statistics(self) -> None:
        """Give the query planner current statistics (a server does this as it starts).

        PostgreSQL without them (autovacuum off, or a fresh import) plans a session's reps
        as a scan of every rep: 1.25 ms at 8,000 reps against 0.09 ms once analysed.
        """
        conn = self._open()
        try:
            if self.dialect == "postgresql":
                conn.raw.autocommit = True
                conn.raw.execute("ANALYZE")
            else:
                conn.optimize()
        finally:
            conn.really_close()

    def refresh_stale_statistics(self) -> list[str]:
        """Analyse the tables written to a lot since their statistics were taken (more
        than a tenth of their rows, and at least STALE_ROWS): a server calls this every
        minute and after an import, so query plans keep up with the log even where
        autovacuum is off or slow (54k sets unanalysed cost PostgreSQL 18-20 ms of CPU
        per logged set, 4.6 once analysed). Returns the tables analysed. SQLite: ``PRAGMA
        optimize``, which analyses what its planner lacks."""
        conn = self._open()
        try:
            if self.dialect != "postgresql":
                conn.optimize()
                return []
            conn.raw.autocommit = True
            stale = [
                str(r["relname"])
                for r in conn.raw.execute(
                    "SELECT relname, n_mod_since_analyze AS changed, n_live_tup AS live "
                    "FROM pg_stat_user_tables WHERE schemaname = current_schema()"
                ).fetchall()
                if r["changed"] >= max(STALE_ROWS, r["live"] // 10)
            ]
            for name in sorted(stale):
                conn.raw.execute(f'ANALYZE "{name}"')
            return sorted(stale)
        finally:
            conn.really_close()

    def dispose(self) -> None:
        """Close the pool's idle connections (at shutdown, or before dropping a database)."""
        for pool in (self.pool, self.reader_pool):
            if pool is not None:
                pool.clear()
        if self._lock_fd is not None and self._writer.acquire(blocking=False):
            os.close(self._lock_fd)
            self._lock_fd = None
            self._writer.release()

    def _open(self, *, autocommit: bool = False, reader: bool = False) -> Connection:
        """A new connection. PostgreSQL: ``autocommit`` leaves transactions to :meth:`begin`
        (so BEGIN goes with the locks); a ``reader`` cannot write."""
        if self.dialect == "sqlite":
            assert self.path is not None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                raw = sqlite3.connect(
                    self.path, isolation_level=None, timeout=15, check_same_thread=False
                )
                raw.row_factory = sqlite3.Row
                _ensure_wal(raw)
                raw.execute("PRAGMA foreign_keys=ON")
                raw.execute("PRAGMA synchronous=FULL")
            except (sqlite3.Error, OSError) as exc:
                raise StorageError(f"cannot open {self.path}: {exc}", field="database") from exc
            return Connection(raw, "sqlite")
        try:
            import psycopg
            from psycopg.rows import dict_row

            pg = psycopg.connect(
                self._conninfo,
                row_factory=dict_row,
                autocommit=autocommit or reader,
            )
            if reader:
                pg.execute("SET default_transaction_read_only = on")
        except Exception as exc:
            raise StorageError(
                f"cannot connect to {redact(self.url)}: {str(exc).strip()}", field="database"
            ) from exc
        return Connection(pg, "postgresql", autocommit=autocommit or reader)

    def current_revision(self) -> str | None:
        conn = self._open()
        try:
            if self.dialect == "sqlite":
                exists = conn.one(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
                )
            else:
                exists = conn.one("SELECT to_regclass('alembic_version') IS NOT NULL AS e")
                exists = exists if exists and exists["e"] else None
            if not exists:
                return None
            value = conn.scalar("SELECT version_num FROM alembic_version")
            return None if value is None else str(value)
        finally:
            conn.rollback()
            conn.close()

    def ensure_schema(self) -> None:
        """Create or migrate the schema when it is not at :data:`HEAD_REVISION`."""
        current = self.current_revision()
        if current == HEAD_REVISION:
            self._schema_checked = True
            return
        from replog.storage.migrate import known_revisions, upgrade

        if current is not None and current not in known_revisions():
            raise StorageError(
                f"this database is at schema {current}, newer than this RepLog knows; "
                "upgrade RepLog",
                field="database",
            )
        upgrade(self)
        self._schema_checked = True


def redact(url: str) -> str:
    """The URL with any password hidden."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)
