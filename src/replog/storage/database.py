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
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from replog.core.errors import StorageError

HEAD_REVISION = "0005"
"""The newest Alembic revision; a test checks it against the migration scripts."""

Row = Mapping[str, Any]
WRITE_LOCK = 0x52504C57  # "RPLW": advisory lock key of PostgreSQL units of work


@lru_cache(maxsize=512)
def _to_pyformat(sql: str) -> str:
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql)


class Connection:
    """One open connection; a transaction is open from :meth:`begin` to commit/rollback."""

    def __init__(self, raw: Any, dialect: str):
        self.raw = raw
        self.dialect = dialect

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

    def begin(self) -> None:
        """Start a transaction that holds the single-writer lock.

        SQLite: ``BEGIN IMMEDIATE``. PostgreSQL: a transaction-scoped advisory lock, so two
        writers cannot both read the next set position and collide on it. Serialising whole
        units of work is right for a personal log; a busy shared server would want
        row-level locks and retries instead.
        """
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN IMMEDIATE")
        else:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def commit(self) -> None:
        self.raw.commit() if self.dialect == "postgresql" else self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.dialect == "postgresql":
            self.raw.rollback()
        elif self.raw.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        if self.dialect == "sqlite":
            # SQLite's advice for every closing connection: gather the statistics its query
            # planner lacks, when the queries just run would benefit (cheap otherwise). Without
            # them it walks all of a lift's sets to find the last eight weeks of one.
            with contextlib.suppress(sqlite3.Error):  # busy: optimise next time
                self.raw.execute("PRAGMA optimize")
        self.raw.close()

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


class Database:
    """Where the data lives, from a SQLAlchemy-style URL.

    ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``, ``postgresql://user@host/db``
    (also ``postgresql+psycopg://``). Other engines are refused with a clear error.
    """

    def __init__(self, url: str):
        self.url = url
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

    @property
    def sqlalchemy_url(self) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///{self.path}"
        return "postgresql+psycopg:" + self._conninfo.split(":", 1)[1]

    def connect(self) -> Connection:
        if not self._schema_checked:
            self.ensure_schema()  # sets _schema_checked only once the schema is usable
        return self._open()

    def _open(self) -> Connection:
        if self.dialect == "sqlite":
            assert self.path is not None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                raw = sqlite3.connect(self.path, isolation_level=None, timeout=15)
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
