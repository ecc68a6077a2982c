"""Plans: the library (shipped programs and the lifter's own), the program followed, and a
template editor.

Every rule is the services' (:mod:`replog.services.plans`, :mod:`replog.services.plan_today`):
the page renders their documents (``PlanListing.to_dict``, ``TodayPlan.to_dict``,
``NextPlanned.to_dict``). Writes go through the REST API (``/api/v1/athletes/{id}/plans``,
``/program``, ``/plan/start``; :mod:`replog.api.routes_plans`) with the session cookie and
the X-CSRF-Token header, so a coach with write access plans for a lifter, and a bad
document's error names its path in ``field``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.core.plan_doc import program_to_dict
from replog.services.catalogue import catalogue_for
from replog.services.plans import active_program, find_plan, plan_library
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
