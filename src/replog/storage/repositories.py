"""SQL repositories implementing :mod:`replog.services.ports` on one open connection: the
athletes, their exercises, check-ins, warm-up anchors and import provenance. The training
log itself is in :mod:`replog.storage.sessions` and :mod:`replog.storage.sets`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from replog.core.exercises import Exercise
from replog.core.gear import OwnGear
from replog.core.model import Athlete, CheckIn, SetOrigin
from replog.storage import mapping as m
from replog.storage.connection import Connection
from replog.storage.sql import JOIN_TO, insert_sql, version_of, version_or_none


class SqlAthletes:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, athlete: Athlete) -> None:
        row = m.athlete_row(self.conn, athlete)
        self.conn.execute(insert_sql("athletes", row), row)

    def update(self, athlete: Athlete) -> int:
        self.conn.execute(
            "UPDATE athletes SET name = :name, default_unit = :default_unit, "
            "body_mass_kg = :body_mass_kg, dropoff_threshold_pct = :dropoff_threshold_pct, "
            "gear = :gear, version = version + 1 WHERE id = :id",
            m.athlete_row(self.conn, athlete),
        )
        return version_of(self.conn, "athletes", athlete.id)

    def set_gear(self, athlete_id: str, gear: OwnGear) -> None:
        self.conn.execute(
            "UPDATE athletes SET gear = :gear WHERE id = :id",
            {"gear": m.gear_column(gear), "id": athlete_id},
        )

    def version(self, athlete_id: str) -> int | None:
        return version_or_none(self.conn, "athletes", athlete_id)

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
        self.conn.execute(insert_sql("custom_exercises", row), row)

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


class SqlCheckIns:
    def __init__(self, conn: Connection):
        self.conn = conn

    def upsert(self, checkin: CheckIn) -> None:
        row = m.checkin_row(self.conn, checkin)
        keep = {"id", "athlete_id", "day"}  # the day's check-in keeps its first id
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in keep)
        self.conn.execute(
            insert_sql("checkins", row) + f" ON CONFLICT (athlete_id, day) DO UPDATE SET {updates}"
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
            insert_sql("warmup_anchors", row)
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
            self.conn.insert("set_origins", rows)

    def for_athlete(self, athlete_id: str) -> list[SetOrigin]:
        rows = self.conn.tuples(
            "SELECT o.set_id, o.format, o.source, o.line, o.row FROM set_origins o"
            f" JOIN {JOIN_TO.format('o.set_id')} WHERE se.athlete_id = :a ORDER BY o.set_id",
            {"a": athlete_id},
        )
        return [SetOrigin(*r) for r in rows]

    def page(self, athlete_id: str, after: str | None, limit: int) -> list[SetOrigin]:
        rows = self.conn.tuples(
            "SELECT o.set_id, o.format, o.source, o.line, o.row FROM set_origins o"
            f" JOIN {JOIN_TO.format('o.set_id')} WHERE se.athlete_id = :a"
            + (" AND o.set_id > :after" if after is not None else "")
            + " ORDER BY o.set_id LIMIT :limit",
            {"a": athlete_id, "after": after, "limit": limit},
        )
        return [SetOrigin(*r) for r in rows]

    def get(self, set_id: str) -> SetOrigin | None:
        row = self.conn.tuples(
            "SELECT set_id, format, source, line, row FROM set_origins WHERE set_id = :s",
            {"s": set_id},
        )
        return SetOrigin(*row[0]) if row else None


class SessionDeleter(Protocol):
    def delete(self, session_id: str) -> None: ...


class SqlImports:
    """The import journal (:class:`replog.services.ports.ImportJournal`)."""

    def __init__(self, conn: Connection, sessions: SessionDeleter):
        self.conn = conn
        self.sessions = sessions

    def begin(self, import_id: str, athlete_id: str, at: datetime) -> None:
        self.conn.insert("imports", [{"id": import_id, "athlete_id": athlete_id,
                                      "touched_at": self.conn.ts(at)}])  # fmt: skip

    def wrote(self, import_id: str, session_ids: Sequence[str], at: datetime) -> None:
        rows = [{"import_id": import_id, "session_id": sid} for sid in session_ids]
        if rows:
            self.conn.insert("import_sessions", rows)
        self.conn.execute(
            "UPDATE imports SET touched_at = :t WHERE id = :i",
            {"t": self.conn.ts(at), "i": import_id},
        )

    def finish(self, import_id: str) -> None:
        self.conn.execute("DELETE FROM import_sessions WHERE import_id = :i", {"i": import_id})
        self.conn.execute("DELETE FROM imports WHERE id = :i", {"i": import_id})

    def undo(self, import_id: str) -> int:
        ids = [r[0] for r in self.conn.tuples(
            "SELECT session_id FROM import_sessions WHERE import_id = :i", {"i": import_id}
        )]  # fmt: skip
        for sid in ids:
            self.sessions.delete(sid)
        self.finish(import_id)
        return len(ids)

    def stale(self, before: datetime) -> list[str]:
        rows = self.conn.tuples(
            "SELECT id FROM imports WHERE touched_at < :t ORDER BY id", {"t": self.conn.ts(before)}
        )
        return [r[0] for r in rows]
