"""Analytics: e1RM, load-velocity profiles, readiness and the coach's team dashboard."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from replog.api import deps
from replog.api.deps import LEVELS, CallerDep, Readable
from replog.api.schemas import IsoDay
from replog.services.documents import profile_doc, readiness_doc
from replog.services.e1rm import e1rm_doc, lift_e1rm
from replog.services.profiles import build_profile
from replog.services.readiness import readiness
from replog.services.team import TeamMember, team_dashboard

router = APIRouter(tags=["analytics"])

Exercise = Annotated[str, Path(min_length=1, max_length=100, description="Name, alias or key.")]
Days = Annotated[int | None, Query(ge=7, le=3650, description="History to fit (days).")]


class E1rmSetOut(BaseModel):
    id: str | None
    date: date
    load: str | None = Field(description="As entered, e.g. '137.5 kg'.")
    load_kg: float
    reps: int
    rpe: float | None = Field(description="As logged, or 10 - RIR; null: counted as RIR 0.")


class E1rmDocOut(BaseModel):
    """The lift's e1RM of the day: the one ``replog history``, ``replog profile``, ``replog
    pap`` and the exercise page show (rule: :mod:`replog.core.e1rm`)."""

    value_kg: float
    source: Literal["profile", "epley_rir"]
    method: str = Field(description="Its name, e.g. 'load-velocity profile at MVT 0.30 m/s'.")
    basis: str = Field(description="What it was computed from, in words.")
    why: str = Field(description="Why this method: the rule's reason.")
    day: date = Field(description="The day it is the e1RM of.")
    newest_data: date | None
    interval_kg: list[float] | None = Field(description="The profile's Fieller interval.")
    confidence: float | None
    see_m_s: float | None = Field(description="The profile's standard error of estimate.")
    points: int | None = Field(description="Profile: the points of the line.")
    sets_considered: int | None = Field(description="Epley: the sets it is the best of.")
    from_set: E1rmSetOut | None = Field(description="Epley: the set it came from.")


class E1rmOut(BaseModel):
    exercise: str
    name: str
    e1rm: E1rmDocOut | None
    message: str | None = Field(None, description="Why there is no e1RM, when there is none.")


@router.get("/athletes/{athlete_id}/profiles/{exercise}", response_model=dict[str, Any])
def profile(
    request: Request, exercise: Exercise, ctx: Readable, days: Days = None
) -> dict[str, Any]:
    """The load-velocity profile: points, fit, minimum velocity threshold, the load where
    the line meets it (``load_at_mvt_kg``) with its interval, the %1RM table, and the lift's
    e1RM of the day (``e1rm``: the same document as ``GET .../e1rm/{exercise}`` returns)."""
    kwargs = {} if days is None else {"days": days}
    uow, now = deps.read_uow(request), deps.now()
    report = build_profile(uow, ctx.athlete, exercise, now=now, **kwargs)  # type: ignore[arg-type]
    return profile_doc(report)


@router.get("/athletes/{athlete_id}/e1rm/{exercise}", response_model=E1rmOut)
def e1rm(request: Request, exercise: Exercise, ctx: Readable) -> E1rmOut:
    """The lift's e1RM of the day, named with its method: from the load-velocity profile
    when it has enough points and a good fit, else Epley with reps in reserve from the best
    working set of the last 6 weeks (the one e1RM every surface shows)."""
    found = lift_e1rm(deps.read_uow(request), ctx.athlete, exercise, now=deps.now())
    lift, doc = found.exercise, e1rm_doc(found.estimate)
    if doc is None:
        message = (
            f"no e1RM for {lift.name}: no load-velocity profile good enough and no working "
            "sets in the last 6 weeks"
        )
        return E1rmOut(exercise=lift.key, name=lift.name, e1rm=None, message=message)
    e1rm = E1rmDocOut.model_validate(doc)
    return E1rmOut(exercise=lift.key, name=lift.name, e1rm=e1rm, message=None)


@router.get("/athletes/{athlete_id}/readiness", response_model=dict[str, Any])
def athlete_readiness(
    request: Request, ctx: Readable, day: Annotated[IsoDay | None, Query()] = None
) -> dict[str, Any]:
    """The day's battery with its reasons, warm-up velocity against baseline, training
    load, the trend (with the very days it was read from), and today's plan. With nothing
    to read, ``battery.score`` is null, ``battery.reading`` false and ``battery.needs``
    says what would give a reading; the same document as ``replog readiness --json``."""
    return readiness_doc(readiness(deps.read_uow(request), ctx.athlete, day))


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
def team(
    request: Request, who: CallerDep, day: Annotated[IsoDay | None, Query()] = None
) -> TeamOut:
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
