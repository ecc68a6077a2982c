"""Idle database connections, kept for the next unit of work."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from replog.storage.connection import Connection


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
