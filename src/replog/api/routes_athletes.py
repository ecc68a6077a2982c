"""Athletes the caller can see, their exercise catalogues and daily check-ins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from replog.api import deps
from replog.api.deps import LEVELS, CallerDep, Owned, Readable, Writable
from replog.api.schemas import (
    AthleteOut,
    AthletePatch,
    CheckInIn,
    CheckInOut,
    ExerciseIn,
    ExerciseOut,
    GearIn,
    GearOut,
    IsoDay,
    athlete_out,
    checkin_out,
    gear_out,
)
from replog.core.exercises import Equipment, Exercise, Pattern
from replog.core.gear import BarAndPlates
from replog.core.units import Unit
from replog.services import accounts, sessions
from replog.services.catalogue import add_exercise
from replog.services.queries import list_exercises

router = APIRouter(tags=["athletes"])


@router.get("/athletes", response_model=list[AthleteOut])
def athletes(request: Request, who: CallerDep) -> list[AthleteOut]:
    """The caller's own log first, then those shared with them."""
    uow = deps.read_uow(request)
    found = accounts.visible_athletes(uow, who.user)
    with uow:
        versions = {a.id: uow.athletes.version(a.id) or 1 for a, _ in found}
    return [athlete_out(a, LEVELS[level], versions[a.id]) for a, level in found]


@router.get("/athletes/{athlete_id}", response_model=AthleteOut)
def athlete(request: Request, ctx: Readable) -> AthleteOut:
    version = sessions.athlete_version(deps.read_uow(request), ctx.athlete.id)
    return athlete_out(ctx.athlete, LEVELS[ctx.access], version)


@router.patch("/athletes/{athlete_id}", response_model=AthleteOut)
def configure(request: Request, body: AthletePatch, ctx: Owned) -> AthleteOut:
    """The owner's settings: unit, body mass, drop-off threshold (2-50 %)."""
    done = sessions.configure(
        deps.uow(request, ctx.athlete.id), ctx.athlete.id, body.version,
        unit=Unit(body.default_unit) if body.default_unit else None,
        body_mass_kg=body.body_mass_kg, dropoff_threshold_pct=body.dropoff_threshold_pct,
    )  # fmt: skip
    return athlete_out(done.value, "owner", done.version)


GearUnit = Annotated[Unit, Path(description="kg or lb")]


@router.put("/athletes/{athlete_id}/gear/{unit}", response_model=GearOut)
def put_gear(request: Request, unit: GearUnit, body: GearIn, ctx: Owned) -> GearOut:
    """The owner's bar and plates in ``unit``, for Drive's plate math on every device.
    The whole of the unit's gear is replaced (no version: the last write wins)."""
    gear = BarAndPlates(body.bar, tuple(body.plates))  # refuses a size given twice
    done = sessions.set_gear(deps.uow(request, ctx.athlete.id), ctx.athlete.id, unit, gear)
    return gear_out(done, unit)


@router.delete("/athletes/{athlete_id}/gear/{unit}", response_model=GearOut)
def reset_gear(request: Request, unit: GearUnit, ctx: Owned) -> GearOut:
    """Back to the gym defaults in ``unit``; returns them."""
    done = sessions.set_gear(deps.uow(request, ctx.athlete.id), ctx.athlete.id, unit, None)
    return gear_out(done, unit)


def exercise_out(e: Exercise, sets_logged: int) -> ExerciseOut:
    return ExerciseOut(
        key=e.key, name=e.name, equipment=e.equipment.value, pattern=e.pattern.value,
        aliases=list(e.aliases), mvt=e.mvt, custom=e.custom, sets_logged=sets_logged,
    )  # fmt: skip


@router.get("/athletes/{athlete_id}/exercises", response_model=list[ExerciseOut])
def exercises(request: Request, ctx: Readable) -> list[ExerciseOut]:
    """The catalogue with the athlete's own exercises, most logged first."""
    entries = list_exercises(deps.read_uow(request), ctx.athlete)
    return [exercise_out(e.exercise, e.sets_logged) for e in entries]


@router.post("/athletes/{athlete_id}/exercises", status_code=201, response_model=ExerciseOut)
def new_exercise(request: Request, body: ExerciseIn, ctx: Writable) -> ExerciseOut:
    ex = add_exercise(
        deps.uow(request, ctx.athlete.id),
        ctx.athlete,
        body.name,
        equipment=Equipment(body.equipment),
        pattern=Pattern(body.pattern),
        aliases=tuple(body.aliases),
        mvt=body.mvt,
    )
    return exercise_out(ex, 0)


@router.get("/athletes/{athlete_id}/checkins", response_model=list[CheckInOut])
def checkins(request: Request, ctx: Readable) -> list[CheckInOut]:
    return [
        checkin_out(c.value, c.version)
        for c in sessions.checkins(deps.read_uow(request), ctx.athlete.id)
    ]


Day = Annotated[IsoDay, Path(description="The day, YYYY-MM-DD.")]


@router.put(
    "/athletes/{athlete_id}/checkins/{day}",
    response_model=CheckInOut,
    responses={201: {"model": CheckInOut, "description": "The day's check-in was created"}},
)
def put_checkin(
    request: Request, response: Response, day: Day, body: CheckInIn, ctx: Writable
) -> CheckInOut:
    """Record how the lifter slept and feels. Fields sent replace stored ones; send the
    ``version`` you read to change an existing check-in (else 409)."""
    fields = {k: getattr(body, k) for k in body.model_fields_set if k != "version"}
    saved, what = sessions.put_checkin(
        deps.uow(request, ctx.athlete.id), ctx.athlete.id, day, body.version, fields
    )
    if what == "created":
        response.status_code = 201
    return checkin_out(saved.value, saved.version)
