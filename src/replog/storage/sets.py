"""The training log's sets, and the stored analyses that writes to them invalidate."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from replog.core.analysis import MODEL_WINDOW_DAYS
from replog.core.errors import NotFoundError
from replog.core.model import Rep, SetKind, SetRecord
from replog.core.records import MAX_REP_MAX, Bests, Lift, e1rm_of_set
from replog.core.set_facts import RepFacts, SetFacts
from replog.services.ports import HistoryRow, Marker, StoredAnalysis, StoredModel
from replog.storage import mapping as m
from replog.storage.connection import Connection, parse_ts
from replog.storage.sql import (
    JOIN,
    JOIN_TO,
    MAX_EFFORT_SETS,
    PRIMER_SETS,
    Statement,
    values_statement,
    version_of,
)

# A set's tags in one column, one per line (a tag holds no line break): PostgreSQL in its
# collation's order, SQLite unordered (its order is byte order, restored in Python).
_TAGS = {
    "postgresql": "(SELECT string_agg(t.tag, chr(10) ORDER BY t.tag) FROM set_tags t "
    "WHERE t.set_id = s.id) AS tags",
    "sqlite": "(SELECT group_concat(t.tag, char(10)) FROM set_tags t "
    "WHERE t.set_id = s.id) AS tags",
}


MODELS_REACH = timedelta(days=MODEL_WINDOW_DAYS + 1)
"""How far after a session its sets feed models: the eight weeks, and the day a set's
session may have started before it (services.analytics.SESSION_SPAN)."""


class SqlAnalyses:
    """Stored session analyses, and their invalidation by writes to the sets they read."""

    HORIZON = timedelta(days=MODEL_WINDOW_DAYS)

    def __init__(self, conn: Connection):
        self.conn = conn
        self.starts: dict[str, tuple[str, datetime]] = {}
        """Session id -> (athlete id, start) of the sessions this transaction read or wrote,
        so that invalidating their analyses needs no query to find where they are."""

    def know(self, session_id: str, athlete_id: str, started_at: datetime) -> None:
        """Note where a session is, as read or just written (kept until :meth:`reset`)."""
        self.starts[session_id] = (athlete_id, started_at)

    def reset(self) -> None:
        """Forget what :meth:`know` noted: the transaction ended, others may write now."""
        self.starts.clear()

    def stored(
        self, athlete_id: str, version: str, session_ids: Sequence[str] | None = None
    ) -> list[StoredAnalysis]:
        params: dict[str, Any] = {"a": athlete_id, "v": version}
        where = "athlete_id = :a AND version = :v"
        if session_ids is not None:
            if not session_ids:
                return []
            in_sql, in_params = self.conn.in_list("sid", list(session_ids))
            where += f" AND session_id IN {in_sql}"
            params.update(in_params)
        rows = self.conn.tuples(
            "SELECT session_id, athlete_id, started_at, version, sets, dropoff_sets, advice, "
            f"doc FROM session_analyses WHERE {where} ORDER BY started_at, session_id",
            params,
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
            self.conn.insert("session_analyses", part)

    def invalidate(self, session_ids: Iterable[str]) -> None:
        """Forget the analyses that sets of these sessions feed: their own, and those of the
        athlete's sessions up to the model window after each."""
        for statement in self.sweeps(session_ids):
            self.conn.execute(*statement)

    def sweeps(self, session_ids: Iterable[str]) -> list[Statement]:
        """The DELETEs that :meth:`invalidate` runs (finding the sessions it was not told
        of: one query)."""
        ids = sorted(set(session_ids))
        unknown = [i for i in ids if i not in self.starts]
        if unknown:
            in_sql, params = self.conn.in_list("s", unknown)
            for r in self.conn.tuples(
                f"SELECT id, athlete_id, started_at FROM sessions WHERE id IN {in_sql}", params
            ):
                self.know(r[0], r[1], parse_ts(r[2]))
        out: list[Statement] = []
        for a, start in (self.starts[i] for i in ids if i in self.starts):
            out.append((
                "DELETE FROM session_analyses WHERE athlete_id = :a AND started_at >= :t "
                "AND started_at <= :u",
                {"a": a, "t": self.conn.ts(start), "u": self.conn.ts(start + self.HORIZON)},
            ))  # fmt: skip
            # the models of the sessions after, whose eight weeks (and a day) hold it
            out.append((
                "DELETE FROM session_models WHERE athlete_id = :a AND started_at > :t "
                "AND started_at <= :u",
                {"a": a, "t": self.conn.ts(start), "u": self.conn.ts(start + MODELS_REACH)},
            ))  # fmt: skip
            # the bests of every session after (records are over the whole history)
            out.append((
                "DELETE FROM session_bests WHERE athlete_id = :a AND started_at > :t",
                {"a": a, "t": self.conn.ts(start)},
            ))  # fmt: skip
        return out

    def models(self, session_id: str, version: str) -> dict[str, StoredModel]:
        rows = self.conn.tuples(
            "SELECT session_id, exercise, athlete_id, started_at, version, kind, params "
            "FROM session_models WHERE session_id = :s AND version = :v",
            {"s": session_id, "v": version},
        )
        return {
            r[1]: StoredModel(
                r[0],
                r[1],
                r[2],
                parse_ts(r[3]),
                r[4],
                r[5],
                tuple(math.nan if x is None else float(x) for x in json.loads(r[6])),
            )
            for r in rows
        }

    def store_models(self, entries: Iterable[StoredModel]) -> None:
        rows = [
            {"session_id": e.session_id, "exercise": e.exercise, "athlete_id": e.athlete_id,
             "started_at": self.conn.ts(e.started_at), "version": e.version, "kind": e.kind,
             "params": json.dumps([None if math.isnan(x) else x for x in e.params])}
            for e in entries
        ]  # fmt: skip
        for r in rows:
            self.conn.execute(
                "DELETE FROM session_models WHERE session_id = :s AND exercise = :e",
                {"s": r["session_id"], "e": r["exercise"]},
            )
        self.conn.insert("session_models", rows)


def effort(rpe: Any, rir: Any) -> float | None:
    """A set's RPE as logged, or 10 - RIR (at least 1), as SetRecord.effective_rpe says."""
    if rpe is not None:
        return float(rpe)
    return None if rir is None else max(1.0, 10.0 - float(rir))


class SqlSets:
    def __init__(self, conn: Connection, analyses: SqlAnalyses):
        self.conn = conn
        self.analyses = analyses

    def add(self, record: SetRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Iterable[SetRecord]) -> None:
        """Write the sets; a few (a logged set) with their reps and tags, and the sweep of
        the analyses they change, go as one statement on PostgreSQL."""
        records = list(records)
        if not records:
            return
        rows = [
            ("sets", [m.set_row(self.conn, r) for r in records]),
            ("reps", [row for r in records for row in m.rep_rows(r)]),
            ("set_tags", [row for r in records for row in m.tag_rows(r)]),
        ]
        sweeps = self.analyses.sweeps(r.session_id for r in records)
        sweeps += self.counted(records, {sid: a for sid, (a, _) in self.analyses.starts.items()})
        if all(self.conn.few(r) for _, r in rows if r):
            inserts = [values_statement(table, r) for table, r in rows if r]
            self.conn.write_all(inserts + sweeps)
            return
        for table, r in rows:
            self.conn.insert(table, r)
        self.conn.write_all(sweeps)

    def insert(self, records: list[SetRecord], athletes: Mapping[str, str]) -> None:
        """Write the sets, their reps and tags (``athletes``: the athlete of each session);
        the caller forgets the analyses they change."""
        if not records:
            return
        self.conn.insert("sets", [m.set_row(self.conn, r) for r in records])
        self.conn.insert("reps", [row for r in records for row in m.rep_rows(r)])
        self.conn.insert("set_tags", [row for r in records for row in m.tag_rows(r)])
        self.conn.write_all(self.counted(records, athletes))

    def counted(self, records: Iterable[SetRecord], athletes: Mapping[str, str]) -> list[Statement]:
        """The statements that add the sets to each athlete's count of sets per exercise
        (table ``exercise_counts``); ``athletes``: the athlete of each session."""
        deltas: dict[tuple[str, str], int] = defaultdict(int)
        for r in records:
            deltas[athletes[r.session_id], r.exercise] += 1
        return self._counts(deltas)

    def _counts(self, deltas: Mapping[tuple[str, str], int]) -> list[Statement]:
        upsert = (
            "INSERT INTO exercise_counts (athlete_id, exercise, sets) VALUES (:a, :e, :n) "
            "ON CONFLICT (athlete_id, exercise) DO UPDATE SET sets = exercise_counts.sets "
            "+ excluded.sets"
        )
        return [(upsert, {"a": a, "e": e, "n": n}) for (a, e), n in sorted(deltas.items()) if n]

    def _placed(self, set_id: str) -> tuple[str, str] | None:
        """The set's session and exercise as stored; the session's athlete is then known
        to :attr:`analyses` once invalidated (its ``starts``)."""
        row = self.conn.tuples(
            "SELECT session_id, exercise FROM sets WHERE id = :id", {"id": set_id}
        )
        return (str(row[0][0]), str(row[0][1])) if row else None

    def get(self, set_id: str) -> SetRecord | None:
        _, found = self.joined(
            "FROM sets s LEFT JOIN reps r ON r.set_id = s.id WHERE s.id = :id ORDER BY r.idx",
            {"id": set_id},
        )
        return found[0] if found else None

    def update(self, record: SetRecord) -> int:
        """Rewrite the set in place: its reps and tags replaced, its provenance kept, its
        version bumped (returned); the analyses its old and new session feed are forgotten."""
        placed = self._placed(record.id)
        if placed is None:
            raise NotFoundError(f"no set {record.id}", field="set")
        was, lift = placed
        self.analyses.invalidate({was, record.session_id})  # and learns their athletes
        athlete = {sid: a for sid, (a, _) in self.analyses.starts.items()}
        moved: dict[tuple[str, str], int] = defaultdict(int)  # to another lift or session
        moved[athlete[was], lift] -= 1
        moved[athlete[record.session_id], record.exercise] += 1
        self.conn.write_all(self._counts(moved))
        row = m.set_row(self.conn, record)
        columns = ", ".join(f"{k} = :{k}" for k in row if k != "id")
        self.conn.execute(f"UPDATE sets SET {columns}, version = version + 1 WHERE id = :id", row)
        for table in ("reps", "set_tags"):
            self.conn.execute(f"DELETE FROM {table} WHERE set_id = :id", {"id": record.id})
        self.conn.insert("reps", m.rep_rows(record))
        self.conn.insert("set_tags", m.tag_rows(record))
        return version_of(self.conn, "sets", record.id)

    def athlete_of(self, set_id: str) -> str | None:
        value = self.conn.scalar(
            f"SELECT se.athlete_id FROM {JOIN} WHERE s.id = :id", {"id": set_id}
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
        placed = self._placed(set_id)
        if placed is not None:
            session, lift = placed
            self.analyses.invalidate([session])  # and learns its athlete
            self.conn.write_all(self._counts({(self.analyses.starts[session][0], lift): -1}))
        # children first: cascades are declared, but do not depend on the pragma being on
        for table in ("reps", "set_tags", "set_origins", "set_requests"):
            self.conn.execute(f"DELETE FROM {table} WHERE set_id = :id", {"id": set_id})
        self.conn.execute("DELETE FROM sets WHERE id = :id", {"id": set_id})

    def last_for(self, athlete_id: str) -> SetRecord | None:
        row = self.conn.one(
            f"SELECT s.id FROM {JOIN} WHERE se.athlete_id = :a "
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
            f"s.load_value, s.load_unit, s.load_kg, s.reps, s.kind, s.rpe, s.rir FROM {JOIN} "
            "WHERE se.athlete_id = :a AND s.exercise = :e",
            {"a": athlete_id, "e": exercise},
        )
        kinds = {k.value: k for k in SetKind}
        starts: dict[Any, datetime] = {}  # a session's start, parsed once for its sets
        new = tuple.__new__
        return [
            new(
                Lift,
                (
                    r[0],
                    r[1],
                    starts.get(r[2]) or starts.setdefault(r[2], parse_ts(r[2])),
                    parse_ts(r[3]),
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    kinds[r[9]],
                    effort(r[10], r[11]),
                ),
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
                f"SELECT DISTINCT se.id, se.started_at FROM {JOIN} WHERE {where}", params
            )
        }
        return [
            HistoryRow(s.session_id, started[s.session_id], s) for s in self.load(where, params)
        ]

    def velocity_facts(
        self, athlete_id: str, exercises: Collection[str], since: datetime, until: datetime
    ) -> dict[str, list[SetFacts]]:
        if not exercises:
            return {}
        in_sql, params = self.conn.in_list("e", sorted(set(exercises)))
        params.update(a=athlete_id, since=self.conn.ts(since), until=self.conn.ts(until))
        where = (
            f"se.athlete_id = :a AND s.exercise IN {in_sql} AND se.started_at >= :since "
            "AND se.started_at < :until"
        )
        reps: dict[str, list[RepFacts]] = defaultdict(list)
        new = tuple.__new__  # RepFacts(...) without its keyword handling: thousands per call
        for set_id, idx, mcv, rom in self.conn.tuples(
            f"SELECT r.set_id, r.idx, r.mcv, r.rom FROM reps r JOIN {JOIN_TO.format('r.set_id')} "
            f"WHERE r.mcv IS NOT NULL AND {where}",
            params,
        ):
            reps[set_id].append(new(RepFacts, (idx, mcv, rom)))
        kinds = {k.value: k for k in SetKind}
        out: dict[str, list[SetFacts]] = {e: [] for e in exercises}
        starts: dict[Any, datetime] = {}  # a session's start, parsed once for its sets
        for set_id, exercise, started, performed, kg, kind, n, rpe, rir in self.conn.tuples(
            "SELECT s.id, s.exercise, se.started_at, s.performed_at, s.load_kg, s.kind, s.reps, "
            f"s.rpe, s.rir FROM {JOIN} WHERE {where} ORDER BY se.started_at, s.position",
            params,
        ):
            rpe_of = effort(rpe, rir)
            mine = sorted(reps.get(set_id, ()))
            at = starts.get(started) or starts.setdefault(started, parse_ts(started))
            out[exercise].append(
                SetFacts(at, parse_ts(performed), kg, mine, kinds[kind], n, rpe_of)
            )
        return out

    def remember_request(self, set_id: str, digest: str) -> None:
        self.conn.insert("set_requests", [{"set_id": set_id, "digest": digest}])

    def request_of(self, set_id: str) -> str | None:
        found = self.conn.scalar("SELECT digest FROM set_requests WHERE set_id = :s", {"s": set_id})
        return None if found is None else str(found)

    def markers(self, athlete_id: str, exercise: str | None = None) -> list[Marker]:
        where = "se.athlete_id = :a"
        params: dict[str, Any] = {"a": athlete_id}
        if exercise is not None:
            where += " AND s.exercise = :e"
            params["e"] = exercise
        columns = f"s.id, s.exercise, se.id, se.started_at, s.kind, {_TAGS[self.conn.dialect]}"
        # the primers (a partial index holds them), then the tagged sets; each from its
        # few rows (CROSS JOIN: SQLite would walk every session of the athlete instead)
        rows = {
            r[0]: r[1:]
            for sql in (
                f"SELECT {columns} FROM sets s CROSS JOIN sessions se "
                f"WHERE se.id = s.session_id AND s.{PRIMER_SETS} AND {where}",
                f"SELECT {columns} FROM set_tags t CROSS JOIN sets s CROSS JOIN sessions se "
                f"WHERE s.id = t.set_id AND se.id = s.session_id AND {where}",
            )
            for r in self.conn.tuples(sql, params)
        }
        return [
            Marker(
                e,
                sid,
                parse_ts(at),
                kind == SetKind.PRIMER.value,
                tuple(sorted(tags.split("\n"))) if tags else (),
            )
            for e, sid, at, kind, tags in rows.values()
        ]

    def earlier(
        self, athlete_id: str, exercise: str, before: datetime, maximal: int
    ) -> tuple[int, list[SetRecord]]:
        # how many: the lift's count (kept) less the sets since, which the window reads
        params: dict[str, Any] = {"a": athlete_id, "e": exercise, "before": self.conn.ts(before)}
        total = self.conn.scalar(
            "SELECT sets FROM exercise_counts WHERE athlete_id = :a AND exercise = :e", params
        )
        since = self.conn.scalar(
            f"SELECT COUNT(*) FROM {JOIN} WHERE se.athlete_id = :a AND s.exercise = :e "
            "AND se.started_at >= :before",
            params,
        )
        count = int(total or 0) - int(since or 0)
        if count <= 0 or maximal < 1:
            return max(count, 0), []
        # the newest max efforts before: from the partial index, its predicate word for word
        newest = (
            f"SELECT s.id FROM sets s JOIN sessions se ON se.id = s.session_id "
            f"WHERE s.exercise = :e AND ({MAX_EFFORT_SETS}) AND se.athlete_id = :a "
            "AND se.started_at < :before AND s.reps >= 1 "
            f"ORDER BY s.performed_at DESC, s.id DESC LIMIT {int(maximal)}"
        )
        ids = [r[0] for r in self.conn.tuples(newest, params)]
        if not ids:
            return count, []
        in_sql, in_params = self.conn.in_list("m", ids)
        found = self.load(f"s.id IN {in_sql}", in_params)
        return count, sorted(found, key=lambda s: (s.performed_at, s.id))

    def bests(self, athlete_id: str, exercise: str, session_id: str, before: datetime) -> Bests:
        key = {"s": session_id, "e": exercise}
        kept = self.conn.scalar(
            "SELECT doc FROM session_bests WHERE session_id = :s AND exercise = :e", key
        )
        d = None if kept is None else json.loads(kept)
        if d is not None and "e1rm" in d:  # (kept before the e1RM was: found again)
            return Bests(d["heaviest"], d["volume"], {int(r): kg for r, kg in d["rep_max"]},
                         dict(d["fastest"]), d["e1rm"])  # fmt: skip
        if d is not None:
            self.conn.execute(
                "DELETE FROM session_bests WHERE session_id = :s AND exercise = :e", key
            )
        params: dict[str, Any] = {"a": athlete_id, "e": exercise, "before": self.conn.ts(before)}
        where = (
            "se.athlete_id = :a AND s.exercise = :e AND se.started_at < :before "
            "AND s.kind <> 'warmup' AND s.reps > 0"
        )
        rows = self.conn.tuples(
            f"SELECT s.reps, MAX(s.load_kg), MAX(s.load_kg * s.reps) FROM {JOIN} WHERE {where} "
            "GROUP BY s.reps",
            params,
        )
        fastest = self.conn.tuples(
            f"SELECT s.load_kg, MAX(r.mcv) FROM reps r JOIN {JOIN_TO.format('r.set_id')} "
            f"WHERE {where} AND r.mcv IS NOT NULL GROUP BY s.load_kg",
            params,
        )
        # the best set e1RM: read the lift's sets once a session (the rule is core's)
        kinds = {k.value: k for k in SetKind}
        e1rm = max((e1rm_of_set(float(kg), int(n), kinds[kind], effort(rpe, rir))
                    for kg, n, kind, rpe, rir in self.conn.tuples(
                        f"SELECT s.load_kg, s.reps, s.kind, s.rpe, s.rir FROM {JOIN} "
                        f"WHERE {where}", params)), default=0.0)  # fmt: skip
        bests = Bests(
            max((float(r[1]) for r in rows), default=0.0),
            max((float(r[2]) for r in rows), default=0.0),
            {int(r[0]): float(r[1]) for r in rows if r[0] <= MAX_REP_MAX},
            {float(kg): float(v) for kg, v in fastest},
            e1rm,
        )
        doc = {"heaviest": bests.heaviest, "volume": bests.volume,
               "rep_max": sorted(bests.rep_max.items()),
               "fastest": sorted(bests.fastest_by_load.items()), "e1rm": bests.e1rm}  # fmt: skip
        self.conn.insert("session_bests", [{
            "session_id": session_id, "exercise": exercise, "athlete_id": athlete_id,
            "started_at": self.conn.ts(before), "doc": json.dumps(doc),
        }])  # fmt: skip
        return bests

    def count(self, athlete_id: str) -> int:
        return int(
            self.conn.scalar(
                f"SELECT COUNT(*) FROM {JOIN} WHERE se.athlete_id = :a", {"a": athlete_id}
            )
        )

    def exercises_used(self, athlete_id: str) -> dict[str, int]:
        rows = self.conn.tuples(
            "SELECT exercise, sets FROM exercise_counts WHERE athlete_id = :a AND sets > 0",
            {"a": athlete_id},
        )
        return {str(e): int(n) for e, n in rows}

    def load(self, where: str, params: dict[str, Any]) -> list[SetRecord]:
        """Sets matching ``where`` (over ``s`` = sets, ``se`` = sessions) with reps and tags."""
        reps: dict[str, list[Rep]] = defaultdict(list)
        for row in self.conn.all(
            f"SELECT r.* FROM reps r JOIN {JOIN_TO.format('r.set_id')} WHERE {where} "
            "ORDER BY r.set_id, r.idx",
            params,
        ):
            reps[row["set_id"]].append(m.rep_from(row))
        tags: dict[str, list[str]] = defaultdict(list)
        for row in self.conn.all(
            f"SELECT t.set_id, t.tag FROM set_tags t JOIN {JOIN_TO.format('t.set_id')} "
            f"WHERE {where} ORDER BY t.set_id, t.tag",
            params,
        ):
            tags[row["set_id"]].append(row["tag"])
        rows = self.conn.all(
            f"SELECT s.* FROM {JOIN} WHERE {where} ORDER BY se.started_at, se.id, s.position",
            params,
        )
        return [m.set_from(r, tuple(reps[r["id"]]), tuple(tags[r["id"]])) for r in rows]

    def joined(
        self, sql: str, params: dict[str, Any], lead: tuple[str, ...] = ()
    ) -> tuple[tuple[Any, ...] | None, list[SetRecord]]:
        """A few sets (a session's) with their reps and tags, in one statement.

        ``sql`` is ``FROM ... WHERE ... ORDER BY`` over ``s`` = sets and ``r`` = reps joined
        to them (LEFT JOIN, in rep order); the ``lead`` columns are selected first, under
        names of their own (rows may come as dictionaries). Returns
        the first row's lead columns (None without rows) and the sets (none where ``s`` is
        null, as for a session without sets)."""
        select = ", ".join((*lead, m.SET_COLUMNS, m.REP_COLUMNS, _TAGS[self.conn.dialect]))
        rows = self.conn.tuples(f"SELECT {select} {sql}", params)
        sets = m.sets_from_joined(rows, len(lead), sort_tags=self.conn.dialect == "sqlite")
        return (rows[0][: len(lead)] if rows else None), sets
