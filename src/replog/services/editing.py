"""Editing the log: change or delete a logged set or session, safely against other editors.

Every set and session has a version that each write bumps. An edit names the version it
was made against; if the row has moved on since (another device, a coach), the edit is
refused with a :class:`ConflictError` on ``version`` and nothing is written, so no one
overwrites a change they never saw (optimistic concurrency). A set or session of another
athlete is reported exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from replog.core.errors import ConflictError, NotFoundError, ValidationError
from replog.core.model import Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load
from replog.services.catalogue import catalogue_for
from replog.services.ports import UnitOfWork

CLEARABLE = frozenset({"rpe", "rir", "rest_s"})
MAX_SESSION_NAME = 200


@dataclass(frozen=True, slots=True)
class SetChanges:
    """What to change in a set; None leaves a field as it is."""

    exercise: str | None = None  # a name, alias or key from the athlete's catalogue
    load: Load | None = None
    reps: int | None = None
    rpe: float | None = None
    rir: float | None = None
    kind: SetKind | None = None
    rest_s: int | None = None
    notes: str | None = None
    tags: tuple[str, ...] | None = None
    velocities: tuple[float, ...] | None = None  # replaces the rep data with typed reps
    rep_data: tuple[Rep, ...] | None = None  # replaces the rep data with measured reps
    clear: frozenset[str] = frozenset()  # nullable fields to empty: "rpe", "rir", "rest_s"


def _owned_set(uow: UnitOfWork, athlete_id: str, set_id: str) -> SetRecord:
    record = uow.sets.get(set_id) if uow.sets.athlete_of(set_id) == athlete_id else None
    if record is None:
        raise NotFoundError(f"no set {set_id!r}", field="set")
    return record


def _owned_session(uow: UnitOfWork, athlete_id: str, session_id: str) -> Session:
    session = uow.sessions.get(session_id)
    if session is None or session.athlete_id != athlete_id:
        raise NotFoundError(f"no session {session_id!r}", field="session")
    return session


def check_version(what: str, current: int | None, seen: int) -> int:
    """Refuse (409) an edit made on ``seen`` when the stored version is ``current``."""
    assert current is not None  # the row was just read in this transaction
    if current != seen:
        raise ConflictError(
            f"{what} was changed (version {current}); reload it and try again", field="version"
        )
    return current


def _changed(uow: UnitOfWork, athlete_id: str, s: SetRecord, c: SetChanges) -> SetRecord:
    """``s`` with the changes applied, validated as any new set is."""
    unknown = sorted(c.clear - CLEARABLE)
    if unknown:
        allowed = ", ".join(sorted(CLEARABLE))
        raise ValidationError(f"only {allowed} can be cleared, not {unknown[0]!r}", "clear")
    for name in sorted(c.clear):
        if getattr(c, name) is not None:
            raise ValidationError(f"{name} is both given and cleared", field=name)
    values: dict[str, Any] = {}
    if c.exercise is not None:
        values["exercise"] = catalogue_for(uow, athlete_id).resolve(c.exercise).key
    for name in ("load", "reps", "kind", "rest_s", "notes", "tags"):
        if getattr(c, name) is not None:
            values[name] = getattr(c, name)
    rpe = None if "rpe" in c.clear else s.rpe if c.rpe is None else c.rpe
    rir = None if "rir" in c.clear else s.rir if c.rir is None else c.rir
    # a new RPE replaces an RIR given before it that no longer agrees, and vice versa
    if rpe is not None and rir is not None and rpe + rir != 10:
        if c.rpe is not None and c.rir is None:
            rir = None
        elif c.rir is not None and c.rpe is None:
            rpe = None
    values["rpe"], values["rir"] = rpe, rir
    if "rest_s" in c.clear:
        values["rest_s"] = None
    if c.velocities is not None:
        values["rep_data"] = tuple(
            Rep(i + 1, mcv=v, source=RepSource.MANUAL) for i, v in enumerate(c.velocities)
        )
    if c.rep_data is not None:
        values["rep_data"] = c.rep_data
    return replace(s, **values)


def edit_set(
    uow: UnitOfWork, athlete_id: str, set_id: str, version: int, changes: SetChanges
) -> tuple[SetRecord, int]:
    """Apply ``changes`` to the athlete's set last seen at ``version``; returns the set as
    stored and its new version."""
    with uow:
        current = _owned_set(uow, athlete_id, set_id)
        check_version(f"set {set_id}", uow.sets.versions([set_id]).get(set_id), version)
        updated = _changed(uow, athlete_id, current, changes)
        new_version = uow.sets.update(updated)
        uow.commit()
    return updated, new_version


def delete_set(
    uow: UnitOfWork, athlete_id: str, set_id: str, version: int | None = None
) -> SetRecord:
    """Delete the athlete's set (only if still at ``version``, when given); returns it."""
    with uow:
        current = _owned_set(uow, athlete_id, set_id)
        if version is not None:
            check_version(f"set {set_id}", uow.sets.versions([set_id]).get(set_id), version)
        uow.sets.delete(set_id)
        uow.commit()
    return current


def edit_session(
    uow: UnitOfWork,
    athlete_id: str,
    session_id: str,
    version: int,
    *,
    name: str | None = None,
    notes: str | None = None,
    ended_at: datetime | None = None,
) -> tuple[Session, int]:
    """Rename, annotate or end the athlete's session last seen at ``version``; returns the
    session and its new version."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = " ".join(name.split())
        if len(values["name"]) > MAX_SESSION_NAME:
            raise ValidationError(f"at most {MAX_SESSION_NAME} characters, please", "name")
    if notes is not None:
        values["notes"] = notes
    if ended_at is not None:
        if not isinstance(ended_at, datetime) or ended_at.tzinfo is None:
            raise ValidationError("expected a timezone-aware time", field="ended_at")
        values["ended_at"] = ended_at
    with uow:
        current = _owned_session(uow, athlete_id, session_id)
        check_version(f"session {session_id}", uow.sessions.version(session_id), version)
        updated = replace(current, **values)  # validates: no end before the start
        new_version = uow.sessions.update(updated)
        uow.commit()
    return updated, new_version


def delete_session(
    uow: UnitOfWork, athlete_id: str, session_id: str, version: int | None = None
) -> Session:
    """Delete the athlete's session and its sets (only if still at ``version``, when
    given); returns it as it was."""
    with uow:
        current = _owned_session(uow, athlete_id, session_id)
        if version is not None:
            check_version(f"session {session_id}", uow.sessions.version(session_id), version)
        uow.sessions.delete(session_id)
        uow.commit()
    return current


def set_version(uow: UnitOfWork, set_id: str) -> int | None:
    """The set's current version, None if there is no such set."""
    with uow:
        return uow.sets.versions([set_id]).get(set_id)


def session_version(uow: UnitOfWork, session_id: str) -> int | None:
    """The session's current version, None if there is no such session."""
    with uow:
        return uow.sessions.version(session_id)
