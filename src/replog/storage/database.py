"""A thin, fast layer over the DB-API drivers: SQLite (stdlib) and PostgreSQL (psycopg 3).

SQL is written once with ``:name`` parameters and portable syntax; :class:`Connection`
rewrites the parameters for psycopg. Values cross this boundary already converted by
:func:`Database.ts` / :func:`parse_ts`, so repositories never care which engine they are on.

SQLite connections run with WAL, foreign keys on and ``synchronous=FULL``: once a commit
returns, the set survives the process being killed and the machine losing power.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from replog.core.errors import StorageError

HEAD_REVISION = "0006"
"""The newest Alembic revision; a test checks it against the migration scripts."""

Row = Mapping[str, Any]
WRITE_LOCK = 0x52504C57  # "RPLW": advisory lock key of PostgreSQL units of work


@lru_cache(maxsize=512)
def _to_pyformat(sql: str) -> str:
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql)


class Connection:
    """One open connection; a transaction is open from :meth:`begin` to commit/rollback."""

    def __init__(self, raw: Any, dialect: str, pool: Pool | None = None):
        self.raw = raw
        self.dialect = dialect
        self.pool = pool
        self.uses = 0

    def _sql(self, sql: str) -> str:
        return _to_pyformat(sql) if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        cur = self.raw.cursor()
        cur.execute(self._sql(sql), params or {})
        return cur

    def executemany(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if rows:
            self.raw.cursor().executemany(self._sql(sql), rows)

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return list(self.execute(sql, params).fetchall())

    def tuples(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, in the order of the SELECT: the fast way to read many."""
        rows = self.execute(sql, params).fetchall()
        return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        row: Row | None = self.execute(sql, params).fetchone()
        return row

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else next(iter(row.values() if isinstance(row, dict) else row))

    def begin(self, *, read_only: bool = False, scope: str | None = None) -> None:
        """Start a transaction; a writing one holds a writer's lock until it ends.

        SQLite: ``BEGIN IMMEDIATE`` (``BEGIN`` to read): one writer at a time. PostgreSQL:
        transaction-scoped advisory locks, so two writers cannot both read the next set
        position, or both open today's session, and collide. A write confined to one
        athlete's log names it as ``scope``: it takes the global lock shared and the
        athlete's exclusively, so lifters write in parallel and their commits' flushes
        overlap; a write without a scope (imports, accounts) takes the global lock
        exclusively and waits for all of them. Readers take no lock.
        """
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
        elif read_only:
            pass
        elif scope is None:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        else:
            self.raw.execute(
                "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s, hashtext(%s))",
                (WRITE_LOCK, WRITE_LOCK, scope),
            )

    def commit(self) -> None:
        self.raw.commit() if self.dialect == "postgresql" else self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.dialect == "postgresql":
            self.raw.rollback()
        elif self.raw.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        """Give the connection back to its pool, or close it."""
        if self.pool is not None and self.pool.give_back(self):
            return
        self.really_close()

    def really_close(self) -> None:
        if self.dialect == "sqlite":
            self.optimize()
        with contextlib.suppress(Exception):  # already broken: nothing left to release
            self.raw.close()

    def optimize(self) -> None:
        """SQLite's advice for a closing connection: gather the statistics its query planner
        lacks, when the queries just run would benefit (cheap otherwise). Without them it
        walks all of a lift's sets to find the last eight weeks of one."""
        with contextlib.suppress(sqlite3.Error):  # busy: optimise next time
            self.raw.execute("PRAGMA optimize")

    def reusable(self) -> bool:
        """Whether the connection is healthy and outside any transaction."""
        if self.dialect == "sqlite":
            return not self.raw.in_transaction
        from psycopg.pq import TransactionStatus

        return (not self.raw.closed) and self.raw.info.transaction_status == TransactionStatus.IDLE

    # value conversion -------------------------------------------------------------------
    def ts(self, value: datetime | None) -> Any:
        if value is None:
            return None
        utc = value.astimezone(UTC)
        return utc if self.dialect == "postgresql" else utc.isoformat(timespec="microseconds")

    def day(self, value: date | None) -> Any:
        if value is None:
            return None
        return value if self.dialect == "postgresql" else value.isoformat()

    def in_list(self, prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
        """``(:p0, :p1, ...)`` and its parameters, for ``IN`` clauses."""
        names = {f"{prefix}{i}": v for i, v in enumerate(values)}
        return "(" + ", ".join(f":{n}" for n in names) + ")", names


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


def parse_ts(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class Pool:
    """Idle connections kept open for the next unit of work (a server's requests).

    Opening a PostgreSQL connection costs milliseconds, more than a logged set's whole
    transaction; SQLite's is cheaper but still sets its pragmas each time. At most ``size``
    idle connections are kept; a connection that is broken or left inside a transaction is
    closed instead of kept.
    """

    OPTIMIZE_EVERY = 500  # SQLite: refresh the planner's statistics every so many uses

    def __init__(self, size: int):
        self.size = size
        self._idle: list[Connection] = []
        self._lock = threading.Lock()

    def take(self) -> Connection | None:
        with self._lock:
            return self._idle.pop() if self._idle else None

    def give_back(self, conn: Connection) -> bool:
        if not conn.reusable():
            return False
        conn.uses += 1
        if conn.dialect == "sqlite" and conn.uses % self.OPTIMIZE_EVERY == 0:
            conn.optimize()
        with self._lock:
            if len(self._idle) >= self.size:
                return False
            self._idle.append(conn)
            return True

    def clear(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.really_close()


class Database:
    """Where the data lives, from a SQLAlchemy-style URL.

    ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``, ``postgresql://user@host/db``
    (also ``postgresql+psycopg://``). Other engines are refused with a clear error.
    """

    def __init__(self, url: str, *, pool_size: int = 0):
        self.url = url
        self.pool = Pool(pool_size) if pool_size > 0 else None
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

    WRITER_PATIENCE_S = 15.0

    def acquire_writer(self) -> bool:
        """SQLite: take this process's writer lock before ``BEGIN IMMEDIATE``; True when taken.

        SQLite lets one writer in at a time and makes the others poll with growing sleeps
        (1, 2, 5, 10 ms...), so under a server's concurrent requests the lock sat free while
        waiters slept. Queuing this process's writers on a lock hands it over at once; other
        processes still meet SQLite's own busy handling. PostgreSQL needs none (False).
        """
        if self.dialect != "sqlite":
            return False
        if not self._writer.acquire(timeout=self.WRITER_PATIENCE_S):
            raise StorageError("the database is busy: no write lock in 15 s", field="database")
        return True

    def release_writer(self) -> None:
        self._writer.release()

    @property
    def sqlalchemy_url(self) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///{self.path}"
        return "postgresql+psycopg:" + self._conninfo.split(":", 1)[1]

    def connect(self) -> Connection:
        if not self._schema_checked:
            self.ensure_schema()  # sets _schema_checked only once the schema is usable
        if self.pool is not None:
            pooled = self.pool.take()
            if pooled is not None:
                return pooled
        conn = self._open()
        conn.pool = self.pool
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

    def dispose(self) -> None:
        """Close the pool's idle connections (at shutdown, or before dropping a database)."""
        if self.pool is not None:
            self.pool.clear()

    def _open(self) -> Connection:
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

            pg = psycopg.connect(self._conninfo, row_factory=dict_row)  # type: ignore[arg-type]
        except Exception as exc:
            raise StorageError(
                f"cannot connect to {redact(self.url)}: {str(exc).strip()}", field="database"
            ) from exc
        return Connection(pg, "postgresql")

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
