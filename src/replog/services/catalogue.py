"""The exercise catalogue as one athlete sees it: built-ins plus their own exercises."""

from __future__ import annotations

from replog.core.errors import ConflictError
from replog.core.exercises import BUILTIN, Catalogue, Equipment, Exercise, Pattern, slugify
from replog.core.model import Athlete
from replog.services.athletes import write_new_athlete
from replog.services.ports import UnitOfWork


def catalogue_for(uow: UnitOfWork, athlete_id: str | None) -> Catalogue:
    """Call inside an open unit of work."""
    cat = Catalogue(BUILTIN)
    for ex in uow.exercises.list(athlete_id):
        cat.add(ex)
    return cat


def add_exercise(
    uow: UnitOfWork,
    athlete: Athlete,
    name: str,
    *,
    equipment: Equipment = Equipment.OTHER,
    pattern: Pattern = Pattern.OTHER,
    aliases: tuple[str, ...] = (),
    mvt: float | None = None,
    concentric_first: bool = False,
    new_athlete: bool = False,
) -> Exercise:
    with uow:
        if new_athlete:  # their first write makes them
            athlete = write_new_athlete(uow, athlete)
        cat = catalogue_for(uow, athlete.id)
        existing = cat.find(name)
        if existing is not None:
            raise ConflictError(f"{name!r} is already in the catalogue as {existing.name}", "name")
        key = slugify(name)
        if key in cat:
            key = f"{key[:58]}-{athlete.id[-5:]}"
        ex = Exercise(
            key,
            name.strip(),
            equipment,
            pattern,
            aliases,
            mvt,
            concentric_first,
            custom=True,
            athlete_id=athlete.id,
        )
        uow.exercises.add(ex)
        uow.commit()
        return ex
