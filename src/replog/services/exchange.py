"""Moving a whole log in and out: the bundle that exports are made of and imports write.

An import is one transaction: it is validated completely before the first write, and
everything is written or nothing is. Importing the same bundle twice changes nothing the
second time (records are matched by id), so an interrupted import can simply be retried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from replog.core.errors import ConflictError, ImportFormatError
from replog.core.exercises import BUILTIN, Exercise
from replog.core.model import Athlete, CheckIn, Session, SetOrigin
from replog.services.ports import ActiveProgram, PlannedSession, StoredPlan, UnitOfWork


@dataclass(frozen=True, slots=True)
class AthleteData:
    athlete: Athlete
    exercises: tuple[Exercise, ...] = ()
    sessions: tuple[Session, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    origins: tuple[SetOrigin, ...] = ()  # sorted by set id
    anchors: tuple[tuple[str, float], ...] = ()  # (exercise key, load kg), sorted
    plans: tuple[StoredPlan, ...] = ()  # the athlete's own programs and templates
    program: ActiveProgram | None = None  # the program followed, as started
    planned: tuple[PlannedSession, ...] = ()  # sessions started from a plan, with it


@dataclass(frozen=True, slots=True)
class Bundle:
    athletes: tuple[AthleteData, ...] = ()


@dataclass(slots=True)
class ImportReport:
    athletes: int = 0
    sessions_added: int = 0
    sessions_replaced: int = 0
    sets: int = 0
    checkins: int = 0
    exercises: int = 0
    warnings: list[str] = field(default_factory=list)


class LogSource(Protocol):
    """A log to export: each athlete's data but their sessions and set origins, which come
    one by one (from storage in pages, so an export of any size takes flat memory)."""

    @property
    def heads(self) -> tuple[AthleteData, ...]:
        """Each athlete, with ``sessions`` and ``origins`` empty."""
        ...

    def sessions(self, athlete_id: str) -> Iterable[Session]:
        """The athlete's sessions by start (then id), with their sets."""
        ...

    def origins(self, athlete_id: str) -> Iterable[SetOrigin]:
        """Where the athlete's imported sets came from, by set id."""
        ...


@dataclass(frozen=True, slots=True)
class BundleSource:
    """A bundle in memory as a :class:`LogSource`."""

    bundle: Bundle

    @property
    def heads(self) -> tuple[AthleteData, ...]:
        return tuple(replace(d, sessions=(), origins=()) for d in self.bundle.athletes)

    def _data(self, athlete_id: str) -> AthleteData:
        return next(d for d in self.bundle.athletes if d.athlete.id == athlete_id)

    def sessions(self, athlete_id: str) -> Iterable[Session]:
        return self._data(athlete_id).sessions

    def origins(self, athlete_id: str) -> Iterable[SetOrigin]:
        return self._data(athlete_id).origins


T = TypeVar("T")
EXPORT_PAGE = 200
"""Sessions (and set origins) an export reads at a time, each page in a short read."""


class StoredLog:
    """The stored log (or one athlete's) as a :class:`LogSource`: sessions and origins read
    page by page, each page in its own unit of work, so a long export holds no transaction
    open between pages and never has the whole log in memory."""

    def __init__(self, uow: UnitOfWork, athlete: Athlete | None = None):
        self.uow = uow
        with uow:
            athletes = [athlete] if athlete is not None else uow.athletes.list()
            self.heads = tuple(
                AthleteData(
                    a,
                    tuple(e for e in uow.exercises.list(a.id) if e.athlete_id == a.id),
                    (),
                    tuple(uow.checkins.list(a.id)),
                    (),
                    tuple(sorted(uow.anchors.list(a.id).items())),
                    tuple(uow.plans.list(a.id)),
                    uow.plans.active(a.id),
                    tuple(uow.plans.sessions_of(a.id)),
                )
                for a in athletes
            )

    def sessions(self, athlete_id: str) -> Iterator[Session]:
        return self._pages(
            lambda after: self.uow.sessions.page(athlete_id, after, EXPORT_PAGE),
            lambda s: (s.started_at, s.id),
        )

    def origins(self, athlete_id: str) -> Iterator[SetOrigin]:
        return self._pages(
            lambda after: self.uow.origins.page(athlete_id, after, EXPORT_PAGE),
            lambda o: o.set_id,
        )

    def _pages(self, read: Callable[[Any], list[T]], key: Callable[[T], Any]) -> Iterator[T]:
        """Everything ``read`` pages through (each page after the previous one's last
        ``key``), a page per unit of work."""
        after = None
        while True:
            with self.uow:
                page = read(after)
            yield from page
            if len(page) < EXPORT_PAGE:
                return
            after = key(page[-1])


def export_bundle(uow: UnitOfWork, athlete: Athlete | None = None) -> Bundle:
    """Everything stored (or one athlete's data), with full fidelity, in memory (an export
    file streams :class:`StoredLog` instead)."""
    log = StoredLog(uow, athlete)
    return Bundle(
        tuple(
            replace(
                d,
                sessions=tuple(log.sessions(d.athlete.id)),
                origins=tuple(log.origins(d.athlete.id)),
            )
            for d in log.heads
        )
    )


def import_bundle(uow: UnitOfWork, bundle: Bundle, *, dry_run: bool = False) -> ImportReport:
    """Write the bundle (every check runs first); with ``dry_run`` roll it all back."""
    report = ImportReport()
    with uow:
        known_keys = {e.key for e in uow.exercises.list(None)}
        for n, data in enumerate(bundle.athletes):
            _check_exercises(data, known_keys, f"athletes[{n}]")
            _import_athlete(uow, data, known_keys, report)
        if not dry_run:
            uow.commit()
    return report


def exercise_names(uow: UnitOfWork) -> dict[str, str]:
    """Every exercise key, built-in and custom, with the name exports write for it."""
    with uow:
        custom = uow.exercises.list(None)
    return {e.key: e.name for e in (*BUILTIN, *custom)}


def _check_exercises(data: AthleteData, custom_keys: set[str], where: str) -> None:
    known = {e.key for e in BUILTIN} | custom_keys | {e.key for e in data.exercises}
    for i, session in enumerate(data.sessions):
        for j, s in enumerate(session.sets):
            if s.exercise not in known:
                raise ImportFormatError(
                    f"unknown exercise key {s.exercise!r}; add it under 'exercises'",
                    field=f"{where}.sessions[{i}].sets[{j}].exercise",
                )


def _import_athlete(
    uow: UnitOfWork, data: AthleteData, known_keys: set[str], report: ImportReport
) -> None:
    a = data.athlete
    same_name = uow.athletes.by_name(a.name)
    if same_name is not None and same_name.id != a.id:
        raise ConflictError(
            f"an athlete called {a.name!r} already exists with another id; rename one of them",
            field="athletes.name",
        )
    if uow.athletes.get(a.id) is None:
        uow.athletes.add(a)
    else:
        uow.athletes.update(a)
    report.athletes += 1
    for ex in data.exercises:
        if ex.key not in known_keys:
            uow.exercises.add(ex)
            known_keys.add(ex.key)
            report.exercises += 1
    for session in data.sessions:
        existing = uow.sessions.get(session.id)
        if existing is not None:
            if existing.athlete_id != a.id:
                raise ConflictError(f"session {session.id} belongs to another athlete", "sessions")
            uow.sessions.delete(session.id)
            report.sessions_replaced += 1
        else:
            report.sessions_added += 1
        uow.sessions.add(session)
        report.sets += len(session.sets)
    for checkin in data.checkins:
        uow.checkins.upsert(checkin)
        report.checkins += 1
    set_ids = {x.id for s in data.sessions for x in s.sets}
    uow.origins.add_many(o for o in data.origins if o.set_id in set_ids)
    for exercise, load_kg in data.anchors:
        uow.anchors.set(a.id, exercise, load_kg)
    _import_plans(uow, data)


def _import_plans(uow: UnitOfWork, data: AthleteData) -> None:
    """The athlete's plans (replaced by id), the program followed and the sessions' plans
    (a session's kept plan is replaced with the session)."""
    for plan in data.plans:
        old = uow.plans.get(plan.id)
        if old is None:
            uow.plans.add(plan)
        elif old.athlete_id != plan.athlete_id:
            raise ConflictError(f"plan {plan.id} belongs to another athlete", "plans")
        else:
            uow.plans.update(plan)
    if data.program is not None:
        uow.plans.set_active(data.program)
    for planned in data.planned:
        if uow.plans.session(planned.session_id) is None:
            uow.plans.add_session(planned)
