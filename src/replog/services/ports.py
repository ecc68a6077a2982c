"""The ports services depend on: repositories and a unit of work, as typing.Protocols.

Storage adapters implement them over a database; tests may implement them in memory.
A unit of work is one transaction: everything written inside ``with uow:`` is committed by
``uow.commit()`` or rolled back when the block ends without it.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from replog.core.exercises import Exercise
from replog.core.gear import OwnGear
from replog.core.model import Athlete, CheckIn, Session, SetOrigin, SetRecord
from replog.core.records import Bests, Lift
from replog.core.set_facts import SetFacts


@dataclass(frozen=True, slots=True)
class SessionSummary:
    id: str
    athlete_id: str
    started_at: datetime
    ended_at: datetime | None
    name: str
    set_count: int
    rep_count: int
    volume_kg: float
    exercises: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One set of an exercise with the time of its session, for history and records."""

    session_id: str
    session_started_at: datetime
    set: SetRecord


@dataclass(frozen=True, slots=True)
class Marker:
    """A set that marks its session for a review: a primer, or a set with tags."""

    exercise: str
    session_id: str
    session_started_at: datetime
    primer: bool
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """A session's analysis as stored: the DESIGN.md 2.3 document and a few summary fields."""

    session_id: str
    athlete_id: str
    started_at: datetime
    version: str  # analysis version and the athlete's settings it was computed with
    sets: int
    dropoff_sets: int
    advice: str  # recommendation kinds, comma-separated
    doc: str  # the document as JSON text


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A lift's load-velocity model before a session, as stored (see
    :func:`replog.services.analytics.models_for`)."""

    session_id: str
    exercise: str
    athlete_id: str
    started_at: datetime
    version: str
    kind: str  # "profile" | "population" | "none"
    params: tuple[float, ...]  # profile: intercept, slope, SEE (nan: none); population: e1RM


class AnalysisRepository(Protocol):
    """Stored session analyses. The storage adapter removes every analysis a write can
    change (the session's own and those up to ``MODEL_WINDOW_DAYS`` after it), so what is
    stored is always current for its version."""

    def stored(
        self, athlete_id: str, version: str, session_ids: Sequence[str] | None = None
    ) -> list[StoredAnalysis]:
        """The athlete's stored analyses of ``version`` (of the given sessions only), oldest
        first."""
        ...

    def store(self, entries: Iterable[StoredAnalysis]) -> None: ...
    def models(self, session_id: str, version: str) -> dict[str, StoredModel]:
        """The models stored for a session, by exercise (writes remove the ones they
        change: those of the sessions up to eight weeks after a write's session)."""
        ...

    def store_models(self, entries: Iterable[StoredModel]) -> None: ...


class AthleteRepository(Protocol):
    def add(self, athlete: Athlete) -> None: ...
    def update(self, athlete: Athlete) -> int:
        """Write the athlete's settings; returns the row's new version."""
        ...

    def set_gear(self, athlete_id: str, gear: OwnGear) -> None:
        """Replace the athlete's own bar and plates, leaving the settings' version alone."""
        ...

    def version(self, athlete_id: str) -> int | None: ...
    def get(self, athlete_id: str) -> Athlete | None: ...
    def by_name(self, name: str) -> Athlete | None: ...
    def list(self) -> list[Athlete]: ...


class ExerciseRepository(Protocol):
    def add(self, exercise: Exercise) -> None: ...
    def list(self, athlete_id: str | None = None) -> list[Exercise]: ...


class SessionRepository(Protocol):
    def add(self, session: Session) -> None: ...
    def add_many(self, sessions: Sequence[Session]) -> None: ...
    def update(self, session: Session) -> int:
        """Write the session's own fields (not its sets); returns its new version."""
        ...

    def version(self, session_id: str) -> int | None: ...
    def get(self, session_id: str) -> Session | None: ...
    def get_with_owner(
        self, session_id: str, set_id: str | None
    ) -> tuple[Session | None, str | None]:
        """:meth:`get`, and :meth:`SetRepository.athlete_of` the set ``set_id`` (None for
        no id), together: what logging a set with a client's id into a session reads."""
        ...

    def find_ids(self, athlete_id: str, prefix: str) -> list[str]: ...
    def latest(self, athlete_id: str) -> Session | None: ...
    def on_day(self, athlete_id: str, start: datetime, end: datetime) -> list[Session]: ...
    def summaries(
        self, athlete_id: str, limit: int | None = None, since: datetime | None = None
    ) -> list[SessionSummary]: ...
    def all_for(self, athlete_id: str, since: datetime | None = None) -> list[Session]: ...
    def page(
        self, athlete_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Session]:
        """Up to ``limit`` of the athlete's sessions with their sets, by (start, id), from
        after ``after`` (a session's start and id; None: from the first)."""
        ...

    def starts(self, athlete_id: str) -> list[tuple[str, datetime]]: ...
    def delete(self, session_id: str) -> None: ...


class SetRepository(Protocol):
    def add(self, record: SetRecord) -> None: ...
    def add_many(self, records: Iterable[SetRecord]) -> None: ...
    def get(self, set_id: str) -> SetRecord | None: ...
    def update(self, record: SetRecord) -> int:
        """Rewrite a stored set in place (its reps and tags replaced; provenance kept) and
        return its new version; the analyses it feeds are forgotten as on add and delete."""
        ...

    def versions(self, ids: Sequence[str]) -> dict[str, int]:
        """The version of each of these sets that exists."""
        ...

    def athlete_of(self, set_id: str) -> str | None:
        """The id of the athlete whose log holds the set; None if there is no such set."""
        ...

    def delete(self, set_id: str) -> None: ...
    def last_for(self, athlete_id: str) -> SetRecord | None: ...
    def next_position(self, session_id: str) -> int: ...
    def lifts(self, athlete_id: str, exercise: str) -> list[Lift]: ...
    def history(
        self,
        athlete_id: str,
        exercise: str,
        session_ids: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[HistoryRow]:
        """Sets of one exercise in session order; optionally only the given sessions, or
        those started in [since, until)."""
        ...

    def velocity_facts(
        self, athlete_id: str, exercises: Collection[str], since: datetime, until: datetime
    ) -> dict[str, list[SetFacts]]:
        """By exercise, one row per set of it in sessions started in [since, until), in
        time order, with its reps that have a velocity, in rep order; each exercise asked
        for has a list, maybe empty."""
        ...

    def remember_request(self, set_id: str, digest: str) -> None:
        """Keep what the client asked for (:func:`replog.services.training.request_digest`)
        when it named the set's id, for its retries to be checked against."""
        ...

    def request_of(self, set_id: str) -> str | None:
        """The digest :meth:`remember_request` kept (None: none kept)."""
        ...

    def markers(self, athlete_id: str, exercise: str | None = None) -> list[Marker]:
        """The athlete's primer sets and sets with tags (of one exercise, or all), in no
        particular order: where the reviews' sessions are, without reading the log."""
        ...

    def earlier(
        self, athlete_id: str, exercise: str, before: datetime, maximal: int
    ) -> tuple[int, list[SetRecord]]:
        """What a windowed read of one exercise leaves out: the number of its sets in
        sessions started before ``before``, and the newest ``maximal`` of them marked as max
        efforts (kind failure or AMRAP, RPE 10 or RIR 0), oldest first, with their reps."""
        ...

    def bests(self, athlete_id: str, exercise: str, session_id: str, before: datetime) -> Bests:
        """The bests of one exercise's sets (warm-ups and sets of no reps left out) in the
        athlete's sessions started before ``before``, the start of ``session_id``: heaviest,
        most volume, heaviest per rep count up to :data:`~replog.core.records.MAX_REP_MAX`,
        the fastest rep's MCV at each load. Summed up where the rows are, not read; SQL
        storage keeps them for the session (writes to earlier sessions remove them), so
        inside a writing unit of work only."""
        ...

    def count(self, athlete_id: str) -> int: ...
    def exercises_used(self, athlete_id: str) -> dict[str, int]: ...


class CheckInRepository(Protocol):
    def upsert(self, checkin: CheckIn) -> None:
        """Insert the day's check-in, or overwrite it (keeping its id, bumping its version)."""
        ...

    def version(self, athlete_id: str, day: date) -> int | None: ...
    def get(self, athlete_id: str, day: date) -> CheckIn | None: ...
    def list(self, athlete_id: str) -> list[CheckIn]: ...


class OriginRepository(Protocol):
    """Provenance of imported sets; removed with their set."""

    def add_many(self, origins: Iterable[SetOrigin]) -> None: ...
    def for_athlete(self, athlete_id: str) -> list[SetOrigin]: ...
    def page(self, athlete_id: str, after: str | None, limit: int) -> list[SetOrigin]:
        """Up to ``limit`` of the athlete's origins by set id, from after set ``after``."""
        ...

    def get(self, set_id: str) -> SetOrigin | None: ...


class AnchorRepository(Protocol):
    """Warm-up anchor loads (kg) the lifter set, by exercise key."""

    def set(self, athlete_id: str, exercise: str, load_kg: float) -> None: ...
    def clear(self, athlete_id: str, exercise: str) -> bool: ...
    def list(self, athlete_id: str) -> dict[str, float]: ...


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in; ``athlete_id`` is their own log."""

    id: str
    username: str  # lower-case
    athlete_id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Grant:
    """An athlete's log opened to a coach (a user), to read or also to write."""

    id: str
    athlete_id: str
    athlete_name: str
    coach_id: str
    coach_username: str
    can_write: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredToken:
    """An access token as stored: only the SHA-256 (hex) of its secret and CSRF secret."""

    id: str
    user_id: str
    token_hash: str
    kind: str  # "api" | "session"
    name: str
    csrf_hash: str | None
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class UserRepository(Protocol):
    def add(self, user: User, password_hash: str) -> None: ...
    def get(self, user_id: str) -> User | None: ...
    def by_username(self, username: str) -> User | None:
        """The user of this (lower-case) username."""
        ...

    def by_athlete(self, athlete_id: str) -> User | None: ...
    def password_hash(self, user_id: str) -> str | None: ...
    def set_password_hash(self, user_id: str, password_hash: str) -> None: ...


class TokenRepository(Protocol):
    def add(self, token: StoredToken) -> None: ...
    def get(self, token_id: str) -> StoredToken | None: ...
    def by_hash(self, token_hash: str) -> tuple[StoredToken, User] | None:
        """The token with this hash and its user, in one indexed lookup."""
        ...

    def by_hash_with_athlete(
        self, token_hash: str, athlete_id: str
    ) -> tuple[StoredToken, User, Athlete | None] | None:
        """:meth:`by_hash`, and the athlete of this id (None if there is none) in the same
        query: what a request about an athlete's log needs first."""
        ...

    def active(self, user_id: str, now: datetime) -> list[StoredToken]:
        """The user's tokens neither revoked nor expired at ``now``, oldest first."""
        ...

    def revoke(self, token_id: str, now: datetime) -> None: ...
    def touch(self, token_id: str, now: datetime) -> None: ...


class GrantRepository(Protocol):
    def add(self, grant: Grant) -> None: ...
    def set_write(self, grant_id: str, can_write: bool) -> None: ...
    def get(self, grant_id: str) -> Grant | None: ...
    def find(self, athlete_id: str, coach_id: str) -> Grant | None: ...
    def for_athlete(self, athlete_id: str) -> list[Grant]:
        """Grants on the athlete's log, by coach username."""
        ...

    def for_coach(self, coach_id: str) -> list[Grant]:
        """Grants the coach received, by athlete name."""
        ...

    def delete(self, grant_id: str) -> None: ...


class LoginFailureRepository(Protocol):
    """Failed sign-ins by username (lower-case, at most 32 characters)."""

    def add(self, username: str, at: datetime) -> None: ...
    def since(self, username: str, since: datetime) -> list[datetime]:
        """The username's failures at or after ``since``, oldest first."""
        ...

    def clear(self, username: str) -> None: ...
    def prune(self, before: datetime) -> None:
        """Forget every failure older than ``before``."""
        ...


class ImportJournal(Protocol):
    """The imports being written chunk by chunk and the sessions each has written so far:
    what undoes one that failed or was killed half-way (see
    :func:`replog.services.importing.import_source`)."""

    def begin(self, import_id: str, athlete_id: str, at: datetime) -> None: ...
    def wrote(self, import_id: str, session_ids: Sequence[str], at: datetime) -> None:
        """Note sessions the import wrote (in the transaction that wrote them)."""
        ...

    def finish(self, import_id: str) -> None:
        """The import is whole: forget it."""
        ...

    def undo(self, import_id: str) -> int:
        """Delete the sessions the import wrote and forget it; how many were deleted."""
        ...

    def stale(self, before: datetime) -> list[str]:
        """Unfinished imports last written to before ``before`` (their writer died)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A program or template a lifter (or their coach) wrote, as its JSON document."""

    id: str
    athlete_id: str
    name: str
    doc: str  # JSON: the plan document (docs/programs.md)
    updated_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class ActiveProgram:
    """The program a lifter follows: where it came from and its document as started."""

    athlete_id: str
    source: str  # a stored plan's id, or "builtin:KEY"
    name: str
    doc: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """What a session was planned as when it started from a program's day: the plan
    document as prescribed then (kept beside what was performed)."""

    session_id: str
    athlete_id: str
    source: str
    week: int  # 0-based
    day: int  # 0-based, within the week
    doc: str  # JSON: the SessionPlan document
    created_at: datetime


class PlanRepository(Protocol):
    def add(self, plan: StoredPlan) -> None: ...
    def update(self, plan: StoredPlan) -> int:
        """Replace a plan's name and document; its new version (the caller checks the old)."""
        ...

    def get(self, plan_id: str) -> StoredPlan | None: ...
    def list(self, athlete_id: str) -> list[StoredPlan]: ...
    def delete(self, plan_id: str) -> bool: ...
    def active(self, athlete_id: str) -> ActiveProgram | None: ...
    def set_active(self, program: ActiveProgram) -> None: ...
    def clear_active(self, athlete_id: str) -> bool: ...
    def add_session(self, planned: PlannedSession) -> None: ...
    def session(self, session_id: str) -> PlannedSession | None: ...
    def last_session(self, athlete_id: str, source: str) -> PlannedSession | None:
        """The newest session planned from ``source`` (by its creation)."""
        ...

    def sessions_of(self, athlete_id: str) -> builtins.list[PlannedSession]:
        """Every session of the athlete started from a plan, oldest first (for exports)."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository. The repositories are read-only properties:
    an adapter may hold its own subtypes of them (a protocol attribute would have to be
    exactly the declared type, which no concrete adapter is)."""

    @property
    def athletes(self) -> AthleteRepository: ...
    @property
    def exercises(self) -> ExerciseRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def sets(self) -> SetRepository: ...
    @property
    def checkins(self) -> CheckInRepository: ...
    @property
    def anchors(self) -> AnchorRepository: ...
    @property
    def origins(self) -> OriginRepository: ...
    @property
    def analyses(self) -> AnalysisRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def tokens(self) -> TokenRepository: ...
    @property
    def grants(self) -> GrantRepository: ...
    @property
    def login_failures(self) -> LoginFailureRepository: ...
    @property
    def imports(self) -> ImportJournal: ...
    @property
    def plans(self) -> PlanRepository: ...

    def reader(self) -> UnitOfWork:
        """A unit of work on the same store that only reads: it takes no writer's lock, so
        a long read (an import's planning) does not hold other lifters' writes back."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
