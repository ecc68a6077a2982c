"""One open database connection: statements, transactions and the values crossing it.

SQL is written once with ``:name`` parameters and portable syntax; :class:`Connection`
rewrites the parameters for psycopg. Values cross this boundary already converted by
:meth:`Connection.ts` / :func:`parse_ts`, so repositories never care which engine they are on.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from replog.core.errors import StorageError
from replog.storage.pool import Pool
from replog.storage.sql import PARAMETER, Statement, values_statement, with_all

Row = Mapping[str, Any]
WRITE_LOCK = 0x52504C57  # "RPLW": advisory lock key of PostgreSQL units of work


@lru_cache(maxsize=512)
def _to_pyformat(sql: str) -> str:
    return PARAMETER.sub(r"%(\1)s", sql)


class Connection:
    """One open connection; a transaction is open from :meth:`begin` to commit/rollback."""

    def __init__(
        self, raw: Any, dialect: str, pool: Pool | None = None, *, autocommit: bool = False
    ):
        self.raw = raw
        self.dialect = dialect
        self.pool = pool
        self.uses = 0
        self.autocommit = autocommit  # PostgreSQL: transactions only by begin()
        self._pending: tuple[bool, str | None] | None = None  # a begin_later not yet begun

    def _sql(self, sql: str) -> str:
        return _to_pyformat(sql) if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        if self._pending is not None:
            if self._carries_begin():
                return self._begin_with(sql, params)
            self._begin_pending()
        cur = self.raw.cursor()
        cur.execute(self._sql(sql), params or {})
        return cur

    def executemany(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if rows:
            if self._pending is not None:
                self._begin_pending()
            self.raw.cursor().executemany(self._sql(sql), rows)

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return list(self.execute(sql, params).fetchall())

    def tuples(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, in the order of the SELECT: the fast way to read many."""
        if self.dialect == "sqlite":
            if self._pending is not None:
                self._begin_pending()
            cur = self.raw.cursor()
            cur.row_factory = None  # plain tuples from the driver: no Row to copy
            rows_: list[tuple[Any, ...]] = cur.execute(sql, params or {}).fetchall()
            return rows_
        from psycopg.rows import tuple_row

        if self._pending is not None and self._carries_begin():
            cur = self._begin_with(sql, params, tuple_row)
        else:
            if self._pending is not None:
                self._begin_pending()
            cur = self.raw.cursor(row_factory=tuple_row)
            cur.execute(self._sql(sql), params or {})
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows

    SMALL_INSERT = 20  # rows: PostgreSQL gets them in one statement, more by executemany

    def few(self, rows: Sequence[object]) -> bool:
        """Whether so few rows are best inserted by one statement (:meth:`insert`)."""
        return len(rows) == 1 or (self.dialect == "postgresql" and len(rows) <= self.SMALL_INSERT)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows (each with the same keys). On PostgreSQL a few go as one statement
        of many VALUES: psycopg's executemany costs more than twice a plain statement."""
        if not rows:
            return
        if self.few(rows):
            self.execute(*values_statement(table, rows))
        else:
            columns = list(rows[0])
            self.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                "(" + ", ".join(f":{c}" for c in columns) + ")",
                rows,
            )

    def write_all(self, statements: Sequence[Statement]) -> None:
        """Run writes that do not read each other's rows (foreign keys aside: see
        :func:`~replog.storage.sql.with_all`): on PostgreSQL as one statement, one round
        trip; on SQLite, in process, one after the other."""
        if self.dialect == "postgresql" and len(statements) > 1:
            self.execute(*with_all(statements))
        else:
            for sql, params in statements:
                self.execute(sql, params)

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
        exclusively and waits for all of them. Readers take no lock, and on PostgreSQL no
        transaction either (see :meth:`Database.connect`). On PostgreSQL the BEGIN and the
        locks go with the transaction's first statement: one round trip less.
        """
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
            return
        if read_only:
            assert self.autocommit, "PostgreSQL reads run on autocommit connections"
            return
        if self.autocommit:  # BEGIN and the locks go with the first statement
            self._pending = (False, scope)
            return
        self.raw.execute(self._locks(scope))  # psycopg sends BEGIN first

    def _locks(self, scope: str | None) -> str:
        """The writer's locks on PostgreSQL, as SQL text (no parameters)."""
        if scope is None:
            return f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        from psycopg.sql import Literal

        return (
            f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK}), pg_advisory_xact_lock("
            f"{WRITE_LOCK}, hashtext({Literal(scope).as_string(self.raw)}))"
        )

    def begin_later(self, *, read_only: bool = False, scope: str | None = None) -> None:
        """:meth:`begin`, deferred to the next statement: a unit of work that commits and
        then ends (a logged set) takes its locks once, not again for nothing."""
        self._pending = (read_only, scope)

    def _begin_pending(self) -> None:
        assert self._pending is not None
        read_only, scope = self._pending
        self._pending = None
        if self.dialect == "postgresql" and self.autocommit and not read_only:
            self._carrying_begin(f"BEGIN; {self._locks(scope)}")
        else:
            self.begin(read_only=read_only, scope=scope)

    def _begin_with(self, sql: str, params: Mapping[str, Any] | None, rows: Any = None) -> Any:
        """PostgreSQL: BEGIN, the writer's locks and a transaction's first statement in one
        round trip (the simple query protocol, so psycopg binds the parameters itself: the
        statement is parsed afresh, not prepared). Returns the statement's cursor."""
        from psycopg import ClientCursor

        assert self._pending is not None
        scope = self._pending[1]
        self._pending = None
        cur = ClientCursor(self.raw, row_factory=rows or self.raw.row_factory)
        statement = cur.mogrify(self._sql(sql), params or {})
        self._carrying_begin(f"BEGIN; {self._locks(scope)}; {statement}", cur)
        cur.nextset()  # past BEGIN...
        cur.nextset()  # ...and the locks
        return cur

    def _carrying_begin(self, sql: str, cur: Any = None) -> None:
        """Run the text that begins a writer's transaction; the database not answering is
        a StorageError, as when a unit of work opens."""
        import psycopg

        try:
            (cur or self.raw.cursor()).execute(sql, prepare=False)
        except psycopg.OperationalError as exc:
            raise StorageError(f"the database is busy or locked: {exc}", field="database") from exc

    def _carries_begin(self) -> bool:
        """Whether the next statement can carry a pending BEGIN (:meth:`_begin_with`)."""
        assert self._pending is not None
        return self.dialect == "postgresql" and self.autocommit and not self._pending[0]

    def commit(self) -> None:
        if self._pending is not None:
            return  # nothing ran since the last commit: nothing to commit
        self.raw.commit() if self.dialect == "postgresql" else self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self._pending = None
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
