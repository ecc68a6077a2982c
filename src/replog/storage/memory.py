"""An in-memory unit of work: the ports of :mod:`replog.services.ports` over Python dicts.

What the service tests run on (a test of a use case need not pay for SQL), held to the same
contract as the SQL adapter by the storage tests that run on both. It keeps what the SQL
adapter guarantees a reader: times come back in UTC, a load as its stored text reads back,
tags in order, ids and names unique (a clash is a :class:`ConflictError` when the unit of
work closes, as a database's constraint would be), and a unit of work that ends without
``commit`` leaves the store as it found it. One store is one database; it is not for
several threads.
"""

from __future__ import annotations

import builtins
import copy
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Self, overload

from replog.core.analysis import MODEL_WINDOW_DAYS
from replog.core.errors import ConflictError, NotFoundError
from replog.core.exercises import Exercise
from replog.core.gear import OwnGear
from replog.core.model import Athlete, CheckIn, Session, SetKind, SetOrigin, SetRecord
from replog.core.records import MAX_REP_MAX, Bests, Lift, e1rm_of_set, lift_of
from replog.core.set_facts import RepFacts, SetFacts
from replog.core.units import Load, format_decimal
from replog.services.ports import (
    ActiveProgram,
    Grant,
    HistoryRow,
    Marker,
    PlannedSession,
    SessionSummary,
    StoredAnalysis,
    StoredModel,
    StoredPlan,
    StoredToken,
    User,
)
from replog.storage.sets import MODELS_REACH
from replog.storage.sql import CLASH

HORIZON = timedelta(days=MODEL_WINDOW_DAYS)


@overload
def _utc(t: datetime) -> datetime: ...
@overload
def _utc(t: None) -> None: ...
def _utc(t: datetime | None) -> datetime | None:
    return None if t is None else t.astimezone(UTC)


def _read_back(s: SetRecord) -> SetRecord:
    """The set as the SQL adapter gives it back: times in UTC, the load's number as its
    stored text, tags sorted."""
    load = Load(Decimal(format_decimal(s.load.value)), s.load.unit)
    return replace(s, load=load, performed_at=_utc(s.performed_at), tags=tuple(sorted(s.tags)))


@dataclass
class MemoryStore:
    """The tables. Rows are frozen dataclasses, so a copy of the dicts is a snapshot."""

    athletes: dict[str, tuple[Athlete, int]] = field(default_factory=dict)
    exercises: dict[tuple[str | None, str], Exercise] = field(default_factory=dict)
    sessions: dict[str, tuple[Session, int]] = field(default_factory=dict)  # without sets
    sets: dict[str, tuple[SetRecord, int]] = field(default_factory=dict)
    checkins: dict[tuple[str, date], tuple[CheckIn, int]] = field(default_factory=dict)
    anchors: dict[tuple[str, str], float] = field(default_factory=dict)
    origins: dict[str, SetOrigin] = field(default_factory=dict)
    requests: dict[str, str] = field(default_factory=dict)  # set id -> request digest
    imports: dict[str, tuple[str, datetime, tuple[str, ...]]] = field(default_factory=dict)
    """Unfinished imports: id -> (athlete id, last written, sessions written)."""
    analyses: dict[str, StoredAnalysis] = field(default_factory=dict)
    models: dict[tuple[str, str], StoredModel] = field(default_factory=dict)
    users: dict[str, tuple[User, str]] = field(default_factory=dict)
    tokens: dict[str, StoredToken] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    failures: list[tuple[str, datetime]] = field(default_factory=list)
    plans: dict[str, StoredPlan] = field(default_factory=dict)
    active_programs: dict[str, ActiveProgram] = field(default_factory=dict)
    planned_sessions: dict[str, PlannedSession] = field(default_factory=dict)

    def snapshot(self) -> MemoryStore:
        return copy.copy(self).restore_from(self)

    def restore_from(self, other: MemoryStore) -> MemoryStore:
        for name in self.__dataclass_fields__:
            setattr(self, name, copy.copy(getattr(other, name)))
        return self

    # shared queries
    def session_of(self, set_id: str) -> Session | None:
        found = self.sets.get(set_id)
        return None if found is None else self.sessions[found[0].session_id][0]

    def sets_of(self, session_id: str) -> tuple[SetRecord, ...]:
        mine = [s for s, _ in self.sets.values() if s.session_id == session_id]
        return tuple(sorted(mine, key=lambda s: s.position))

    def full(self, session_id: str) -> Session:
        return replace(self.sessions[session_id][0], sets=self.sets_of(session_id))

    def drop_models(self, session_id: str) -> None:
        for key in [k for k in self.models if k[0] == session_id]:
            del self.models[key]

    def invalidate(self, session_ids: Iterable[str]) -> None:
        for sid in set(session_ids):
            if sid not in self.sessions:
                continue
            head = self.sessions[sid][0]
            for key, a in list(self.analyses.items()):
                if (
                    a.athlete_id == head.athlete_id
                    and head.started_at <= a.started_at <= head.started_at + HORIZON
                ):
                    del self.analyses[key]
            reach = head.started_at + MODELS_REACH
            for mkey, m in list(self.models.items()):
                if m.athlete_id == head.athlete_id and head.started_at < m.started_at <= reach:
                    del self.models[mkey]


class _Repo:
    def __init__(self, store: MemoryStore, uow: MemoryUnitOfWork):
        self.db, self.uow = store, uow


class MemoryAthletes(_Repo):
    def add(self, athlete: Athlete) -> None:
        if athlete.id in self.db.athletes or self.by_name(athlete.name) is not None:
            self.uow.clash(f"athlete {athlete.name!r} exists")
        made = _utc(athlete.created_at or datetime.now(UTC))
        self.db.athletes[athlete.id] = (replace(athlete, created_at=made), 1)

    def update(self, athlete: Athlete) -> int:
        old, version = self.db.athletes[athlete.id]
        self.db.athletes[athlete.id] = (replace(athlete, created_at=old.created_at), version + 1)
        return version + 1

    def set_gear(self, athlete_id: str, gear: OwnGear) -> None:
        old, version = self.db.athletes[athlete_id]
        self.db.athletes[athlete_id] = (replace(old, gear=gear), version)

    def version(self, athlete_id: str) -> int | None:
        found = self.db.athletes.get(athlete_id)
        return None if found is None else found[1]

    def get(self, athlete_id: str) -> Athlete | None:
        found = self.db.athletes.get(athlete_id)
        return None if found is None else found[0]

    def by_name(self, name: str) -> Athlete | None:
        return next(
            (a for a, _ in self.db.athletes.values() if a.name.lower() == name.lower()), None
        )

    def list(self) -> list[Athlete]:
        return [a for _, (a, _) in sorted(self.db.athletes.items())]


class MemoryExercises(_Repo):
    def add(self, exercise: Exercise) -> None:
        key = (exercise.athlete_id, exercise.key)
        if key in self.db.exercises:
            self.uow.clash(f"exercise {exercise.key} exists")
        self.db.exercises[key] = exercise

    def list(self, athlete_id: str | None = None) -> list[Exercise]:
        found = [
            e
            for (owner, _), e in self.db.exercises.items()
            if athlete_id is None or owner is None or owner == athlete_id
        ]
        return sorted(found, key=lambda e: e.key)


class MemorySessions(_Repo):
    def add(self, session: Session) -> None:
        self.add_many([session])

    def add_many(self, sessions: Sequence[Session]) -> None:
        for s in sessions:
            if s.id in self.db.sessions:
                self.uow.clash(f"session {s.id} exists")
            head = replace(s, started_at=_utc(s.started_at), ended_at=_utc(s.ended_at), sets=())
            self.db.sessions[s.id] = (head, 1)
            self.uow.sets.insert(s.sets)
        for athlete_id in {s.athlete_id for s in sessions}:
            first = min(s.started_at for s in sessions if s.athlete_id == athlete_id)
            for key, a in list(self.db.analyses.items()):
                if a.athlete_id == athlete_id and a.started_at >= first:
                    del self.db.analyses[key]
            for mkey, m in list(self.db.models.items()):
                if m.athlete_id == athlete_id and m.started_at >= first:
                    del self.db.models[mkey]

    def update(self, session: Session) -> int:
        self.db.invalidate([session.id])
        self.db.drop_models(session.id)  # its start, so the weeks before it, may move
        old, version = self.db.sessions[session.id]
        head = replace(
            old,
            started_at=_utc(session.started_at),
            ended_at=_utc(session.ended_at),
            name=session.name,
            notes=session.notes,
        )
        self.db.sessions[session.id] = (head, version + 1)
        self.db.invalidate([session.id])
        return version + 1

    def version(self, session_id: str) -> int | None:
        found = self.db.sessions.get(session_id)
        return None if found is None else found[1]

    def get(self, session_id: str) -> Session | None:
        return self.db.full(session_id) if session_id in self.db.sessions else None

    def get_with_owner(
        self, session_id: str, set_id: str | None
    ) -> tuple[Session | None, str | None]:
        owner = None if set_id is None else self.uow.sets.athlete_of(set_id)
        return self.get(session_id), owner

    def _mine(self, athlete_id: str) -> list[Session]:
        mine = [s for s, _ in self.db.sessions.values() if s.athlete_id == athlete_id]
        return sorted(mine, key=lambda s: (s.started_at, s.id))

    def find_ids(self, athlete_id: str, prefix: str) -> list[str]:
        p = prefix.lower().replace("%", "").replace("_", "")
        return sorted(s.id for s in self._mine(athlete_id) if s.id.startswith(p))[:5]

    def latest(self, athlete_id: str) -> Session | None:
        mine = self._mine(athlete_id)
        return self.db.full(mine[-1].id) if mine else None

    def on_day(self, athlete_id: str, start: datetime, end: datetime) -> list[Session]:
        return [s for s in self._mine(athlete_id) if start <= s.started_at < end]

    def summaries(
        self, athlete_id: str, limit: int | None = None, since: datetime | None = None
    ) -> list[SessionSummary]:
        mine = [s for s in self._mine(athlete_id) if since is None or s.started_at >= since]
        mine.sort(key=lambda s: (s.started_at, s.id), reverse=True)
        out = []
        for s in mine[:limit] if limit else mine:
            sets = self.db.sets_of(s.id)
            names = list(dict.fromkeys(x.exercise for x in sets))
            out.append(
                SessionSummary(
                    s.id, s.athlete_id, s.started_at, s.ended_at, s.name, len(sets),
                    sum(x.reps for x in sets), float(sum(x.reps * x.load.kg for x in sets)),
                    tuple(names),
                )
            )  # fmt: skip
        return out

    def all_for(self, athlete_id: str, since: datetime | None = None) -> list[Session]:
        return [
            self.db.full(s.id)
            for s in self._mine(athlete_id)
            if since is None or s.started_at >= since
        ]

    def page(
        self, athlete_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Session]:
        mine = sorted(self._mine(athlete_id), key=lambda s: (s.started_at, s.id))
        later = [s for s in mine if after is None or (s.started_at, s.id) > after]
        return [self.db.full(s.id) for s in later[:limit]]

    def starts(self, athlete_id: str) -> list[tuple[str, datetime]]:
        return [(s.id, s.started_at) for s in self._mine(athlete_id)]

    def delete(self, session_id: str) -> None:
        self.db.invalidate([session_id])
        for s in self.db.sets_of(session_id):
            self.uow.sets.delete(s.id)
        self.db.sessions.pop(session_id, None)
        self.db.drop_models(session_id)


class MemorySets(_Repo):
    def insert(self, records: Iterable[SetRecord]) -> None:
        for r in records:
            if r.id in self.db.sets:
                self.uow.clash(f"set {r.id} exists")
            if r.session_id not in self.db.sessions:
                self.uow.clash(f"no session {r.session_id}")
            elif any(s.position == r.position for s in self.db.sets_of(r.session_id)):
                self.uow.clash(f"position {r.position} is taken in session {r.session_id}")
            self.db.sets[r.id] = (_read_back(r), 1)

    def add(self, record: SetRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Iterable[SetRecord]) -> None:
        records = list(records)
        self.insert(records)
        self.db.invalidate(r.session_id for r in records)

    def get(self, set_id: str) -> SetRecord | None:
        found = self.db.sets.get(set_id)
        return None if found is None else found[0]

    def update(self, record: SetRecord) -> int:
        found = self.db.sets.get(record.id)
        if found is None:
            raise NotFoundError(f"no set {record.id}", field="set")
        self.db.invalidate({found[0].session_id, record.session_id})
        self.db.sets[record.id] = (_read_back(record), found[1] + 1)
        return found[1] + 1

    def versions(self, ids: Sequence[str]) -> dict[str, int]:
        return {i: self.db.sets[i][1] for i in set(ids) if i in self.db.sets}

    def athlete_of(self, set_id: str) -> str | None:
        session = self.db.session_of(set_id)
        return None if session is None else session.athlete_id

    def delete(self, set_id: str) -> None:
        found = self.db.sets.pop(set_id, None)
        if found is not None:
            self.db.invalidate([found[0].session_id])
        self.db.origins.pop(set_id, None)
        self.db.requests.pop(set_id, None)

    def _of(self, athlete_id: str) -> list[tuple[Session, SetRecord]]:
        rows = [
            (self.db.sessions[s.session_id][0], s)
            for s, _ in self.db.sets.values()
            if self.db.sessions[s.session_id][0].athlete_id == athlete_id
        ]
        return sorted(rows, key=lambda r: (r[0].started_at, r[0].id, r[1].position))

    def last_for(self, athlete_id: str) -> SetRecord | None:
        rows = self._of(athlete_id)
        return max((s for _, s in rows), key=lambda s: (s.performed_at, s.id), default=None)

    def next_position(self, session_id: str) -> int:
        return max((s.position for s in self.db.sets_of(session_id)), default=0) + 1

    def lifts(self, athlete_id: str, exercise: str) -> list[Lift]:
        return [
            lift_of(se.started_at, s) for se, s in self._of(athlete_id) if s.exercise == exercise
        ]

    def history(
        self,
        athlete_id: str,
        exercise: str,
        session_ids: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[HistoryRow]:
        wanted = None if session_ids is None else set(session_ids)
        return [
            HistoryRow(se.id, se.started_at, s)
            for se, s in self._of(athlete_id)
            if s.exercise == exercise
            and (wanted is None or se.id in wanted)
            and (since is None or se.started_at >= since)
            and (until is None or se.started_at < until)
        ]

    def velocity_facts(
        self, athlete_id: str, exercises: Collection[str], since: datetime, until: datetime
    ) -> dict[str, list[SetFacts]]:
        out: dict[str, list[SetFacts]] = {e: [] for e in exercises}
        for se, s in self._of(athlete_id):
            if s.exercise in out and since <= se.started_at < until:
                reps = [RepFacts(r.index, r.mcv, r.rom) for r in s.rep_data if r.mcv is not None]
                out[s.exercise].append(
                    SetFacts(
                        se.started_at,
                        s.performed_at,
                        s.load.kg,
                        reps,
                        s.kind,
                        s.reps,
                        s.effective_rpe,
                    )
                )
        return out

    def remember_request(self, set_id: str, digest: str) -> None:
        if set_id in self.db.requests:
            raise ConflictError(CLASH, field="id")
        self.db.requests[set_id] = digest

    def request_of(self, set_id: str) -> str | None:
        return self.db.requests.get(set_id)

    def markers(self, athlete_id: str, exercise: str | None = None) -> list[Marker]:
        return [
            Marker(s.exercise, se.id, se.started_at, s.kind is SetKind.PRIMER, tuple(s.tags))
            for se, s in self._of(athlete_id)
            if (exercise is None or s.exercise == exercise) and (s.kind is SetKind.PRIMER or s.tags)
        ]

    def earlier(
        self, athlete_id: str, exercise: str, before: datetime, maximal: int
    ) -> tuple[int, list[SetRecord]]:
        rows = [s for se, s in self._of(athlete_id) if s.exercise == exercise
                and se.started_at < before]  # fmt: skip
        marked = [
            s for s in rows
            if s.reps >= 1 and (s.kind in (SetKind.FAILURE, SetKind.AMRAP) or s.effective_rpe == 10)
        ]  # fmt: skip
        newest = sorted(marked, key=lambda s: (s.performed_at, s.id))[-maximal:] if maximal else []
        return len(rows), newest

    def bests(self, athlete_id: str, exercise: str, session_id: str, before: datetime) -> Bests:
        rows = [
            s
            for se, s in self._of(athlete_id)
            if s.exercise == exercise and se.started_at < before
            and s.kind is not SetKind.WARMUP and s.reps > 0
        ]  # fmt: skip
        rep_max: dict[int, float] = {}
        fastest: dict[float, float] = {}
        for s in rows:
            if s.reps <= MAX_REP_MAX:
                rep_max[s.reps] = max(rep_max.get(s.reps, 0.0), s.load.kg)
            for r in s.rep_data:
                if r.mcv is not None:
                    fastest[s.load.kg] = max(fastest.get(s.load.kg, r.mcv), r.mcv)
        return Bests(
            max((s.load.kg for s in rows), default=0.0),
            max((s.load.kg * s.reps for s in rows), default=0.0),
            rep_max,
            fastest,
            max(
                (e1rm_of_set(s.load.kg, s.reps, s.kind, s.effective_rpe) for s in rows), default=0.0
            ),
        )

    def count(self, athlete_id: str) -> int:
        return len(self._of(athlete_id))

    def exercises_used(self, athlete_id: str) -> dict[str, int]:
        used: dict[str, int] = defaultdict(int)
        for _, s in self._of(athlete_id):
            used[s.exercise] += 1
        return dict(used)


class MemoryCheckIns(_Repo):
    def upsert(self, checkin: CheckIn) -> None:
        key = (checkin.athlete_id, checkin.day)
        old = self.db.checkins.get(key)
        if old is None:
            self.db.checkins[key] = (checkin, 1)
        else:
            self.db.checkins[key] = (replace(checkin, id=old[0].id), old[1] + 1)

    def version(self, athlete_id: str, day: date) -> int | None:
        found = self.db.checkins.get((athlete_id, day))
        return None if found is None else found[1]

    def get(self, athlete_id: str, day: date) -> CheckIn | None:
        found = self.db.checkins.get((athlete_id, day))
        return None if found is None else found[0]

    def list(self, athlete_id: str) -> list[CheckIn]:
        return [c for (a, _), (c, _) in sorted(self.db.checkins.items()) if a == athlete_id]


class MemoryAnchors(_Repo):
    def set(self, athlete_id: str, exercise: str, load_kg: float) -> None:
        self.db.anchors[(athlete_id, exercise)] = load_kg

    def clear(self, athlete_id: str, exercise: str) -> bool:
        return self.db.anchors.pop((athlete_id, exercise), None) is not None

    def list(self, athlete_id: str) -> dict[str, float]:
        return {e: kg for (a, e), kg in sorted(self.db.anchors.items()) if a == athlete_id}


class MemoryOrigins(_Repo):
    def add_many(self, origins: Iterable[SetOrigin]) -> None:
        for o in origins:
            self.db.origins[o.set_id] = o

    def for_athlete(self, athlete_id: str) -> list[SetOrigin]:
        return [
            o
            for sid, o in sorted(self.db.origins.items())
            if self.uow.sets.athlete_of(sid) == athlete_id
        ]

    def page(self, athlete_id: str, after: str | None, limit: int) -> list[SetOrigin]:
        mine = self.for_athlete(athlete_id)
        return [o for o in mine if after is None or o.set_id > after][:limit]

    def get(self, set_id: str) -> SetOrigin | None:
        return self.db.origins.get(set_id)


class MemoryAnalyses(_Repo):
    def stored(
        self, athlete_id: str, version: str, session_ids: Sequence[str] | None = None
    ) -> list[StoredAnalysis]:
        wanted = None if session_ids is None else set(session_ids)
        found = [
            a
            for a in self.db.analyses.values()
            if a.athlete_id == athlete_id
            and a.version == version
            and (wanted is None or a.session_id in wanted)
        ]
        return sorted(found, key=lambda a: (a.started_at, a.session_id))

    def store(self, entries: Iterable[StoredAnalysis]) -> None:
        for e in entries:
            self.db.analyses[e.session_id] = replace(e, started_at=_utc(e.started_at))

    def models(self, session_id: str, version: str) -> dict[str, StoredModel]:
        return {
            e: m for (sid, e), m in self.db.models.items()
            if sid == session_id and m.version == version
        }  # fmt: skip

    def store_models(self, entries: Iterable[StoredModel]) -> None:
        for m in entries:
            self.db.models[m.session_id, m.exercise] = replace(m, started_at=_utc(m.started_at))


class MemoryUsers(_Repo):
    def add(self, user: User, password_hash: str) -> None:
        if user.id in self.db.users or self.by_username(user.username) is not None:
            self.uow.clash(f"user {user.username!r} exists")
        self.db.users[user.id] = (user, password_hash)

    def get(self, user_id: str) -> User | None:
        found = self.db.users.get(user_id)
        return None if found is None else found[0]

    def by_username(self, username: str) -> User | None:
        return next((u for u, _ in self.db.users.values() if u.username == username), None)

    def by_athlete(self, athlete_id: str) -> User | None:
        return next((u for u, _ in self.db.users.values() if u.athlete_id == athlete_id), None)

    def password_hash(self, user_id: str) -> str | None:
        found = self.db.users.get(user_id)
        return None if found is None else found[1]

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self.db.users[user_id] = (self.db.users[user_id][0], password_hash)


class MemoryTokens(_Repo):
    def add(self, token: StoredToken) -> None:
        self.db.tokens[token.id] = token

    def get(self, token_id: str) -> StoredToken | None:
        return self.db.tokens.get(token_id)

    def by_hash(self, token_hash: str) -> tuple[StoredToken, User] | None:
        t = next((t for t in self.db.tokens.values() if t.token_hash == token_hash), None)
        return None if t is None else (t, self.db.users[t.user_id][0])

    def by_hash_with_athlete(
        self, token_hash: str, athlete_id: str
    ) -> tuple[StoredToken, User, Athlete | None] | None:
        found = self.by_hash(token_hash)
        return None if found is None else (*found, self.uow.athletes.get(athlete_id))

    def active(self, user_id: str, now: datetime) -> list[StoredToken]:
        live = [
            t
            for t in self.db.tokens.values()
            if t.user_id == user_id
            and t.revoked_at is None
            and (t.expires_at is None or t.expires_at > now)
        ]
        return sorted(live, key=lambda t: (t.created_at, t.id))

    def revoke(self, token_id: str, now: datetime) -> None:
        t = self.db.tokens.get(token_id)
        if t is not None and t.revoked_at is None:
            self.db.tokens[token_id] = replace(t, revoked_at=now)

    def touch(self, token_id: str, now: datetime) -> None:
        t = self.db.tokens.get(token_id)
        if t is not None:
            self.db.tokens[token_id] = replace(t, last_used_at=now)


class MemoryGrants(_Repo):
    def add(self, grant: Grant) -> None:
        if self.find(grant.athlete_id, grant.coach_id) is not None:
            self.uow.clash("the log is already shared with this coach")
        self.db.grants[grant.id] = grant

    def set_write(self, grant_id: str, can_write: bool) -> None:
        self.db.grants[grant_id] = replace(self.db.grants[grant_id], can_write=can_write)

    def get(self, grant_id: str) -> Grant | None:
        return self.db.grants.get(grant_id)

    def find(self, athlete_id: str, coach_id: str) -> Grant | None:
        return next(
            (
                g
                for g in self.db.grants.values()
                if (g.athlete_id, g.coach_id) == (athlete_id, coach_id)
            ),
            None,
        )

    def for_athlete(self, athlete_id: str) -> list[Grant]:
        found = [g for g in self.db.grants.values() if g.athlete_id == athlete_id]
        return sorted(found, key=lambda g: (g.coach_username, g.id))

    def for_coach(self, coach_id: str) -> list[Grant]:
        found = [g for g in self.db.grants.values() if g.coach_id == coach_id]
        return sorted(found, key=lambda g: (g.athlete_name, g.id))

    def delete(self, grant_id: str) -> None:
        self.db.grants.pop(grant_id, None)


class MemoryLoginFailures(_Repo):
    def add(self, username: str, at: datetime) -> None:
        self.db.failures.append((username[:32], at))

    def since(self, username: str, since: datetime) -> list[datetime]:
        return sorted(at for u, at in self.db.failures if u == username[:32] and at >= since)

    def clear(self, username: str) -> None:
        self.db.failures = [f for f in self.db.failures if f[0] != username[:32]]

    def prune(self, before: datetime) -> None:
        self.db.failures = [f for f in self.db.failures if f[1] >= before]


class MemoryImports(_Repo):
    def begin(self, import_id: str, athlete_id: str, at: datetime) -> None:
        self.db.imports[import_id] = (athlete_id, at, ())

    def wrote(self, import_id: str, session_ids: Sequence[str], at: datetime) -> None:
        athlete, _, written = self.db.imports[import_id]
        self.db.imports[import_id] = (athlete, at, (*written, *session_ids))

    def finish(self, import_id: str) -> None:
        self.db.imports.pop(import_id, None)

    def undo(self, import_id: str) -> int:
        written = self.db.imports.get(import_id, ("", None, ()))[2]
        for sid in written:
            self.uow.sessions.delete(sid)
        self.finish(import_id)
        return len(written)

    def stale(self, before: datetime) -> list[str]:
        return sorted(i for i, (_, at, _) in self.db.imports.items() if at < before)


class MemoryPlans(_Repo):
    def add(self, plan: StoredPlan) -> None:
        if plan.id in self.db.plans or any(
            p.athlete_id == plan.athlete_id and p.name == plan.name for p in self.db.plans.values()
        ):
            self.uow.clash(f"plan {plan.name!r} exists")
        self.db.plans[plan.id] = replace(plan, updated_at=_utc(plan.updated_at))

    def update(self, plan: StoredPlan) -> int:
        old = self.db.plans[plan.id]
        if any(p.athlete_id == old.athlete_id and p.name == plan.name and p.id != plan.id
               for p in self.db.plans.values()):  # fmt: skip
            self.uow.clash(f"plan {plan.name!r} exists")
        new = replace(old, name=plan.name, doc=plan.doc, updated_at=_utc(plan.updated_at),
                      version=old.version + 1)  # fmt: skip
        self.db.plans[plan.id] = new
        return new.version

    def get(self, plan_id: str) -> StoredPlan | None:
        return self.db.plans.get(plan_id)

    def list(self, athlete_id: str) -> list[StoredPlan]:
        mine = [p for p in self.db.plans.values() if p.athlete_id == athlete_id]
        return sorted(mine, key=lambda p: p.name)

    def delete(self, plan_id: str) -> bool:
        return self.db.plans.pop(plan_id, None) is not None

    def active(self, athlete_id: str) -> ActiveProgram | None:
        return self.db.active_programs.get(athlete_id)

    def set_active(self, program: ActiveProgram) -> None:
        self.db.active_programs[program.athlete_id] = replace(
            program, started_at=_utc(program.started_at)
        )

    def clear_active(self, athlete_id: str) -> bool:
        return self.db.active_programs.pop(athlete_id, None) is not None

    def add_session(self, planned: PlannedSession) -> None:
        if planned.session_id in self.db.planned_sessions:
            self.uow.clash(f"session {planned.session_id} has a plan")
        self.db.planned_sessions[planned.session_id] = replace(
            planned, created_at=_utc(planned.created_at)
        )

    def session(self, session_id: str) -> PlannedSession | None:
        found = self.db.planned_sessions.get(session_id)
        return found if found is not None and session_id in self.db.sessions else None

    def last_session(self, athlete_id: str, source: str) -> PlannedSession | None:
        mine = [p for p in self.db.planned_sessions.values() if p.athlete_id == athlete_id
                and p.source == source and p.session_id in self.db.sessions]  # fmt: skip
        return max(mine, key=lambda p: p.created_at, default=None)

    def sessions_of(self, athlete_id: str) -> builtins.list[PlannedSession]:
        mine = [p for p in self.db.planned_sessions.values()
                if p.athlete_id == athlete_id and p.session_id in self.db.sessions]  # fmt: skip
        return sorted(mine, key=lambda p: (p.created_at, p.session_id))


class MemoryUnitOfWork:
    """A unit of work on a :class:`MemoryStore` (a new, empty one by default)."""

    def __init__(self, store: MemoryStore | None = None):
        self.store = store if store is not None else MemoryStore()
        self._saved: MemoryStore | None = None
        self._clash: str | None = None
        s = self.store
        self.athletes = MemoryAthletes(s, self)
        self.exercises = MemoryExercises(s, self)
        self.sessions = MemorySessions(s, self)
        self.sets = MemorySets(s, self)
        self.checkins = MemoryCheckIns(s, self)
        self.anchors = MemoryAnchors(s, self)
        self.origins = MemoryOrigins(s, self)
        self.analyses = MemoryAnalyses(s, self)
        self.users = MemoryUsers(s, self)
        self.tokens = MemoryTokens(s, self)
        self.grants = MemoryGrants(s, self)
        self.login_failures = MemoryLoginFailures(s, self)
        self.imports = MemoryImports(s, self)
        self.plans = MemoryPlans(s, self)

    def reader(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store)

    def clash(self, what: str) -> None:
        """A write a database's constraint would refuse: the unit of work fails (on commit,
        or when it closes) and keeps nothing."""
        self._clash = self._clash or what

    def __enter__(self) -> Self:
        self._saved = self.store.snapshot()
        self._clash = None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        clash, self._clash = self._clash, None
        self.rollback()
        self._saved = None
        if clash is not None and exc is None:
            raise ConflictError(CLASH)

    def commit(self) -> None:
        if self._clash is not None:
            self._clash = None
            self.rollback()
            raise ConflictError(CLASH)
        self._saved = self.store.snapshot()

    def rollback(self) -> None:
        if self._saved is not None:
            self.store.restore_from(self._saved)


if TYPE_CHECKING:  # mypy checks that the class satisfies the port
    from replog.services.ports import UnitOfWork

    _satisfies: Callable[[], UnitOfWork] = MemoryUnitOfWork
