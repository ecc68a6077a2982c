"""The SQL unit of work: one connection, one transaction, all repositories on it."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

from replog.core.errors import ConflictError, StorageError
from replog.storage.accounts import SqlGrants, SqlLoginFailures, SqlTokens, SqlUsers
from replog.storage.connection import Connection
from replog.storage.database import Database
from replog.storage.plans import SqlPlans
from replog.storage.repositories import (
    SqlAnchors,
    SqlAthletes,
    SqlCheckIns,
    SqlExercises,
    SqlImports,
    SqlOrigins,
)
from replog.storage.sessions import SqlSessions
from replog.storage.sets import SqlAnalyses, SqlSets
from replog.storage.sql import CLASH


class SqlUnitOfWork:
    def __init__(self, db: Database, *, read_only: bool = False, scope: str | None = None):
        self.db = db
        self.read_only = read_only  # reads take no writer's lock and may not commit
        self.scope = scope  # the athlete whose log alone this unit of work writes
        self.conn: Connection | None = None

    def __enter__(self) -> Self:
        conn = self.db.connect(read_only=self.read_only)
        locked = False
        try:
            if not self.read_only:
                locked = self.db.acquire_writer()
            conn.begin(read_only=self.read_only, scope=self.scope)
        except Exception as exc:
            if locked:
                self.db.release_writer()
            conn.close()
            raise StorageError(f"the database is busy or locked: {exc}", field="database") from exc
        self._locked = locked
        self.conn = conn
        self.athletes = SqlAthletes(conn)
        self.exercises = SqlExercises(conn)
        self.analyses = SqlAnalyses(conn)
        self.sets = SqlSets(conn, self.analyses)
        self.sessions = SqlSessions(conn, self.sets)
        self.checkins = SqlCheckIns(conn)
        self.anchors = SqlAnchors(conn)
        self.origins = SqlOrigins(conn)
        self.users = SqlUsers(conn)
        self.tokens = SqlTokens(conn)
        self.grants = SqlGrants(conn)
        self.login_failures = SqlLoginFailures(conn)
        self.imports = SqlImports(conn, self.sessions)
        self.plans = SqlPlans(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.conn is not None
        try:
            self.rollback()
        finally:
            self.conn.close()
            self.conn = None
            if self._locked:
                self._locked = False
                self.db.release_writer()
        if exc is not None and _is_integrity_error(exc):
            raise _conflict(exc) from exc

    def reader(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.db, read_only=True)

    def commit(self) -> None:
        assert self.conn is not None
        if self.read_only:
            raise StorageError("a read-only unit of work cannot commit", field="database")
        self.analyses.reset()
        try:
            self.conn.commit()
        except Exception as exc:
            if _is_integrity_error(exc):
                raise _conflict(exc) from exc
            raise
        # the same lock again (scoped stays scoped), taken by the next statement if any
        self.conn.begin_later(scope=self.scope)

    def rollback(self) -> None:
        if self.conn is not None:
            self.analyses.reset()
            self.conn.rollback()


log = logging.getLogger("replog.storage")


def _conflict(exc: BaseException) -> ConflictError:
    """The error a caller sees for a write a constraint refused: what kind of clash, never
    the database's own text (its table and column names; the log keeps them)."""
    log.warning("a write was refused by a constraint: %s", exc)
    return ConflictError(CLASH)


def _is_integrity_error(exc: BaseException) -> bool:
    return type(exc).__name__ in {"IntegrityError", "UniqueViolation", "ForeignKeyViolation"} or (
        type(exc).__module__.startswith("psycopg")
        and "IntegrityError" in [c.__name__ for c in type(exc).__mro__]
    )
