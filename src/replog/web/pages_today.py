"""Today: the battery and its reasons, the advised plan (or, when the lifter follows a
program, today's session of it: ``TodayPlan.to_dict()`` rendered as it is), and the
ten-second check-in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.services import sessions
from replog.services.catalogue import catalogue_for
from replog.services.documents import readiness_doc
from replog.services.plan_today import todays_plan
from replog.services.readiness import readiness
from replog.web.charts import sparkline
from replog.web.render import render
from replog.web.viewer import Viewing

router = APIRouter(include_in_schema=False)


@router.get("/")
def today(request: Request, viewer: Viewing) -> HTMLResponse:
    today = deps.now().astimezone().date()
    doc = readiness_doc(readiness(deps.read_uow(request), viewer.athlete, today))
    checkin = next(
        (c for c in sessions.checkins(deps.read_uow(request), viewer.athlete.id)
         if c.value.day == today),
        None,
    )  # fmt: skip
    uow = deps.read_uow(request)
    with uow:
        catalogue = catalogue_for(uow, viewer.athlete.id)
    found = todays_plan(deps.read_uow(request), viewer.athlete, deps.now())
    program = None if found is None else found.to_dict()
    keys = [p["exercise"] for p in doc["plan"]]
    keys += [e["exercise"] for e in program["plan"]["exercises"]] if program else []
    names = {k: catalogue.get(k).name for k in keys if k in catalogue}
    days = doc["trend"]["days"]  # the series the trend was computed from, today last
    label = f"Battery, the last {len(days)} days (no point on a day without a reading)"
    return render(
        request, "today.html", viewer, title="Today", active="today", r=doc, names=names,
        program=program,
        checkin=None if checkin is None else checkin.value, version=checkin and checkin.version,
        trend_svg=sparkline([d["score"] for d in days], label=label), trend_days=len(days),
    )  # fmt: skip
