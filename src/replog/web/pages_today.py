"""Today: the battery and its reasons, the advised plan, and the ten-second check-in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.services import sessions
from replog.services.catalogue import catalogue_for
from replog.services.documents import readiness_doc
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
    names = {
        p["exercise"]: catalogue.get(p["exercise"]).name
        for p in doc["plan"]
        if p["exercise"] in catalogue
    }
    days = doc["trend"]["days"]  # the series the trend was computed from, today last
    label = f"Battery, the last {len(days)} days (no point on a day without a reading)"
    return render(
        request, "today.html", viewer, title="Today", active="today", r=doc, names=names,
        checkin=None if checkin is None else checkin.value, version=checkin and checkin.version,
        trend_svg=sparkline([d["score"] for d in days], label=label), trend_days=len(days),
    )  # fmt: skip
