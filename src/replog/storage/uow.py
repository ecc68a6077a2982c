"""The SQL unit of work: one connection, one transaction, all repositories on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from replog.core.errors import ConflictError, StorageError
from replog.storage.database import Connection, Database
from replog.storage.repositories import (
    SqlAnalyses,
    SqlAnchors,
    SqlAthletes,
    SqlCheckIns,
    SqlExercises,
    SqlOrigins,
    SqlSessions,
    SqlSets,
)


class SqlUnitOfWork:
    def __init__(self, db: Database):
        self.db = db
        self.conn: Connection | None = None

    def __enter__(self) -> Self:
        conn = self.db.connect()
        try:
            conn.begin()
        except Exception as exc:
            conn.close()
            raise StorageError(f"the database is busy or locked: {exc}", field="database") from exc
        self.conn = conn
        self.athletes = SqlAthletes(conn)
        self.exercises = SqlExercises(conn)
        self.analyses = SqlAnalyses(conn)
        self.sets = SqlSets(conn, self.analyses)
        self.sessions = SqlSessions(conn, self.sets)
        self.checkins = SqlCheckIns(conn)
        self.anchors = SqlAnchors(conn)
        self.origins = SqlOrigins(conn)
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
        if exc is not None and _is_integrity_error(exc):
            raise ConflictError(f"the write conflicts with stored data: {exc}") from exc

    def commit(self) -> None:
        assert self.conn is not None
        try:
            self.conn.commit()
        except Exception as exc:
            if _is_integrity_error(exc):
                raise ConflictError(f"the write conflicts with stored data: {exc}") from exc
            raise
        self.conn.begin()

    def rollback(self) -> None:
        if self.conn is not None:
            self.conn.rollback()


def _is_integrity_error(exc: BaseException) -> bool:
    return type(exc).__name__ in {"IntegrityError", "UniqueViolation", "ForeignKeyViolation"} or (
        type(exc).__module__.startswith("psycopg")
        and "IntegrityError" in [c.__name__ for c in type(exc).__mro__]
    )
