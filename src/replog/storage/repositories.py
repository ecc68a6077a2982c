"""SQL repositories implementing :mod:`replog.services.ports` on one open connection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from replog.core.analysis import MODEL_WINDOW_DAYS
from replog.core.errors import NotFoundError
from replog.core.exercises import Exercise
from replog.core.model import Athlete, CheckIn, Rep, Session, SetKind, SetOrigin, SetRecord
from replog.core.profile_data import VELOCITY_RANGE
from replog.core.records import Lift
from replog.services.ports import HistoryRow, SessionSummary, StoredAnalysis, VelocityFacts
from replog.storage import mapping as m
from replog.storage.database import Connection, parse_ts

_JOIN = "sets s JOIN sessions se ON se.id = s.session_id"
_JOIN_TO = "sets s ON s.id = {} JOIN sessions se ON se.id = s.session_id"


def _insert(table: str, row: dict[str, Any]) -> str:
    return f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"


def _version_or_none(conn: Connection, table: str, row_id: str) -> int | None:
    value = conn.scalar(f"SELECT version FROM {table} WHERE id = :id", {"id": row_id})
    return None if value is None else int(value)


def _version(conn: Connection, table: str, row_id: str) -> int:
    """The version of a row just updated: a row that was not there is a caller's error."""
    value = _version_or_none(conn, table, row_id)
    if value is None:
        raise NotFoundError(f"no {table[:-1]} {row_id}", field=table[:-1])
    return value


class SqlAnalyses:
    """Stored session analyses, and their invalidation by writes to the sets they read."""

    HORIZON = timedelta(days=MODEL_WINDOW_DAYS)

    def __init__(self, conn: Connection):
        self.conn = conn

    def stored(self, athlete_id: str, version: str) -> list[StoredAnalysis]:
        rows = self.conn.tuples(
            "SELECT session_id, athlete_id, started_at, version, sets, dropoff_sets, advice, "
            "doc FROM session_analyses WHERE athlete_id = :a AND version = :v "
            "ORDER BY started_at, session_id",
            {"a": athlete_id, "v": version},
        )
        return [
            StoredAnalysis(r[0], r[1], parse_ts(r[2]), r[3], r[4], r[5], r[6], r[7]) for r in rows
        ]

    def store(self, entries: Iterable[StoredAnalysis]) -> None:
        rows = [
            {
                "session_id": e.session_id,
                "athlete_id": e.athlete_id,
                "started_at": self.conn.ts(e.started_at),
                "version": e.version,
                "sets": e.sets,
                "dropoff_sets": e.dropoff_sets,
                "advice": e.advice,
                "doc": e.doc,
            }
            for e in entries
        ]
        for chunk in range(0, len(rows), 500):
            part = rows[chunk : chunk + 500]
            in_sql, params = self.conn.in_list("s", [r["session_id"] for r in part])
            self.conn.execute(f"DELETE FROM session_analyses WHERE session_id IN {in_sql}", params)
            self.conn.executemany(_insert("session_analyses", part[0]), part)

    def invalidate(self, session_ids: Iterable[str]) -> None:
        """Forget the analyses that sets of these sessions feed: their own, and those of the
        athlete's sessions up to the model window after each."""
        ids = sorted(set(session_ids))
        if not ids:
            return
        in_sql, params = self.conn.in_list("s", ids)
        for row in self.conn.all(
            f"SELECT athlete_id, started_at FROM sessions WHERE id IN {in_sql}", params
        ):
            start = parse_ts(row["started_at"])
            self.conn.execute(
                "DELETE FROM session_analyses WHERE athlete_id = :a AND started_at >= :t "
                "AND started_at <= :u",
                {
                    "a": row["athlete_id"],
                    "t": self.conn.ts(start),
                    "u": self.conn.ts(start + self.HORIZON),
                },
            )


class SqlAthletes:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, athlete: Athlete) -> None:
        row = m.athlete_row(self.conn, athlete)
        self.conn.execute(_insert("athletes", row), row)

    def update(self, athlete: Athlete) -> int:
        self.conn.execute(
            "UPDATE athletes SET name = :name, default_unit = :default_unit, "
            "body_mass_kg = :body_mass_kg, dropoff_threshold_pct = :dropoff_threshold_pct, "
            "version = version + 1 WHERE id = :id",
            m.athlete_row(self.conn, athlete),
        )
        return _version(self.conn, "athletes", athlete.id)

    def version(self, athlete_id: str) -> int | None:
        return _version_or_none(self.conn, "athletes", athlete_id)

    def get(self, athlete_id: str) -> Athlete | None:
        row = self.conn.one("SELECT * FROM athletes WHERE id = :id", {"id": athlete_id})
        return None if row is None else m.athlete_from(row)

    def by_name(self, name: str) -> Athlete | None:
        row = self.conn.one(
            "SELECT * FROM athletes WHERE lower(name) = lower(:name)", {"name": name}
        )
        return None if row is None else m.athlete_from(row)

    def list(self) -> list[Athlete]:
        return [m.athlete_from(r) for r in self.conn.all("SELECT * FROM athletes ORDER BY id")]


class SqlExercises:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, exercise: Exercise) -> None:
        row = m.exercise_row(exercise)
        self.conn.execute(_insert("custom_exercises", row), row)

    def list(self, athlete_id: str | None = None) -> list[Exercise]:
        """The shared exercises and the athlete's own; without an athlete, every one.

        Keys are unique across athletes, so ``list(None)`` is what an importer checks them
        against.
        """
        if athlete_id is None:
            rows = self.conn.all("SELECT * FROM custom_exercises ORDER BY key")
        else:
            rows = self.conn.all(
                "SELECT * FROM custom_exercises WHERE athlete_id IS NULL OR athlete_id = :a "
                "ORDER BY key",
                {"a": athlete_id},
            )
        return [m.exercise_from(r) for r in rows]


class SqlSets:
    def __init__(self, conn: Connection, analyses: SqlAnalyses):
        self.conn = conn
        self.analyses = analyses

    def add(self, record: SetRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Iterable[SetRecord]) -> None:
        records = list(records)
        if not records:
            return
        self.insert(records)
        self.analyses.invalidate(r.session_id for r in records)

    def insert(self, records: list[SetRecord]) -> None:
        """Write the sets, their reps and tags; the caller forgets the analyses they change."""
        if not records:
            return
        rows = [m.set_row(self.conn, r) for r in records]
        self.conn.executemany(_insert("sets", rows[0]), rows)
        reps = [row for r in records for row in m.rep_rows(r)]
        if reps:
            self.conn.executemany(_insert("reps", reps[0]), reps)
        tags = [row for r in records for row in m.tag_rows(r)]
        if tags:
            self.conn.executemany(_insert("set_tags", tags[0]), tags)

    def get(self, set_id: str) -> SetRecord | None:
        found = self.load("s.id = :id", {"id": set_id})
        return found[0] if found else None

    def update(self, record: SetRecord) -> int:
        """Rewrite the set in place: its reps and tags replaced, its provenance kept, its
        version bumped (returned); the analyses its old and new session feed are forgotten."""
        was = self.conn.scalar("SELECT session_id FROM sets WHERE id = :id", {"id": record.id})
        if was is None:
            raise NotFoundError(f"no set {record.id}", field="set")
        self.analyses.invalidate({str(was), record.session_id})
        row = m.set_row(self.conn, record)
        columns = ", ".join(f"{k} = :{k}" for k in row if k != "id")
        self.conn.execute(f"UPDATE sets SET {columns}, version = version + 1 WHERE id = :id", row)
        for table in ("reps", "set_tags"):
            self.conn.execute(f"DELETE FROM {table} WHERE set_id = :id", {"id": record.id})
        reps, tags = m.rep_rows(record), m.tag_rows(record)
        if reps:
            self.conn.executemany(_insert("reps", reps[0]), reps)
        if tags:
            self.conn.executemany(_insert("set_tags", tags[0]), tags)
        return _version(self.conn, "sets", record.id)

    def athlete_of(self, set_id: str) -> str | None:
        value = self.conn.scalar(
            f"SELECT se.athlete_id FROM {_JOIN} WHERE s.id = :id", {"id": set_id}
        )
        return None if value is None else str(value)

    def versions(self, ids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        unique = sorted(set(ids))
        for chunk in range(0, len(unique), 500):
            in_sql, params = self.conn.in_list("i", unique[chunk : chunk + 500])
            for r in self.conn.tuples(f"SELECT id, version FROM sets WHERE id IN {in_sql}", params):
                out[r[0]] = int(r[1])
        return out

    def delete(self, set_id: str) -> None:
        session = self.conn.scalar("SELECT session_id FROM sets WHERE id = :id", {"id": set_id})
        if session is not None:
            self.analyses.invalidate([str(session)])
        # children first: cascades are declared, but do not depend on the pragma being on
        for table in ("reps", "set_tags", "set_origins"):
            self.conn.execute(f"DELETE FROM {table} WHERE set_id = :id", {"id": set_id})
        self.conn.execute("DELETE FROM sets WHERE id = :id", {"id": set_id})

    def last_for(self, athlete_id: str) -> SetRecord | None:
        row = self.conn.one(
            f"SELECT s.id FROM {_JOIN} WHERE se.athlete_id = :a "
            "ORDER BY s.performed_at DESC, s.id DESC LIMIT 1",
            {"a": athlete_id},
        )
        return None if row is None else self.get(row["id"])

    def next_position(self, session_id: str) -> int:
        value = self.conn.scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM sets WHERE session_id = :s",
            {"s": session_id},
        )
        return int(value)

    def lifts(self, athlete_id: str, exercise: str) -> list[Lift]:
        rows = self.conn.tuples(
            "SELECT s.id, s.session_id, se.started_at, s.performed_at, s.position, "
            f"s.load_value, s.load_unit, s.load_kg, s.reps, s.kind FROM {_JOIN} "
            "WHERE se.athlete_id = :a AND s.exercise = :e",
            {"a": athlete_id, "e": exercise},
        )
        kinds = {k.value: k for k in SetKind}
        return [
            Lift(
                r[0],
                r[1],
                parse_ts(r[2]),
                parse_ts(r[3]),
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                kinds[r[9]],
            )
            for r in rows
        ]

    def history(
        self,
        athlete_id: str,
        exercise: str,
        session_ids: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[HistoryRow]:
        where = "se.athlete_id = :a AND s.exercise = :e"
        params: dict[str, Any] = {"a": athlete_id, "e": exercise}
        if since is not None:
            where += " AND se.started_at >= :since"
            params["since"] = self.conn.ts(since)
        if until is not None:
            where += " AND se.started_at < :until"
            params["until"] = self.conn.ts(until)
        if session_ids is not None:
            if not session_ids:
                return []
            in_sql, in_params = self.conn.in_list("sid", list(session_ids))
            where += f" AND se.id IN {in_sql}"
            params.update(in_params)
        started = {
            r["id"]: parse_ts(r["started_at"])
            for r in self.conn.all(
                f"SELECT DISTINCT se.id, se.started_at FROM {_JOIN} WHERE {where}", params
            )
        }
        return [
            HistoryRow(s.session_id, started[s.session_id], s) for s in self.load(where, params)
        ]

    def velocity_facts(
        self, athlete_id: str, exercise: str, since: datetime, until: datetime
    ) -> list[VelocityFacts]:
        low, high = VELOCITY_RANGE
        rows = self.conn.tuples(
            "SELECT se.started_at, s.load_kg, (SELECT MAX(r.mcv) FROM reps r "
            "WHERE r.set_id = s.id AND r.mcv >= :lo AND r.mcv <= :hi), s.kind, s.reps, s.rir "
            "FROM sessions se JOIN sets s ON s.session_id = se.id "
            "WHERE se.athlete_id = :a AND s.exercise = :e AND se.started_at >= :since "
            "AND se.started_at < :until ORDER BY se.started_at, s.position",
            {
                "a": athlete_id,
                "e": exercise,
                "lo": low,
                "hi": high,
                "since": self.conn.ts(since),
                "until": self.conn.ts(until),
            },
        )
        kinds = {k.value: k for k in SetKind}
        return [VelocityFacts(parse_ts(r[0]), r[1], r[2], kinds[r[3]], r[4], r[5]) for r in rows]

    def count(self, athlete_id: str) -> int:
        return int(
            self.conn.scalar(
                f"SELECT COUNT(*) FROM {_JOIN} WHERE se.athlete_id = :a", {"a": athlete_id}
            )
        )

    def exercises_used(self, athlete_id: str) -> dict[str, int]:
        rows = self.conn.all(
            f"SELECT s.exercise AS e, COUNT(*) AS n FROM {_JOIN} WHERE se.athlete_id = :a "
            "GROUP BY s.exercise",
            {"a": athlete_id},
        )
        return {r["e"]: int(r["n"]) for r in rows}

    def load(self, where: str, params: dict[str, Any]) -> list[SetRecord]:
        """Sets matching ``where`` (over ``s`` = sets, ``se`` = sessions) with reps and tags."""
        reps: dict[str, list[Rep]] = defaultdict(list)
        for row in self.conn.all(
            f"SELECT r.* FROM reps r JOIN {_JOIN_TO.format('r.set_id')} WHERE {where} "
            "ORDER BY r.set_id, r.idx",
            params,
        ):
            reps[row["set_id"]].append(m.rep_from(row))
        tags: dict[str, list[str]] = defaultdict(list)
        for row in self.conn.all(
            f"SELECT t.set_id, t.tag FROM set_tags t JOIN {_JOIN_TO.format('t.set_id')} "
            f"WHERE {where} ORDER BY t.set_id, t.tag",
            params,
        ):
            tags[row["set_id"]].append(row["tag"])
        rows = self.conn.all(
            f"SELECT s.* FROM {_JOIN} WHERE {where} ORDER BY se.started_at, se.id, s.position",
            params,
        )
        return [m.set_from(r, tuple(reps[r["id"]]), tuple(tags[r["id"]])) for r in rows]


class SqlSessions:
    def __init__(self, conn: Connection, sets: SqlSets):
        self.conn = conn
        self.sets = sets

    def add(self, session: Session) -> None:
        row = m.session_row(self.conn, session)
        self.conn.execute(_insert("sessions", row), row)
        self.sets.add_many(session.sets)
        self.sets.analyses.invalidate([session.id])

    def add_many(self, sessions: Sequence[Session]) -> None:
        """Write many sessions at once (an import): one statement per table, and one sweep
        of the stored analyses from the earliest of them on."""
        if not sessions:
            return
        rows = [m.session_row(self.conn, s) for s in sessions]
        self.conn.executemany(_insert("sessions", rows[0]), rows)
        self.sets.insert([r for s in sessions for r in s.sets])
        for athlete_id in {s.athlete_id for s in sessions}:
            first = min(s.started_at for s in sessions if s.athlete_id == athlete_id)
            self.conn.execute(
                "DELETE FROM session_analyses WHERE athlete_id = :a AND started_at >= :t",
                {"a": athlete_id, "t": self.conn.ts(first)},
            )

    def update(self, session: Session) -> int:
        self.sets.analyses.invalidate([session.id])  # around where it was...
        self.conn.execute(
            "UPDATE sessions SET started_at = :started_at, ended_at = :ended_at, name = :name, "
            "notes = :notes, version = version + 1 WHERE id = :id",
            m.session_row(self.conn, session),
        )
        self.sets.analyses.invalidate([session.id])  # ...and where it is now
        return _version(self.conn, "sessions", session.id)

    def version(self, session_id: str) -> int | None:
        return _version_or_none(self.conn, "sessions", session_id)

    def get(self, session_id: str) -> Session | None:
        row = self.conn.one("SELECT * FROM sessions WHERE id = :id", {"id": session_id})
        if row is None:
            return None
        return m.session_from(row, tuple(self.sets.load("s.session_id = :id", {"id": session_id})))

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
        return [m.session_from(r) for r in rows]

    def summaries(
        self, athlete_id: str, limit: int | None = None, since: datetime | None = None
    ) -> list[SessionSummary]:
        sql = (
            "SELECT se.id, se.athlete_id, se.started_at, se.ended_at, se.name, "
            "COUNT(s.id) AS n_sets, COALESCE(SUM(s.reps), 0) AS n_reps, "
            "COALESCE(SUM(s.reps * s.load_kg), 0) AS volume "
            "FROM sessions se LEFT JOIN sets s ON s.session_id = se.id "
            "WHERE se.athlete_id = :a"
            + (" AND se.started_at >= :since" if since else "")
            + " GROUP BY se.id, se.athlete_id, se.started_at, se.ended_at, se.name "
            "ORDER BY se.started_at DESC, se.id DESC" + (" LIMIT :limit" if limit else "")
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

    def starts(self, athlete_id: str) -> list[tuple[str, datetime]]:
        rows = self.conn.all(
            "SELECT id, started_at FROM sessions WHERE athlete_id = :a ORDER BY started_at, id",
            {"a": athlete_id},
        )
        return [(r["id"], parse_ts(r["started_at"])) for r in rows]

    def delete(self, session_id: str) -> None:
        self.sets.analyses.invalidate([session_id])
        for s in self.conn.all("SELECT id FROM sets WHERE session_id = :s", {"s": session_id}):
            self.sets.delete(s["id"])
        self.conn.execute("DELETE FROM sessions WHERE id = :s", {"s": session_id})


class SqlCheckIns:
    def __init__(self, conn: Connection):
        self.conn = conn

    def upsert(self, checkin: CheckIn) -> None:
        row = m.checkin_row(self.conn, checkin)
        keep = {"id", "athlete_id", "day"}  # the day's check-in keeps its first id
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in keep)
        self.conn.execute(
            _insert("checkins", row) + f" ON CONFLICT (athlete_id, day) DO UPDATE SET {updates}"
            ", version = checkins.version + 1",
            row,
        )

    def version(self, athlete_id: str, day: date) -> int | None:
        value = self.conn.scalar(
            "SELECT version FROM checkins WHERE athlete_id = :a AND day = :d",
            {"a": athlete_id, "d": self.conn.day(day)},
        )
        return None if value is None else int(value)

    def get(self, athlete_id: str, day: date) -> CheckIn | None:
        row = self.conn.one(
            "SELECT * FROM checkins WHERE athlete_id = :a AND day = :d",
            {"a": athlete_id, "d": self.conn.day(day)},
        )
        return None if row is None else m.checkin_from(row)

    def list(self, athlete_id: str) -> list[CheckIn]:
        rows = self.conn.all(
            "SELECT * FROM checkins WHERE athlete_id = :a ORDER BY day", {"a": athlete_id}
        )
        return [m.checkin_from(r) for r in rows]


class SqlAnchors:
    """Warm-up anchor loads set by the lifter, per exercise."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def set(self, athlete_id: str, exercise: str, load_kg: float) -> None:
        row = {"athlete_id": athlete_id, "exercise": exercise, "load_kg": load_kg}
        self.conn.execute(
            _insert("warmup_anchors", row)
            + " ON CONFLICT (athlete_id, exercise) DO UPDATE SET load_kg = excluded.load_kg",
            row,
        )

    def clear(self, athlete_id: str, exercise: str) -> bool:
        args = {"a": athlete_id, "e": exercise}
        found = self.conn.one(
            "SELECT 1 AS x FROM warmup_anchors WHERE athlete_id = :a AND exercise = :e", args
        )
        self.conn.execute(
            "DELETE FROM warmup_anchors WHERE athlete_id = :a AND exercise = :e", args
        )
        return found is not None

    def list(self, athlete_id: str) -> dict[str, float]:
        rows = self.conn.all(
            "SELECT exercise, load_kg FROM warmup_anchors WHERE athlete_id = :a", {"a": athlete_id}
        )
        return {r["exercise"]: float(r["load_kg"]) for r in rows}


class SqlOrigins:
    """Where imported sets came from."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def add_many(self, origins: Iterable[SetOrigin]) -> None:
        rows = [
            {
                "set_id": o.set_id,
                "format": o.format,
                "source": o.source,
                "line": o.line,
                "row": o.row,
            }
            for o in origins
        ]
        if rows:
            self.conn.executemany(_insert("set_origins", rows[0]), rows)

    def for_athlete(self, athlete_id: str) -> list[SetOrigin]:
        rows = self.conn.tuples(
            "SELECT o.set_id, o.format, o.source, o.line, o.row FROM set_origins o"
            f" JOIN {_JOIN_TO.format('o.set_id')} WHERE se.athlete_id = :a ORDER BY o.set_id",
            {"a": athlete_id},
        )
        return [SetOrigin(*r) for r in rows]

    def get(self, set_id: str) -> SetOrigin | None:
        row = self.conn.tuples(
            "SELECT set_id, format, source, line, row FROM set_origins WHERE set_id = :s",
            {"s": set_id},
        )
        return SetOrigin(*row[0]) if row else None
