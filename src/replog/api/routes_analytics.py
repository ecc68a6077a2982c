"""Analytics: e1RM, load-velocity profiles, readiness and the coach's team dashboard."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from replog.api import deps
from replog.api.deps import LEVELS, CallerDep, Readable
from replog.services.documents import profile_doc, readiness_doc
from replog.services.pap import history_e1rm
from replog.services.profiles import build_profile
from replog.services.readiness import readiness
from replog.services.team import TeamMember, team_dashboard

router = APIRouter(tags=["analytics"])

Exercise = Annotated[str, Path(min_length=1, max_length=100, description="Name, alias or key.")]
Days = Annotated[int | None, Query(ge=7, le=3650, description="History to fit (days).")]


class E1rmOut(BaseModel):
    exercise: str
    name: str
    velocity: dict[str, Any] | None
    reps: dict[str, Any] | None


@router.get("/athletes/{athlete_id}/profiles/{exercise}", response_model=dict[str, Any])
def profile(
    request: Request, exercise: Exercise, ctx: Readable, days: Days = None
) -> dict[str, Any]:
    """The load-velocity profile: points, fit, minimum velocity threshold, e1RM with its
    interval, and the %1RM table."""
    kwargs = {} if days is None else {"days": days}
    report = build_profile(deps.read_uow(request), ctx.athlete.name, exercise, **kwargs)  # type: ignore[arg-type]
    return profile_doc(report)


@router.get("/athletes/{athlete_id}/e1rm/{exercise}", response_model=E1rmOut)
def e1rm(request: Request, exercise: Exercise, ctx: Readable) -> E1rmOut:
    """Two estimates of the one-rep max: from bar velocity (the profile) and from the best
    recent set's reps and effort (RPE/RIR)."""
    now = deps.now()
    lift, best = history_e1rm(deps.read_uow(request), ctx.athlete.name, exercise, now)
    doc = profile_doc(build_profile(deps.read_uow(request), ctx.athlete.name, lift.key, now=now))
    velocity = None
    if doc["e1rm_kg"] is not None:
        velocity = {
            "e1rm_kg": doc["e1rm_kg"], "interval_kg": doc["e1rm_interval_kg"],
            "source": doc["e1rm_source"], "confidence": doc["confidence"], "n": doc["n"],
        }  # fmt: skip
    reps = None
    if best is not None:
        reps = {
            "e1rm_kg": round(best.e1rm_kg, 1), "method": best.method, "day": best.day.isoformat(),
            "set_id": best.set.id, "sets_considered": best.sets_considered,
        }  # fmt: skip
    return E1rmOut(exercise=lift.key, name=lift.name, velocity=velocity, reps=reps)


@router.get("/athletes/{athlete_id}/readiness", response_model=dict[str, Any])
def athlete_readiness(
    request: Request, ctx: Readable, day: Annotated[date | None, Query()] = None
) -> dict[str, Any]:
    """The day's battery with its reasons, warm-up velocity against baseline, training
    load, the trend (with the very days it was read from), and today's plan. With nothing
    to read, ``battery.score`` is null, ``battery.reading`` false and ``battery.needs``
    says what would give a reading; the same document as ``replog readiness --json``."""
    return readiness_doc(readiness(deps.read_uow(request), ctx.athlete.name, day))


class DropOffOut(BaseModel):
    exercise: str
    set_id: str
    position: int
    load_kg: float
    dropoff_pct: float


class TeamMemberOut(BaseModel):
    athlete_id: str
    name: str
    access: str
    battery: int | None
    battery_label: str | None
    reasons: list[str]
    last_session_id: str | None
    last_session_at: datetime | None
    dropoffs: list[DropOffOut]
    recommendations: list[str]
    readiness: dict[str, Any] | None = Field(
        None,
        description="The day's battery document, the very one in the athlete's own "
        "GET /athletes/{id}/readiness (its advice, word for word); null when unavailable.",
    )


class TeamOut(BaseModel):
    day: date
    athletes: list[TeamMemberOut]


@router.get("/team", response_model=TeamOut)
def team(request: Request, who: CallerDep, day: Annotated[date | None, Query()] = None) -> TeamOut:
    """A coach's athletes (those who granted access): today's battery (``readiness``: the
    same document as each athlete's own readiness ``battery``) and the drop-offs of each
    one's last session."""
    today = day or deps.now().astimezone().date()
    members = team_dashboard(lambda: deps.read_uow(request), who.user, today)
    return TeamOut(day=today, athletes=[_member(m) for m in members])


def _member(m: TeamMember) -> TeamMemberOut:
    return TeamMemberOut(
        athlete_id=m.athlete_id,
        name=m.name,
        access=LEVELS[m.access],
        battery=m.battery,
        battery_label=m.battery_label,
        reasons=list(m.reasons),
        last_session_id=m.last_session_id,
        last_session_at=m.last_session_at,
        dropoffs=[
            DropOffOut(
                exercise=d.exercise,
                set_id=d.set_id,
                position=d.position,
                load_kg=d.load_kg,
                dropoff_pct=d.dropoff_pct,
            )
            for d in m.dropoffs
        ],
        recommendations=list(m.recommendations),
        readiness=m.readiness,
    )
