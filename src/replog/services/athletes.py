"""Who is training: find, create and configure athletes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from replog.core.errors import NotFoundError, ValidationError
from replog.core.ids import new_id
from replog.core.model import Athlete
from replog.core.units import Unit
from replog.services.ports import UnitOfWork

DEFAULT_NAME = "me"


def resolve_athlete(uow: UnitOfWork, name: str | None, *, create: bool = False) -> Athlete:
    """The athlete called ``name``; without a name, the first athlete (created if asked).

    Call inside an open unit of work; a created athlete is written but not committed.
    """
    if name:
        found = uow.athletes.by_name(name)
        if found is not None:
            return found
        if not create:
            names = ", ".join(a.name for a in uow.athletes.list()) or "none yet"
            raise NotFoundError(f"no athlete called {name!r} (athletes: {names})", field="athlete")
    else:
        existing = uow.athletes.list()
        if existing:
            return existing[0]
        if not create:
            raise NotFoundError("nothing logged yet: log a set first", field="athlete")
    athlete = Athlete(new_id(), name or DEFAULT_NAME, Unit.KG, None, datetime.now(UTC))
    uow.athletes.add(athlete)
    return athlete


def athlete_or_new(uow: UnitOfWork, name: str | None) -> tuple[Athlete, bool]:
    """The athlete a write is for (called ``name``, or the only one), and whether they are
    new: not yet stored, so that their first write makes them in its own transaction (a
    refused first write leaves nothing behind)."""
    with uow:
        found = uow.athletes.by_name(name) if name else next(iter(uow.athletes.list()), None)
    if found is not None:
        return found, False
    return Athlete(new_id(), name or DEFAULT_NAME, Unit.KG, None, datetime.now(UTC)), True


def write_new_athlete(uow: UnitOfWork, athlete: Athlete) -> Athlete:
    """Inside a write's transaction: store the new athlete from :func:`athlete_or_new`, or,
    when a concurrent first write of the same name made them a moment ago, the one stored
    (the writer's lock is held, so it is there to see)."""
    existing = uow.athletes.by_name(athlete.name)
    if existing is not None:
        return existing
    uow.athletes.add(athlete)
    return athlete


def find_athlete(uow: UnitOfWork, name: str | None) -> Athlete:
    """:func:`resolve_athlete` in a unit of work of its own, never creating one."""
    with uow:
        return resolve_athlete(uow, name)


def configure_athlete(
    uow: UnitOfWork,
    name: str | None,
    *,
    unit: Unit | None = None,
    body_mass_kg: float | None = None,
    rename: str | None = None,
    dropoff_threshold_pct: float | None = None,
) -> Athlete:
    with uow:
        athlete = resolve_athlete(uow, name, create=True)
        if rename is not None and not rename.strip():
            raise ValidationError("athlete name cannot be empty", field="name")
        updated = replace(
            athlete,
            default_unit=unit or athlete.default_unit,
            body_mass_kg=athlete.body_mass_kg if body_mass_kg is None else body_mass_kg,
            name=rename.strip() if rename else athlete.name,
            dropoff_threshold_pct=dropoff_threshold_pct or athlete.dropoff_threshold_pct,
        )
        uow.athletes.update(updated)
        uow.commit()
        return updated
