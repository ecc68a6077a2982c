"""Plans: the library (shipped programs and the lifter's own), the program followed, and a
template editor; and the JSON routes the pages call to change them, to start today's
planned session and to read the next planned set while it is lifted.

Every rule is the services' (:mod:`replog.services.plans`, :mod:`replog.services.plan_today`):
the page renders their documents (``PlanListing.to_dict``, ``TodayPlan.to_dict``,
``PlannedSet.to_dict``). Writes go through the JSON routes under ``/web/athletes/{id}/``,
authenticated like the API's (the session cookie and the X-CSRF-Token header, or a bearer
token; write access to the athlete, so a coach with write access plans for a lifter), and
errors are the API's envelope (a bad document names its path in ``field``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from replog.api import deps
from replog.core.model import Athlete
from replog.core.plan_doc import program_to_dict
from replog.services.catalogue import catalogue_for
from replog.services.plan_today import next_planned_set, start_planned_session, todays_plan
from replog.services.plans import (
    active_program,
    delete_plan,
    find_plan,
    follow_program,
    plan_library,
    save_plan,
    stop_program,
)
from replog.web.render import render
from replog.web.viewer import Viewing

router = APIRouter(include_in_schema=False)

STARTER = {
    "schema": "replog.template/1",
    "name": "My squat day",
    "exercises": [
        {
            "exercise": "back-squat",
            "rest_s": 180,
            "sets": [{"reps": 5, "count": 3, "velocity": 0.7, "velocity_loss_pct": 20}],
            "progression": {"rule": "velocity"},
            "notes": "Stop a set when a rep is 20% slower than the first.",
        }
    ],
}
"""What the editor starts from: one day, one lift, sets prescribed by velocity."""

PlanId = Annotated[str | None, Query(max_length=64)]


def _pretty(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2)


@router.get("/plans")
def plans(request: Request, viewer: Viewing, edit: PlanId = None) -> HTMLResponse:
    uow = deps.read_uow(request)
    library = [p.to_dict() for p in plan_library(uow, viewer.athlete)]
    with uow:
        found = active_program(uow, viewer.athlete)
        catalogue = catalogue_for(uow, viewer.athlete.id)
        editing = None
        if edit:
            listing = find_plan(uow, viewer.athlete, edit)
            if not listing.builtin:
                editing = listing
    active = None
    if found is not None:
        started = found[0].started_at.astimezone()
        active = {"name": found[0].name, "source": found[0].source,
                  "since": f"{started:%a} {started.day} {started:%b %Y}"}  # fmt: skip
    doc: dict[str, Any] = STARTER
    if editing is not None:
        doc = program_to_dict(editing.program)
    lifts = sorted(([e.key, e.name] for e in catalogue), key=lambda kv: kv[1].casefold())
    return render(
        request, "plans.html", viewer, title="Plans", active="more", library=library,
        following=active, doc=_pretty(doc), editing=None if editing is None else {
            "id": editing.source, "version": editing.version, "name": editing.program.name},
        lifts=lifts,
    )  # fmt: skip


# ---- the JSON routes -------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(_In):
    doc: dict[str, Any] = Field(description="A program or template document.")
    plan_id: str | None = Field(None, max_length=64, description="Replace this plan.")
    version: int | None = Field(None, ge=1, description="The plan's version, for an edit.")


class FollowIn(_In):
    ref: str = Field(min_length=1, max_length=200, description="A plan's name or id.")


@router.post("/web/athletes/{athlete_id}/plans")
def save(request: Request, who: deps.Writable, body: PlanIn) -> dict[str, Any]:
    saved = save_plan(
        deps.uow(request, who.athlete.id), who.athlete, body.doc, plan_id=body.plan_id,
        version=body.version, now=deps.now(),
    )  # fmt: skip
    return {"plan": saved.to_dict()}


@router.delete("/web/athletes/{athlete_id}/plans/{plan_id}")
def delete(request: Request, who: deps.Writable, plan_id: str) -> dict[str, Any]:
    return {"deleted": delete_plan(deps.uow(request, who.athlete.id), who.athlete, plan_id)}


@router.put("/web/athletes/{athlete_id}/program")
def follow(request: Request, who: deps.Writable, body: FollowIn) -> dict[str, Any]:
    found = follow_program(deps.uow(request, who.athlete.id), who.athlete, body.ref,
                           now=deps.now())  # fmt: skip
    return {"following": found.to_dict()}


@router.delete("/web/athletes/{athlete_id}/program")
def stop(request: Request, who: deps.Writable) -> dict[str, Any]:
    return {"stopped": stop_program(deps.uow(request, who.athlete.id), who.athlete)}


@router.post("/web/athletes/{athlete_id}/today/start")
def start(request: Request, who: deps.Writable) -> dict[str, Any]:
    today = start_planned_session(deps.uow(request, who.athlete.id), who.athlete, deps.now())
    return {"today": today.to_dict()}


@router.get("/web/athletes/{athlete_id}/today/next")
def next_set(
    request: Request, who: deps.Readable, exercise: Annotated[str, Query(max_length=100)]
) -> dict[str, Any]:
    """The exercise's next planned set (null: none today, or its sets are done)."""
    return planned_next(request, who.athlete, exercise)


def planned_next(request: Request, athlete: Athlete, exercise: str) -> dict[str, Any]:
    """``{next, total, rest_s}`` of ``exercise`` in today's planned session (Drive's plan
    line); ``next`` is ``PlannedSet.to_dict()`` or null."""
    uow = deps.read_uow(request)
    today = todays_plan(uow, athlete, deps.now())
    ex = None if today is None or today.session_id is None else today.plan.exercise(exercise)
    if ex is None:
        return {"next": None, "total": 0, "rest_s": None}
    nxt = next_planned_set(uow, athlete, exercise, deps.now())
    return {"next": None if nxt is None else nxt.to_dict(), "total": len(ex.sets),
            "rest_s": ex.rest_s}  # fmt: skip
