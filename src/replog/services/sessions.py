"""Reading and writing one athlete's log by id, with versions: what a server needs.

The CLI speaks of "the athlete called X" and "the last session"; a server speaks of ids a
client already holds, and of versions, so that an edit made on a stale copy is refused
(409) instead of silently overwriting a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Generic, TypeVar

from replog.core.errors import ConflictError, NotFoundError, ValidationError
from replog.core.gear import BarAndPlates, with_gear
from replog.core.ids import new_id
from replog.core.model import Athlete, CheckIn, Session, SetRecord
from replog.core.units import Unit
from replog.services.athletes import write_new_athlete
from replog.services.editing import check_version
from replog.services.ports import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Versioned(Generic[T]):
    value: T
    version: int


@dataclass(frozen=True, slots=True)
class SessionDoc:
    session: Session
    version: int
    set_versions: dict[str, int]


def _own_session(uow: UnitOfWork, athlete_id: str, session_id: str) -> Session:
    found = uow.sessions.get(session_id)
    if found is None or found.athlete_id != athlete_id:
        raise NotFoundError(f"no session {session_id}", field="session_id")
    return found


def session_of(uow: UnitOfWork, session_id: str) -> Session | None:
    """A session by id with its sets, whoever's it is (the caller checks access)."""
    with uow:
        return uow.sessions.get(session_id)


def set_of(uow: UnitOfWork, set_id: str) -> tuple[SetRecord, str, int] | None:
    """A set by id, the athlete it belongs to, and its version."""
    with uow:
        found = uow.sets.get(set_id)
        if found is None:
            return None
        session = uow.sessions.get(found.session_id)
        assert session is not None
        return found, session.athlete_id, uow.sets.versions([set_id]).get(set_id, 1)


def session_doc(uow: UnitOfWork, athlete_id: str, session_id: str) -> SessionDoc:
    with uow:
        session = _own_session(uow, athlete_id, session_id)
        return SessionDoc(
            session,
            uow.sessions.version(session.id) or 1,
            uow.sets.versions([s.id for s in session.sets]),
        )


def start_session(
    uow: UnitOfWork,
    athlete_id: str,
    *,
    session_id: str | None,
    started_at: datetime,
    name: str = "",
    notes: str = "",
) -> tuple[SessionDoc, bool]:
    """Open a session; with a client's id, a retry returns the session already made.

    Returns the session and whether it was created now.
    """
    if started_at > datetime.now(UTC) + timedelta(days=1):
        raise ValidationError("a session cannot start in the future", field="started_at")
    with uow:
        if session_id is not None:
            existing = uow.sessions.get(session_id)
            if existing is not None:
                if existing.athlete_id != athlete_id:
                    raise ConflictError(f"session id {session_id} is already used", field="id")
                return SessionDoc(existing, uow.sessions.version(existing.id) or 1, {}), False
        session = Session(session_id or new_id(), athlete_id, started_at, None, name, notes)
        uow.sessions.add(session)
        uow.commit()
        return SessionDoc(session, 1, {}), True


def athlete_version(uow: UnitOfWork, athlete_id: str) -> int:
    with uow:
        return uow.athletes.version(athlete_id) or 1


def configure(
    uow: UnitOfWork,
    athlete_id: str,
    version: int,
    *,
    unit: Unit | None = None,
    body_mass_kg: float | None = None,
    dropoff_threshold_pct: float | None = None,
) -> Versioned[Athlete]:
    """Change an athlete's settings, refusing a stale version."""
    with uow:
        athlete = uow.athletes.get(athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {athlete_id}", field="athlete_id")
        current = check_version("the athlete's settings", uow.athletes.version(athlete_id), version)
        updated = replace(  # Athlete checks the ranges
            athlete,
            default_unit=unit or athlete.default_unit,
            body_mass_kg=athlete.body_mass_kg if body_mass_kg is None else body_mass_kg,
            dropoff_threshold_pct=dropoff_threshold_pct or athlete.dropoff_threshold_pct,
        )
        uow.athletes.update(updated)
        uow.commit()
        return Versioned(updated, uow.athletes.version(athlete_id) or current + 1)


def set_gear(uow: UnitOfWork, athlete_id: str, unit: Unit, gear: BarAndPlates | None) -> Athlete:
    """Set the athlete's own bar and plates in ``unit``, or (None) go back to the defaults.
    No version: the whole of a unit's gear is replaced, so the last write wins and a retry
    (a phone's outbox sending it again) changes nothing more. Nor does it change the
    settings' version, so that a settings form open beside it is not refused as stale."""
    with uow:
        athlete = uow.athletes.get(athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {athlete_id}", field="athlete_id")
        updated = replace(athlete, gear=with_gear(athlete.gear, unit, gear))
        uow.athletes.set_gear(athlete_id, updated.gear)
        uow.commit()
        return updated


CHECKIN_FIELDS = ("sleep_h", "sleep_quality", "stress", "soreness", "resting_hr", "hrv_ms", "notes")


def checkins(uow: UnitOfWork, athlete_id: str) -> list[Versioned[CheckIn]]:
    with uow:
        return [
            Versioned(c, uow.checkins.version(athlete_id, c.day) or 1)
            for c in uow.checkins.list(athlete_id)
        ]


def put_checkin(
    uow: UnitOfWork,
    athlete_id: str,
    day: date,
    version: int | None,
    fields: dict[str, object],
    *,
    edit: bool = False,
    new_athlete: Athlete | None = None,
) -> tuple[Versioned[CheckIn], str]:
    """Write a day's check-in: the given fields replace stored ones, the others are kept,
    and fields never given stay empty (they cost the battery nothing).

    Without ``version`` the check-in must be new, or already hold exactly these values
    (a retried request); with one it must match the stored version; ``edit`` changes
    whatever is stored (one person at a terminal: ``replog checkin`` given a field again);
    ``new_athlete`` (:func:`~replog.services.athletes.athlete_or_new`) is written with it.
    A day more than one day after today in UTC is in the future (in any time zone). Returns
    the check-in and what happened: ``created``, ``updated`` or ``unchanged``.
    """
    unknown = set(fields) - set(CHECKIN_FIELDS)
    if unknown:
        raise ValidationError("unknown field", field=sorted(unknown)[0])
    if not fields:
        raise ValidationError(f"give at least one of {', '.join(CHECKIN_FIELDS)}", field="body")
    if day > datetime.now(UTC).date() + timedelta(days=1):
        raise ValidationError(f"{day} is in the future", field="day")
    with uow:
        if new_athlete is not None:
            athlete_id = write_new_athlete(uow, new_athlete).id
        old = uow.checkins.get(athlete_id, day)
        current = uow.checkins.version(athlete_id, day) if old is not None else None
        base = old or CheckIn(new_id(), athlete_id, day)
        updated = replace(base, **fields)  # type: ignore[arg-type]  # CheckIn checks ranges
        if old is not None and version is None and not edit:
            if updated == old:
                return Versioned(old, current or 1), "unchanged"
            raise ConflictError(
                f"{day} already has a check-in (version {current}); send its version to change it",
                field="version",
            )
        if old is None and version is not None:
            raise NotFoundError(f"no check-in on {day} to change", field="version")
        if old is not None and version is not None and not edit:
            check_version(f"the check-in of {day}", current, version)
        uow.checkins.upsert(updated)
        uow.commit()
        return (
            Versioned(updated, uow.checkins.version(athlete_id, day) or 1),
            "created" if old is None else "updated",
        )
