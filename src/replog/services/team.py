"""Coaching: athletes open their logs to coaches, and a coach reads the team at a glance.

A grant opens one athlete's log to one user, to read or also to write; its owner may
change or withdraw it. :func:`access_to` turns that into an :class:`Access` level, which the
server checks on every request. :func:`team_dashboard` gives a coach each granting athlete's
battery for a day and what their last session showed: the sets flagged for neural drop-off
and the kinds of advice given. (These functions are also importable from
:mod:`replog.services.accounts`.)
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from replog.core.errors import NotFoundError, ValidationError
from replog.core.ids import new_id
from replog.core.model import Athlete
from replog.services.ports import Grant, UnitOfWork, User


class Access(enum.IntEnum):
    """How much of an athlete's log a user may touch; each level includes those below."""

    READ = 1
    WRITE = 2
    OWNER = 3


def grant_access(
    uow: UnitOfWork, owner: User, coach_username: str, *, can_write: bool, now: datetime
) -> Grant:
    """Open the owner's log to a coach, or change what an existing grant allows."""
    name = coach_username.strip().lower()
    if now.tzinfo is None:
        raise ValidationError("expected a timezone-aware time", field="now")
    with uow:
        coach = uow.users.by_username(name) if name else None
        if coach is None:
            raise NotFoundError(f"no user {coach_username.strip()!r}", field="coach")
        if coach.id == owner.id or coach.athlete_id == owner.athlete_id:
            raise ValidationError("this is your own log; name someone else", field="coach")
        existing = uow.grants.find(owner.athlete_id, coach.id)
        if existing is not None:
            uow.grants.set_write(existing.id, can_write)
            grant = replace(existing, can_write=bool(can_write))
        else:
            athlete = uow.athletes.get(owner.athlete_id)
            if athlete is None:
                raise NotFoundError("your log no longer exists", field="athlete")
            grant = Grant(
                new_id(), athlete.id, athlete.name, coach.id, coach.username, bool(can_write), now
            )
            uow.grants.add(grant)
        uow.commit()
    return grant


def revoke_grant(uow: UnitOfWork, owner: User, grant_id: str) -> None:
    """Withdraw a grant on the owner's log."""
    with uow:
        grant = uow.grants.get(grant_id)
        if grant is None or grant.athlete_id != owner.athlete_id:
            raise NotFoundError(f"no grant {grant_id!r}", field="grant")
        uow.grants.delete(grant_id)
        uow.commit()


def grants_given(uow: UnitOfWork, owner: User) -> list[Grant]:
    """The grants on the owner's log, by coach username."""
    with uow:
        return uow.grants.for_athlete(owner.athlete_id)


def grants_received(uow: UnitOfWork, coach: User) -> list[Grant]:
    """The logs opened to this user, by athlete name."""
    with uow:
        return [g for g in uow.grants.for_coach(coach.id) if g.athlete_id != coach.athlete_id]


def access_to(uow: UnitOfWork, user: User, athlete_id: str) -> Access | None:
    """The user's access to an athlete's log: OWNER, WRITE or READ, or None.

    Call INSIDE an already open unit of work (this opens none), so that a request checks
    access and acts on it in one transaction.
    """
    if user.athlete_id == athlete_id:
        return Access.OWNER
    grant = uow.grants.find(athlete_id, user.id)
    if grant is None:
        return None
    return Access.WRITE if grant.can_write else Access.READ


def access(uow: UnitOfWork, user: User, athlete_id: str) -> tuple[Athlete, Access] | None:
    """The athlete and the user's access to their log; None without access or without such
    an athlete (the two look alike). Opens its own unit of work."""
    with uow:
        athlete = uow.athletes.get(athlete_id)
        level = None if athlete is None else access_to(uow, user, athlete_id)
    if athlete is None or level is None:
        return None
    return athlete, level


def visible_athletes(uow: UnitOfWork, user: User) -> list[tuple[Athlete, Access]]:
    """The user's own log first, then the logs opened to them, by name."""
    out: list[tuple[Athlete, Access]] = []
    with uow:
        own = uow.athletes.get(user.athlete_id)
        if own is not None:
            out.append((own, Access.OWNER))
        for g in uow.grants.for_coach(user.id):
            athlete = uow.athletes.get(g.athlete_id)
            if athlete is not None and athlete.id != user.athlete_id:
                out.append((athlete, Access.WRITE if g.can_write else Access.READ))
    return out


@dataclass(frozen=True, slots=True)
class DropOff:
    """A set of the last session flagged for neural drop-off."""

    exercise: str  # display name
    set_id: str
    position: int
    load_kg: float
    dropoff_pct: float


@dataclass(frozen=True, slots=True)
class TeamMember:
    athlete_id: str
    name: str
    access: Access
    battery: int | None  # the day's battery score 0-100, None without a reading
    battery_label: str | None  # the advice level: go | steady | easy | rest; None: no reading
    reasons: tuple[str, ...]  # what moved the battery, the biggest drain first
    last_session_id: str | None
    last_session_at: datetime | None
    dropoffs: tuple[DropOff, ...]  # sets flagged neural_dropoff in the last session
    recommendations: tuple[str, ...]  # the kinds of advice for the last session
    # The day's battery document, the very one the lifter's own pages, CLI and API render
    # (:func:`replog.services.documents.battery_doc`): its advice text is shown word for
    # word; None when the athlete's name cannot be trusted to find their log (see below).
    readiness: dict[str, Any] | None = None


def team_dashboard(
    uow_factory: Callable[[], UnitOfWork], coach: User, day: date
) -> list[TeamMember]:
    """Each athlete who opened their log to ``coach`` (not the coach's own), by name: the
    battery of ``day`` and the last session started on or before it.

    The battery and the analysis are the services the CLI shows (they find an athlete by
    name, each in its own unit of work); an athlete whose name another athlete shares in
    another case is shown without them rather than risk showing the other's.
    """
    from replog.services.analytics import analyze_stored  # numpy and scipy: only when used
    from replog.services.documents import battery_doc
    from replog.services.readiness import battery_of_day

    with uow_factory() as uow:
        granted = [g for g in uow.grants.for_coach(coach.id) if g.athlete_id != coach.athlete_id]
        members = []
        for g in granted:
            athlete = uow.athletes.get(g.athlete_id)
            if athlete is None:
                continue
            named = uow.athletes.by_name(athlete.name)
            starts = [
                (at, sid)
                for sid, at in uow.sessions.starts(athlete.id)
                if at.astimezone().date() <= day
            ]
            level = Access.WRITE if g.can_write else Access.READ
            members.append((athlete, level, named is not None and named.id == athlete.id, starts))
    out: list[TeamMember] = []
    for athlete, level, by_name, starts in members:
        score = label = None
        reasons: tuple[str, ...] = ()
        last_id = last_at = None
        dropoffs: tuple[DropOff, ...] = ()
        kinds: tuple[str, ...] = ()
        doc: dict[str, Any] | None = None
        if by_name:
            battery = battery_of_day(uow_factory(), athlete, day)
            doc = battery_doc(battery)
            if battery.score is not None:
                score, label = battery.score, battery.advice.level
                parts = sorted(battery.parts, key=lambda p: p.points)
                reasons = tuple(p.text for p in parts if p.points != 0)
        if starts:
            last_at, last_id = max(starts)
        if by_name and last_id is not None:
            result = analyze_stored(uow_factory(), athlete, last_id)
            if result.athlete.id == athlete.id:
                names = {k: e.name for k, e in result.exercises.items()}
                dropoffs = tuple(
                    DropOff(
                        names.get(a.set.exercise, a.set.exercise),
                        a.set.id,
                        a.set.position,
                        a.set.load.kg,
                        float(a.dropoff_pct or 0.0),
                    )
                    for a in result.analysis.flagged("neural_dropoff")
                )
                kinds = tuple(dict.fromkeys(r.kind for r in result.analysis.recommendations))
        out.append(
            TeamMember(
                athlete.id,
                athlete.name,
                level,
                score,
                label,
                reasons,
                last_id,
                last_at,
                dropoffs,
                kinds,
                doc,
            )
        )
    return out
