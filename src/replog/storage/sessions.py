"""The training log's sessions, each with its sets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from replog.core.model import Session, SetRecord
from replog.services.ports import SessionSummary
from replog.storage import mapping as m
from replog.storage.connection import Connection, parse_ts
from replog.storage.sets import SqlSets
from replog.storage.sql import insert_sql, version_of, version_or_none

_SESSION_KEYS = ("id", "athlete_id", "started_at", "ended_at", "name", "notes")
_OWNER = (
    "(SELECT so.athlete_id FROM sets xs JOIN sessions so ON so.id = xs.session_id "
    "WHERE xs.id = :set_id) AS owner"
)
_SESSION_COLUMNS = tuple(f"se.{k} AS se_{k}" for k in _SESSION_KEYS)  # named apart


class SqlSessions:
    def __init__(self, conn: Connection, sets: SqlSets):
        self.conn = conn
        self.sets = sets
        self.analyses = sets.analyses

    def add(self, session: Session) -> None:
        row = m.session_row(self.conn, session)
        self.conn.execute(insert_sql("sessions", row), row)
        self.sets.insert(list(session.sets), {session.id: session.athlete_id})
        self.analyses.know(session.id, session.athlete_id, session.started_at)
        self.analyses.invalidate([session.id])

    def add_many(self, sessions: Sequence[Session]) -> None:
        """Write many sessions at once (an import): one statement per table, and one sweep
        of the stored analyses from the earliest of them on."""
        if not sessions:
            return
        rows = [m.session_row(self.conn, s) for s in sessions]
        self.conn.insert("sessions", rows)
        self.sets.insert(
            [r for s in sessions for r in s.sets], {s.id: s.athlete_id for s in sessions}
        )
        for athlete_id in {s.athlete_id for s in sessions}:
            first = min(s.started_at for s in sessions if s.athlete_id == athlete_id)
            for table in ("session_analyses", "session_models", "session_bests"):
                self.conn.execute(
                    f"DELETE FROM {table} WHERE athlete_id = :a AND started_at >= :t",
                    {"a": athlete_id, "t": self.conn.ts(first)},
                )

    def update(self, session: Session) -> int:
        self.analyses.invalidate([session.id])  # around where it was...
        # its own models: its start, so the weeks before it, may move
        for table in ("session_models", "session_bests"):
            self.conn.execute(f"DELETE FROM {table} WHERE session_id = :s", {"s": session.id})
        self.conn.execute(
            "UPDATE sessions SET started_at = :started_at, ended_at = :ended_at, name = :name, "
            "notes = :notes, version = version + 1 WHERE id = :id",
            m.session_row(self.conn, session),
        )
        was = self.analyses.starts.get(session.id)  # the row's athlete, which stays
        if was is not None:
            self.analyses.know(session.id, was[0], session.started_at)
        self.analyses.invalidate([session.id])  # ...and where it is now
        return version_of(self.conn, "sessions", session.id)

    def version(self, session_id: str) -> int | None:
        return version_or_none(self.conn, "sessions", session_id)

    def get(self, session_id: str) -> Session | None:
        """The session with its sets, their reps and tags: one statement."""
        head, sets = self.sets.joined(
            "FROM sessions se LEFT JOIN sets s ON s.session_id = se.id "
            "LEFT JOIN reps r ON r.set_id = s.id WHERE se.id = :id ORDER BY s.position, r.idx",
            {"id": session_id},
            _SESSION_COLUMNS,
        )
        return None if head is None else self._session(head, sets)

    def get_with_owner(
        self, session_id: str, set_id: str | None
    ) -> tuple[Session | None, str | None]:
        """:meth:`get`, and the athlete whose log holds the set ``set_id``, in one statement
        (a row even without the session)."""
        head, sets = self.sets.joined(
            "FROM (SELECT 1 AS one) one LEFT JOIN sessions se ON se.id = :id "
            "LEFT JOIN sets s ON s.session_id = se.id LEFT JOIN reps r ON r.set_id = s.id "
            "ORDER BY s.position, r.idx",
            {"id": session_id, "set_id": set_id},
            (_OWNER, *_SESSION_COLUMNS),
        )
        assert head is not None
        owner = None if head[0] is None else str(head[0])
        return (None if head[1] is None else self._session(head[1:], sets)), owner

    def _session(self, head: tuple[Any, ...], sets: list[SetRecord]) -> Session:
        session = m.session_from(dict(zip(_SESSION_KEYS, head, strict=True)), tuple(sets))
        self.analyses.know(session.id, session.athlete_id, session.started_at)
        return session

    def find_ids(self, athlete_id: str, prefix: str) -> list[str]:
        rows = self.conn.all(
            "SELECT id FROM sessions WHERE athlete_id = :a AND id LIKE :p ORDER BY id LIMIT 5",
            {"a": athlete_id, "p": prefix.lower().replace("%", "").replace("_", "") + "%"},
        )
        return [r["id"] for r in rows]

    def latest(self, athlete_id: str) -> Session | None:
        row = self.conn.one(
            "SELECT id FROM sessions WHERE athlete_id = :a ORDER BY started_at DESC, id DESC "
            "LIMIT 1",
            {"a": athlete_id},
        )
        return None if row is None else self.get(row["id"])

    def on_day(self, athlete_id: str, start: datetime, end: datetime) -> list[Session]:
        rows = self.conn.all(
            "SELECT * FROM sessions WHERE athlete_id = :a AND started_at >= :s "
            "AND started_at < :e ORDER BY started_at",
            {"a": athlete_id, "s": self.conn.ts(start), "e": self.conn.ts(end)},
        )
        found = [m.session_from(r) for r in rows]
        for f in found:
            self.analyses.know(f.id, f.athlete_id, f.started_at)
        return found

    def summaries(
        self, athlete_id: str, limit: int | None = None, since: datetime | None = None
    ) -> list[SessionSummary]:
        # the sessions first (the newest ``limit`` by the index), then their sets: the
        # aggregate reads only the sessions shown, however long the log
        chosen = (
            "SELECT id, athlete_id, started_at, ended_at, name FROM sessions "
            "WHERE athlete_id = :a"
            + (" AND started_at >= :since" if since else "")
            + " ORDER BY started_at DESC, id DESC"
            + (" LIMIT :limit" if limit else "")
        )
        sql = (
            "SELECT se.id, se.athlete_id, se.started_at, se.ended_at, se.name, "
            "COUNT(s.id) AS n_sets, COALESCE(SUM(s.reps), 0) AS n_reps, "
            "COALESCE(SUM(s.reps * s.load_kg), 0) AS volume "
            f"FROM ({chosen}) se LEFT JOIN sets s ON s.session_id = se.id "
            "GROUP BY se.id, se.athlete_id, se.started_at, se.ended_at, se.name "
            "ORDER BY se.started_at DESC, se.id DESC"
        )
        params: dict[str, Any] = {"a": athlete_id, "since": self.conn.ts(since), "limit": limit}
        rows = self.conn.all(sql, params)
        if not rows:
            return []
        in_sql, in_params = self.conn.in_list("id", [r["id"] for r in rows])
        names: dict[str, list[str]] = defaultdict(list)
        for r in self.conn.all(
            f"SELECT session_id, exercise, MIN(position) AS p FROM sets WHERE session_id IN "
            f"{in_sql} GROUP BY session_id, exercise ORDER BY session_id, p",
            in_params,
        ):
            names[r["session_id"]].append(r["exercise"])
        return [
            SessionSummary(
                r["id"],
                r["athlete_id"],
                parse_ts(r["started_at"]),
                None if r["ended_at"] is None else parse_ts(r["ended_at"]),
                r["name"],
                int(r["n_sets"]),
                int(r["n_reps"]),
                float(r["volume"]),
                tuple(names[r["id"]]),
            )
            for r in rows
        ]

    def all_for(self, athlete_id: str, since: datetime | None = None) -> list[Session]:
        where, params = "se.athlete_id = :a", {"a": athlete_id, "since": self.conn.ts(since)}
        if since is not None:
            where += " AND se.started_at >= :since"
        by_session: dict[str, list[SetRecord]] = defaultdict(list)
        for s in self.sets.load(where, params):
            by_session[s.session_id].append(s)
        rows = self.conn.all(
            f"SELECT * FROM sessions se WHERE {where} ORDER BY started_at, id", params
        )
        return [m.session_from(r, tuple(by_session[r["id"]])) for r in rows]

    def page(
        self, athlete_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Session]:
        params: dict[str, Any] = {"a": athlete_id, "limit": limit}
        where = "athlete_id = :a"
        if after is not None:
            where += " AND (started_at > :t OR (started_at = :t AND id > :i))"
            params.update(t=self.conn.ts(after[0]), i=after[1])
        rows = self.conn.all(
            f"SELECT * FROM sessions WHERE {where} ORDER BY started_at, id LIMIT :limit", params
        )
        if not rows:
            return []
        in_sql, in_params = self.conn.in_list("p", [r["id"] for r in rows])
        by_session: dict[str, list[SetRecord]] = defaultdict(list)
        for s in self.sets.load(f"se.id IN {in_sql}", in_params):
            by_session[s.session_id].append(s)
        return [m.session_from(r, tuple(by_session[r["id"]])) for r in rows]

    def starts(self, athlete_id: str) -> list[tuple[str, datetime]]:
        rows = self.conn.all(
            "SELECT id, started_at FROM sessions WHERE athlete_id = :a ORDER BY started_at, id",
            {"a": athlete_id},
        )
        return [(r["id"], parse_ts(r["started_at"])) for r in rows]

    def delete(self, session_id: str) -> None:
        self.analyses.invalidate([session_id])
        for s in self.conn.all("SELECT id FROM sets WHERE session_id = :s", {"s": session_id}):
            self.sets.delete(s["id"])
        self.conn.execute("DELETE FROM sessions WHERE id = :s", {"s": session_id})
        self.analyses.starts.pop(session_id, None)
