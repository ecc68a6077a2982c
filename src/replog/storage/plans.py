"""Plans in SQL: programs and templates as JSON documents, the program each lifter
follows, and the plan each session started from (migration 0014)."""

from __future__ import annotations

import builtins
from typing import Any

from replog.services.ports import ActiveProgram, PlannedSession, StoredPlan
from replog.storage.connection import Connection, parse_ts
from replog.storage.sql import insert_sql


class SqlPlans:
    def __init__(self, conn: Connection):
        self.conn = conn

    def _plan(self, r: Any) -> StoredPlan:
        return StoredPlan(r["id"], r["athlete_id"], r["name"], r["doc"],
                          parse_ts(r["updated_at"]), int(r["version"]))  # fmt: skip

    def add(self, plan: StoredPlan) -> None:
        self.conn.insert("plans", [{
            "id": plan.id, "athlete_id": plan.athlete_id, "name": plan.name, "doc": plan.doc,
            "updated_at": self.conn.ts(plan.updated_at), "version": plan.version,
        }])  # fmt: skip

    def update(self, plan: StoredPlan) -> int:
        self.conn.execute(
            "UPDATE plans SET name = :n, doc = :d, updated_at = :u, version = version + 1 "
            "WHERE id = :id",
            {"n": plan.name, "d": plan.doc, "u": self.conn.ts(plan.updated_at), "id": plan.id},
        )
        return int(self.conn.scalar("SELECT version FROM plans WHERE id = :id", {"id": plan.id}))

    def get(self, plan_id: str) -> StoredPlan | None:
        row = self.conn.one("SELECT * FROM plans WHERE id = :id", {"id": plan_id})
        return None if row is None else self._plan(row)

    def list(self, athlete_id: str) -> list[StoredPlan]:
        rows = self.conn.all(
            "SELECT * FROM plans WHERE athlete_id = :a ORDER BY name", {"a": athlete_id}
        )
        return [self._plan(r) for r in rows]

    def delete(self, plan_id: str) -> bool:
        found = self.get(plan_id) is not None
        self.conn.execute("DELETE FROM plans WHERE id = :id", {"id": plan_id})
        return found

    def active(self, athlete_id: str) -> ActiveProgram | None:
        r = self.conn.one("SELECT * FROM active_programs WHERE athlete_id = :a", {"a": athlete_id})
        if r is None:
            return None
        return ActiveProgram(r["athlete_id"], r["source"], r["name"], r["doc"],
                             parse_ts(r["started_at"]))  # fmt: skip

    def set_active(self, program: ActiveProgram) -> None:
        row = {"athlete_id": program.athlete_id, "source": program.source, "name": program.name,
               "doc": program.doc, "started_at": self.conn.ts(program.started_at)}  # fmt: skip
        self.conn.execute(
            insert_sql("active_programs", row)
            + " ON CONFLICT (athlete_id) DO UPDATE SET source = excluded.source, "
            "name = excluded.name, doc = excluded.doc, started_at = excluded.started_at",
            row,
        )

    def clear_active(self, athlete_id: str) -> bool:
        found = self.active(athlete_id) is not None
        self.conn.execute("DELETE FROM active_programs WHERE athlete_id = :a", {"a": athlete_id})
        return found

    def _planned(self, r: Any) -> PlannedSession:
        return PlannedSession(r["session_id"], r["athlete_id"], r["source"], int(r["week"]),
                              int(r["day"]), r["doc"], parse_ts(r["created_at"]))  # fmt: skip

    def add_session(self, planned: PlannedSession) -> None:
        self.conn.insert("planned_sessions", [{
            "session_id": planned.session_id, "athlete_id": planned.athlete_id,
            "source": planned.source, "week": planned.week, "day": planned.day,
            "doc": planned.doc, "created_at": self.conn.ts(planned.created_at),
        }])  # fmt: skip

    def session(self, session_id: str) -> PlannedSession | None:
        r = self.conn.one("SELECT * FROM planned_sessions WHERE session_id = :s", {"s": session_id})
        return None if r is None else self._planned(r)

    def last_session(self, athlete_id: str, source: str) -> PlannedSession | None:
        r = self.conn.one(
            "SELECT * FROM planned_sessions WHERE athlete_id = :a AND source = :s "
            "ORDER BY created_at DESC LIMIT 1",
            {"a": athlete_id, "s": source},
        )
        return None if r is None else self._planned(r)

    def sessions_of(self, athlete_id: str) -> builtins.list[PlannedSession]:
        rows = self.conn.all(
            "SELECT * FROM planned_sessions WHERE athlete_id = :a ORDER BY created_at, session_id",
            {"a": athlete_id},
        )
        return [self._planned(r) for r in rows]
