"""Team: a coach's dashboard of the lifters who share their log with them: each one's
battery today and why, their last session and its neural drop-offs, and links into their
pages (the same data as ``GET /api/v1/team``, from :func:`services.team.team_dashboard`).

The battery is the lifter's own battery document, rendered by the same macros as their
Today page: the coach reads the lifter's advice word for word, never a label of its own."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.services.team import Access, TeamMember, team_dashboard
from replog.web.pages_more import own_viewer
from replog.web.render import render
from replog.web.viewer import SignedIn

router = APIRouter(include_in_schema=False)


def _ago(day: date, today: date) -> str:
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def _member(m: TeamMember, today: date) -> dict[str, Any]:
    last = m.last_session_at.astimezone().date() if m.last_session_at else None
    worst = max((d.dropoff_pct for d in m.dropoffs), default=None)
    return {
        "id": m.athlete_id,
        "name": m.name,
        "can_write": m.access >= Access.WRITE,
        "battery": m.battery,
        "readiness": m.readiness,  # the battery document: score, advice, reasons, needs
        "level": m.readiness["level"] if m.readiness else "none",
        "reasons": list(m.reasons[:3]),
        "more_reasons": max(0, len(m.reasons) - 3),
        "last_day": last,
        "last_ago": _ago(last, today) if last else None,
        "last_session_id": m.last_session_id,
        "dropoffs": sorted(m.dropoffs, key=lambda d: d.position),
        "worst": worst,
        "advice": [k.replace("_", " ") for k in m.recommendations],
    }


@router.get("/team")
def team(request: Request, who: SignedIn) -> HTMLResponse:
    viewer = own_viewer(request, who)
    today = deps.now().astimezone().date()
    members = [
        _member(m, today) for m in team_dashboard(lambda: deps.read_uow(request), who.user, today)
    ]
    # who needs a look first: drop-offs, then the lowest battery
    members.sort(key=lambda m: (not m["dropoffs"], m["battery"] is None, m["battery"] or 0))
    return render(
        request, "team.html", viewer, title="Team", active="team", members=members, today=today,
        flagged=sum(1 for m in members if m["dropoffs"]),
    )  # fmt: skip
