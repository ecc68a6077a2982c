"""Plans: the library, a lifter's own programs and templates (a coach with write access
writes them for the lifter), the program followed, today's plan, its start and the next
set. Bodies and answers are the documents of :mod:`replog.services.plans` and
:mod:`replog.services.plan_today` (schema: docs/programs.md), the ones the CLI and the
pages render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from replog.api import deps
from replog.api.deps import Readable, Writable
from replog.core.plan_doc import program_to_dict
from replog.services import plans as plan_service
from replog.services.catalogue import catalogue_for
from replog.services.plan_today import (
    next_planned,
    review_planned_session,
    start_planned_session,
    todays_plan,
)

router = APIRouter(tags=["plans"])

Ref = Annotated[str, Path(min_length=1, max_length=200, description="A plan's name or id.")]


class PlanPut(BaseModel):
    version: int = Field(ge=1, description="The version read: a stale edit is 409.")
    document: dict[str, Any] = Field(description="A program or template document.")


class FollowIn(BaseModel):
    plan: str = Field(min_length=1, max_length=200, description="A shipped program or yours.")


def _listing_doc(found: plan_service.PlanListing) -> dict[str, Any]:
    return {**found.to_dict(), "document": program_to_dict(found.program)}


@router.get("/athletes/{athlete_id}/plans", response_model=dict[str, Any])
def list_plans(request: Request, ctx: Readable) -> dict[str, Any]:
    """The shipped programs, then the lifter's own."""
    found = plan_service.plan_library(deps.read_uow(request), ctx.athlete)
    return {"plans": [p.to_dict() for p in found]}


@router.post("/athletes/{athlete_id}/plans", status_code=201, response_model=dict[str, Any])
def create_plan(request: Request, ctx: Writable, document: dict[str, Any]) -> dict[str, Any]:
    """Keep a program or template document; a mistake is 422 naming its path (``field``),
    and nothing is kept."""
    uow = deps.uow(request, ctx.athlete.id)
    kept = plan_service.save_plan(uow, ctx.athlete, document, now=deps.now())
    return _listing_doc(kept)


@router.get("/athletes/{athlete_id}/plans/{ref}", response_model=dict[str, Any])
def get_plan(request: Request, ctx: Readable, ref: Ref) -> dict[str, Any]:
    """One plan with its document."""
    uow = deps.read_uow(request)
    with uow:
        found = plan_service.find_plan(uow, ctx.athlete, ref)
    return _listing_doc(found)


@router.put("/athletes/{athlete_id}/plans/{ref}", response_model=dict[str, Any])
def replace_plan(request: Request, ctx: Writable, ref: Ref, body: PlanPut) -> dict[str, Any]:
    """Replace one of the lifter's plans (by id) if it is still at ``version``."""
    uow = deps.uow(request, ctx.athlete.id)
    kept = plan_service.save_plan(
        uow, ctx.athlete, body.document, plan_id=ref, version=body.version, now=deps.now()
    )
    return _listing_doc(kept)


@router.delete("/athletes/{athlete_id}/plans/{ref}", status_code=204)
def delete_plan(request: Request, ctx: Writable, ref: Ref) -> Response:
    """Remove one of the lifter's plans (the program followed stays as started)."""
    plan_service.delete_plan(deps.uow(request, ctx.athlete.id), ctx.athlete, ref)
    return Response(status_code=204)


@router.put("/athletes/{athlete_id}/program", response_model=dict[str, Any])
def follow(request: Request, ctx: Writable, body: FollowIn) -> dict[str, Any]:
    """Follow a plan from its first day."""
    uow = deps.uow(request, ctx.athlete.id)
    found = plan_service.follow_program(uow, ctx.athlete, body.plan, now=deps.now())
    return _listing_doc(found)


@router.delete("/athletes/{athlete_id}/program", status_code=204)
def stop(request: Request, ctx: Writable) -> Response:
    """Stop following a program."""
    plan_service.stop_program(deps.uow(request, ctx.athlete.id), ctx.athlete)
    return Response(status_code=204)


@router.get("/athletes/{athlete_id}/plan/today", response_model=dict[str, Any])
def today(request: Request, ctx: Readable) -> dict[str, Any]:
    """Today's session of the program followed (``today`` null: none followed): warm-ups,
    work sets with their loads, targets and why, and how each lift went last time."""
    plan = todays_plan(deps.read_uow(request), ctx.athlete, deps.now())
    return {"today": None if plan is None else plan.to_dict()}


@router.post("/athletes/{athlete_id}/plan/start", response_model=dict[str, Any])
def start(request: Request, ctx: Writable) -> dict[str, Any]:
    """Open today's session from the plan (a session already started from it is returned);
    its plan is kept beside what is lifted."""
    plan = start_planned_session(deps.uow(request, ctx.athlete.id), ctx.athlete, deps.now())
    return {"today": plan.to_dict()}


@router.get("/athletes/{athlete_id}/plan/next", response_model=dict[str, Any])
def next_set(
    request: Request,
    ctx: Readable,
    exercise: Annotated[str, Query(min_length=1, max_length=100, description="The lift.")],
) -> dict[str, Any]:
    """The lift's next set in today's planned session, steered by the sets done so far
    (``next`` null: no planned session today, the lift is not in it, or its sets are done),
    with its number of work sets (``total``) and rest (``rest_s``)."""
    uow = deps.read_uow(request)
    with uow:
        key = catalogue_for(uow, ctx.athlete.id).resolve(exercise).key
    found = next_planned(deps.read_uow(request), ctx.athlete, deps.now(), [key]).get(key)
    if found is None:
        return {"exercise": key, "next": None, "total": 0, "rest_s": None}
    return found.to_dict()


@router.get("/athletes/{athlete_id}/plan/review", response_model=dict[str, Any])
def review(
    request: Request,
    ctx: Readable,
    session: Annotated[
        str, Query(min_length=1, max_length=40, description="An id, prefix, 'last' or a date.")
    ] = "last",
) -> dict[str, Any]:
    """Planned against performed for a session started from a plan: each planned work set
    and how the set lifted in its place went (differences, met or not, notes)."""
    return review_planned_session(deps.read_uow(request), ctx.athlete, session).to_dict()
