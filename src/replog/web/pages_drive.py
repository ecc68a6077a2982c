"""Drive: the live session. Pick an exercise, log a set in three taps (prefilled from the
last one, plate math shown), see each rep's velocity and the set's verdict, follow a PAP
block, rest between sets; or let the phone measure the set (``static/sensor.js``).

The page is rendered from the services; its writes go through the API from
``static/drive.js`` (``send`` from app.js, so a set logged offline waits in the outbox).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from replog.api import deps
from replog.api.verdict import verdict_of
from replog.core.analysis import Recommendation
from replog.core.errors import ReplogError
from replog.core.exercises import Equipment, Exercise
from replog.core.model import Session, SetRecord
from replog.services.analytics import analyze_stored
from replog.services.drive import DriveState, NextSet, drive_state, next_sets
from replog.services.pap import pap_plan
from replog.services.plan_today import next_planned
from replog.services.readiness import plan_of_day
from replog.web.render import day, environment, render
from replog.web.viewer import Viewer, Viewing

router = APIRouter(include_in_schema=False)

KINDS = (
    ("working", "Working"), ("warmup", "Warm-up"), ("primer", "Primer"), ("backoff", "Back-off"),
    ("amrap", "AMRAP"), ("drop", "Drop set"), ("failure", "To failure"),
)  # fmt: skip
RPES = (None, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0)
ExerciseQuery = Annotated[str | None, Query(max_length=100)]
NumberQuery = Annotated[str | None, Query(max_length=20)]


def _num(text: str | None, low: float, high: float) -> float | None:
    """A number from the query string, or None when it is missing or unusable."""
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return float(value) if value.is_finite() and low <= value <= high else None


def _value(x: Decimal | float) -> float | int:
    f = float(x)
    return int(f) if f.is_integer() else f


def _set_doc(s: SetRecord) -> dict[str, Any]:
    return {
        "id": s.id, "exercise": s.exercise, "position": s.position, "kind": s.kind.value,
        "load": _value(s.load.value), "unit": s.load.unit.value, "reps": s.reps, "rpe": s.rpe,
        "velocities": [round(v, 3) for v in s.velocities],
    }  # fmt: skip


def _today(
    request: Request, viewer: Viewer, session: Session | None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None, list[Recommendation]]:
    """Today's sets in order, each with its mean velocity and drop-off, the verdict on the
    last one and the session's rulebook items: all from one analysis of the session."""
    if session is None or not session.sets:
        return [], None, []
    found = analyze_stored(deps.read_uow(request), viewer.athlete, session.id)
    rows = []
    for a in found.analysis.sets:
        row = _set_doc(a.set)
        row.update(
            mean_velocity=None if a.velocity is None else round(a.velocity.mean, 2),
            dropoff_pct=None if a.dropoff_pct is None else round(a.dropoff_pct, 1),
            neural_dropoff=a.flags.neural_dropoff,
        )
        rows.append(row)
    last_set = max(session.sets, key=lambda s: s.position)
    verdict = verdict_of(found, last_set.id).model_dump(mode="json")
    items = list(found.analysis.recommendations)
    return rows, {"set": _set_doc(last_set), "verdict": verdict}, items


def _pap(
    request: Request,
    viewer: Viewer,
    exercise: str | None,
    items: list[Recommendation] | None = None,
) -> dict[str, Any] | None:
    """The PAP block prescribed for ``exercise`` from the last six weeks, if any;
    ``items``: today's rulebook items, when the page has analysed the session already."""
    if not exercise:
        return None
    try:
        plan = pap_plan(
            deps.read_uow(request), viewer.athlete, exercise, now=deps.now(),
            today_items=items,
        )  # fmt: skip
    except ReplogError:
        return None
    p = plan.prescription
    if p is None:
        return None
    today, ex = plan.today, plan.exercise
    working = today.working_load if today else p.working.load
    return {
        "exercise": ex.key, "name": ex.name, "unit": p.unit.value,
        "e1rm": round(p.e1rm, 1),
        "primer": {"load": _value(p.primer.load), "reps": p.primer.reps,
                   "pct": round(p.primer.pct_e1rm * 100), "rpe": p.primer.expected_rpe,
                   "why": p.primer.why},
        "rest": {"low": p.rest.low_s, "target": p.rest.target_s, "high": p.rest.high_s,
                 "why": p.rest.why},
        "working": {"load": _value(working), "planned": _value(p.working.load),
                    "sets": p.working.sets, "reps": p.working.reps,
                    "pct": round(p.working.pct_e1rm * 100), "rpe": p.working.expected_rpe,
                    "rest": p.working.rest_between_s or 180, "why": p.working.why},
        "skip_primer": bool(today and today.skip_primer),
        "rpe_cap": today.rpe_cap if today else None,
        "today": today.text if today else "",
    }  # fmt: skip


def _json(doc: object) -> Markup:
    """JSON safe inside a <script> element."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _choose(state: DriveState, text: str | None) -> tuple[Exercise | None, str]:
    """The exercise asked for by key, name or alias; else a message saying why not."""
    if not text:
        return None, ""
    by_key = {p.exercise.key: p.exercise for p in state.picks}
    if text in by_key:
        return by_key[text], ""
    wanted = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    for p in state.picks:
        names = (p.exercise.name, p.exercise.key, *p.exercise.aliases)
        if wanted in {re.sub(r"[^a-z0-9]+", " ", n.lower()).strip() for n in names}:
            return p.exercise, ""
    return None, f"No exercise called “{text}” in your catalogue: pick one below."


def _prefill(
    state: DriveState,
    nexts: dict[str, NextSet],
    exercise: Exercise | None,
    load: float | None,
    reps: float | None,
) -> dict[str, Any]:
    bar = state.athlete.gear_for(state.athlete.default_unit).bar  # the lifter's own bar
    fill: dict[str, Any] = {"load": None, "reps": 5, "rpe": None, "kind": "working"}
    if exercise is not None:
        nxt = nexts.get(exercise.key)
        if nxt is not None:
            fill.update(load=_value(nxt.load), reps=nxt.reps, rpe=nxt.rpe, kind=nxt.kind)
        elif exercise.equipment is Equipment.BARBELL:
            fill["load"] = _value(bar)
    if load is not None:
        fill["load"] = _value(load)
    if reps is not None:
        fill["reps"] = int(reps)
    return fill


@router.get("/drive")
def drive(
    request: Request, viewer: Viewing, exercise: ExerciseQuery = None, load: NumberQuery = None,
    reps: NumberQuery = None,
) -> HTMLResponse:  # fmt: skip
    now = deps.now()
    state = drive_state(deps.read_uow(request), viewer.athlete, now)
    chosen, problem = _choose(state, exercise)
    session = state.session
    rows, verdict, items = _today(request, viewer, session)
    planned = _planned(request, viewer)
    # today's items when today's session is open; else (ended, or none) the plan looks. A
    # lift of today's session started from a program follows the program (its primers are
    # the program's): no second prescription beside it.
    key = chosen.key if chosen and chosen.key not in planned else None
    pap = _pap(request, viewer, key, items if session else None)
    plan = plan_of_day(deps.read_uow(request), viewer.athlete, now.astimezone().date())
    nexts = next_sets(state, plan, items)
    fill = _prefill(state, nexts, chosen, _num(load, 0, 2000), _num(reps, 0, 100))
    ahead = planned.get(chosen.key) if chosen else None
    if ahead and ahead["next"] and load is None and reps is None:  # the plan's set, as it is
        nxt = ahead["next"]
        if nxt["load"] is not None:
            fill["load"] = _value(nxt["load"]["value"])
        fill.update(reps=nxt["reps"] or fill["reps"], kind=nxt["kind"], rpe=None)
    data = {
        "unit": state.athlete.default_unit.value,
        "canWrite": viewer.can_write,
        "query": viewer.query,
        "selected": chosen.key if chosen else None,
        "sessionId": session.id if session else None,
        "threshold": state.athlete.dropoff_threshold_pct,
        "exercises": {p.exercise.key: {"name": p.exercise.name,
                                       "equipment": p.exercise.equipment.value}
                      for p in state.picks},
        "last": {k: {**_set_doc(v.set), "day": day(v.day), "today": v.today}
                 for k, v in state.last.items()},
        "next": {k: {"load": _value(n.load), "unit": n.unit, "reps": n.reps, "rpe": n.rpe,
                     "kind": n.kind, "why": n.why}
                 for k, n in nexts.items()},
        "rows": rows,
        "verdict": verdict,
        "pap": pap,
        "plan": planned,
    }  # fmt: skip
    return render(
        request, "drive.html", viewer, title="Drive", active="drive", picks=state.picks,
        last=state.last,
        chosen=chosen, problem=problem, rows=rows, fill=fill, kinds=KINDS, rpes=RPES, pap=pap,
        session=session, data=_json(data), names={p.exercise.key: p.exercise.name
                                                  for p in state.picks},
        started=_started(session),
    )  # fmt: skip


def _planned(request: Request, viewer: Viewer) -> dict[str, dict[str, Any]]:
    """Each lift of today's session started from the program: its next planned set
    (``PlannedSet.to_dict()``, steered by the sets done), the number of work sets and the
    rest; empty when today's session was not started from a plan."""
    found = next_planned(deps.read_uow(request), viewer.athlete, deps.now())
    return {k: n.to_dict() for k, n in found.items()}


def _started(session: Session | None) -> str:
    if session is None:
        return ""
    at: datetime = session.started_at.astimezone()
    return f"{at:%H:%M}"


@router.get("/drive/pap")
def pap_fragment(request: Request, viewer: Viewing, exercise: ExerciseQuery = None) -> HTMLResponse:
    """The PAP block of one exercise, for the page to swap in when the lifter picks another
    exercise (empty when none is prescribed)."""
    pap = None if exercise in _planned(request, viewer) else _pap(request, viewer, exercise)
    if pap is None:
        return HTMLResponse("", headers={"Cache-Control": "no-store"})
    html = environment().get_template("drive_pap.html").render(pap=pap, viewer=viewer)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
