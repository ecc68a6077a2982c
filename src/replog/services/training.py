"""Recording training: write a set as said, open today's session, undo, end a session."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from replog.core.entry import SetEntry, parse_set_entry
from replog.core.errors import ConflictError, NotFoundError, ValidationError
from replog.core.exercises import Catalogue, Equipment, Exercise
from replog.core.ids import new_id
from replog.core.model import Athlete, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, format_decimal
from replog.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class SetDetails:
    """What the lifter may add to a set besides exercise, load, reps and effort."""

    kind: SetKind = SetKind.WORKING
    velocities: tuple[float, ...] = ()
    rest_s: int | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    velocity_source: RepSource = RepSource.MANUAL
    session_id: str | None = None  # log into this session instead of today's
    set_id: str | None = None  # a client-generated id (retries are idempotent)
    rir: float | None = None  # reps in reserve given apart from the entry text
    reps: tuple[Rep, ...] = ()  # full rep data (a sensor's); when given, ``velocities`` is not


@dataclass(frozen=True, slots=True)
class Logged:
    athlete: Athlete
    exercise: Exercise
    session: Session
    sets: tuple[SetRecord, ...]
    new_session: bool
    already_logged: bool = False


def local_day_bounds(at: datetime) -> tuple[datetime, datetime]:
    local = at.astimezone()
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def open_today(uow: UnitOfWork, athlete_id: str, now: datetime) -> Session | None:
    """The newest session started today (local time) and not ended, as ``on_day`` gives it
    (without its sets); call inside a unit of work."""
    start, end = local_day_bounds(now)
    found = [s for s in uow.sessions.on_day(athlete_id, start, end) if s.ended_at is None]
    return found[-1] if found else None


def todays_session(uow: UnitOfWork, athlete: Athlete, now: datetime) -> tuple[Session, bool]:
    """The open session started today (local time), or a new one; call inside a unit of work."""
    found = open_today(uow, athlete.id, now)
    if found is not None:
        return found, False
    session = Session(new_id(), athlete.id, now)
    uow.sessions.add(session)
    return session, True


def aware(now: datetime | None) -> datetime:
    """``now``, or the clock's time without it; a time without a timezone is refused."""
    now = now or datetime.now().astimezone()
    if now.tzinfo is None:
        raise ValidationError("expected a timezone-aware time", field="performed_at")
    return now


def write_entry(
    uow: UnitOfWork,
    athlete: Athlete,
    cat: Catalogue,
    entry: SetEntry | list[str],
    details: SetDetails,
    now: datetime,
    *,
    with_sets: bool = False,
) -> Logged:
    """Write ``entry`` (one or more identical sets) inside an open unit of work, for an
    athlete already found, with their catalogue; the caller commits unless the sets were
    ``already_logged``. :func:`replog.services.log_set.log_set` is the use case around it.

    ``with_sets``: the returned session holds all its sets, the new ones included (one more
    query when the sets go to today's session), as an analysis of it needs them.
    """
    if not isinstance(entry, SetEntry):
        entry = parse_set_entry(entry, athlete.default_unit)
    if details.rir is not None:
        entry = replace(entry, rir=details.rir)
    if (details.velocities or details.reps) and entry.sets > 1:
        raise ValidationError("give velocities for one set at a time", field="velocities")
    exercise = cat.resolve(entry.exercise)
    if details.session_id:  # read with the retry check: one query
        found, owner = uow.sessions.get_with_owner(details.session_id, details.set_id)
    else:
        found = None
        owner = None if details.set_id is None else uow.sets.athlete_of(details.set_id)
    asked = None if details.set_id is None else request_digest(exercise, entry, details)
    if owner is not None:  # a retry of a write that already landed...
        # ...unless the id is someone else's, or this asks for another set under it: the
        # new data would be dropped silently (one answer for both: no oracle of others' ids)
        existing = uow.sets.get(str(details.set_id)) if owner == athlete.id else None
        if (
            existing is None
            or details.session_id not in (None, existing.session_id)
            or uow.sets.request_of(existing.id) not in (None, asked)
        ):
            raise ConflictError(
                f"set id {details.set_id} is already used for another set; send a new id "
                "for a new set (or PATCH /sets/{id} to change one)", field="id",
            )  # fmt: skip
        same = found is not None and found.id == existing.session_id
        session = found if same else uow.sessions.get(existing.session_id)
        assert session is not None
        return Logged(athlete, exercise, session, (existing,), False, True)
    load = entry.load
    if load is None:
        if exercise.equipment is not Equipment.BODYWEIGHT:
            raise ValidationError(
                f"how heavy? add a load, e.g. '{entry.exercise} 100kg x{entry.reps}'",
                field="load",
            )
        load = Load(Decimal(0), athlete.default_unit)
    if details.session_id:
        if found is None or found.athlete_id != athlete.id:
            raise NotFoundError(f"no session {details.session_id}", field="session")
        session, new_session = found, False  # with its sets
    else:
        session, new_session = todays_session(uow, athlete, now)
        if with_sets and not new_session:
            found = uow.sessions.get(session.id)
            assert found is not None  # under the athlete's write lock since on_day
            session = found
    if new_session:
        position = 1
    elif details.session_id or with_sets:  # the session's sets are in hand
        position = max((s.position for s in session.sets), default=0) + 1
    else:
        position = uow.sets.next_position(session.id)
    reps = details.reps or tuple(
        Rep(i + 1, mcv=v, source=details.velocity_source) for i, v in enumerate(details.velocities)
    )
    records = tuple(
        SetRecord(
            id=details.set_id if (details.set_id and n == 0) else new_id(),
            session_id=session.id,
            exercise=exercise.key,
            position=position + n,
            load=load,
            reps=entry.reps,
            performed_at=now,
            rpe=entry.rpe,
            rir=entry.rir,
            kind=details.kind,
            rest_s=details.rest_s,
            tags=details.tags,
            notes=details.notes,
            rep_data=reps,
        )
        for n in range(entry.sets)
    )
    uow.sets.add_many(records)
    if asked is not None:
        uow.sets.remember_request(records[0].id, asked)
    if with_sets:
        session = replace(session, sets=(*session.sets, *map(_as_read_back, records)))
    return Logged(athlete, exercise, session, records, new_session)


def _as_read_back(record: SetRecord) -> SetRecord:
    """The set as storage gives it back: a load stored as text, so 1E+2 kg reads as 100."""
    value = record.load.value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent <= 0:
        return record
    return replace(record, load=Load(Decimal(format_decimal(value)), record.load.unit))


def request_digest(exercise: Exercise, entry: SetEntry, details: SetDetails) -> str:
    """What a client asked for when it named a set's id, as a digest: the lift (as
    resolved), the entry and its details; not the time, which a retry does not repeat, nor
    the session (a retry may name the one the set went to)."""
    load = None if entry.load is None else [format_decimal(entry.load.value), entry.load.unit]
    asked = {
        "exercise": exercise.key, "load": load, "reps": entry.reps, "sets": entry.sets,
        "rpe": entry.rpe, "rir": entry.rir, "kind": details.kind.value,
        "velocities": list(details.velocities), "rest_s": details.rest_s,
        "tags": sorted(details.tags), "notes": details.notes,
        "reps_data": [[r.index, r.mcv, r.mpv, r.peak_velocity, r.rom] for r in details.reps],
    }  # fmt: skip
    text = json.dumps(asked, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def undo_last(uow: UnitOfWork, athlete: Athlete) -> SetRecord:
    """Delete the athlete's most recently logged set and return it."""
    with uow:
        last = uow.sets.last_for(athlete.id)
        if last is None:
            raise NotFoundError("there is no set to undo", field="set")
        uow.sets.delete(last.id)
        uow.commit()
        return last


def end_session(uow: UnitOfWork, athlete: Athlete, now: datetime | None = None) -> Session:
    """Close the athlete's latest open session at ``now``."""
    now = now or datetime.now().astimezone()
    with uow:
        latest = uow.sessions.latest(athlete.id)
        if latest is None or latest.ended_at is not None:
            raise NotFoundError("no open session to end", field="session")
        ended = replace(latest, ended_at=max(now, latest.started_at))
        uow.sessions.update(ended)
        uow.commit()
        return ended
