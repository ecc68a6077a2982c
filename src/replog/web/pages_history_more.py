"""The exercises (history, records, load-velocity profile, e1RM over time), the battery over
time, and the "does this help me?" insights."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.core.e1rm import PROFILE
from replog.core.errors import NotFoundError
from replog.core.pap import MIN_SESSIONS, SWC
from replog.core.profile import t_critical
from replog.core.units import Unit
from replog.services.documents import profile_doc, readiness_doc
from replog.services.e1rm import e1rm_doc, lift_e1rm
from replog.services.profiles import ProfileReport
from replog.services.queries import exercise_history, list_exercises
from replog.services.readiness import readiness
from replog.services.trends import battery_history, insights
from replog.web.charts import EffectRow, effect_chart, profile_chart, time_chart
from replog.web.pages_history import in_unit, link
from replog.web.render import render
from replog.web.viewer import PageNotFoundError, Viewing

router = APIRouter(include_in_schema=False)
SHOWN_SESSIONS = 8
CHART_DAYS = 365  # the e1RM chart's span unless ?show=all
BATTERY_RANGES = (28, 84)


@router.get("/exercises")
def exercises(request: Request, viewer: Viewing) -> HTMLResponse:
    entries = [e for e in list_exercises(deps.read_uow(request), viewer.athlete) if e.sets_logged]
    return render(
        request, "exercises.html", viewer, title="Exercises", active="history", sub="exercises",
        entries=entries, link=link,
    )  # fmt: skip


def profile_band(
    report: ProfileReport, x_hi_kg: float, steps: int = 32
) -> list[tuple[float, float, float]]:
    """The pointwise confidence band of the fitted mean line, ``a + b x +- t s sqrt(1/n +
    (x - xbar)^2 / Sxx)``, from the lightest point to ``x_hi_kg``: the band whose crossing
    with the MVT is the e1RM's Fieller interval (:mod:`replog.core.profile`). Empty
    without a least-squares fit on at least three points."""
    p = report.profile
    xs = [pt.load_kg for pt in report.points]
    if p is None or report.method != "ols" or len(xs) < 3 or not p.see_ or p.n_ != len(xs):
        return []
    n, xbar = len(xs), sum(xs) / len(xs)
    sxx = sum((x - xbar) ** 2 for x in xs)
    if sxx <= 0:
        return []
    t = t_critical(p.confidence, n - 2) * p.see_
    lo = min(xs)
    out = []
    for i in range(steps + 1):
        x = lo + (x_hi_kg - lo) * i / steps
        mid, half = p.intercept_ + p.slope_ * x, t * math.sqrt(1 / n + (x - xbar) ** 2 / sxx)
        out.append((x, mid - half, mid + half))
    return out


def profile_view(report: ProfileReport, unit: Unit, name: str) -> dict[str, Any]:
    """The profile document, and its chart with loads in the lifter's unit. The dot where
    the line meets the MVT is labelled "e1RM" only when it is the lift's e1RM."""
    doc = profile_doc(report)
    p, at_mvt, interval = report.profile, report.load_at_mvt_kg, doc["load_at_mvt_interval_kg"]
    e = report.e1rm
    is_e1rm = e is not None and e.source == PROFILE and p is not None and e.value_kg == p.e1rm_
    loads = [pt.load_kg for pt in report.points]
    reach = max([*loads, at_mvt or 0.0, *(interval or ())], default=0.0)
    band = profile_band(report, reach)
    k = in_unit(1.0, unit)  # display units per kg
    chart = profile_chart(
        [(in_unit(pt.load_kg, unit), pt.velocity) for pt in report.points],
        label=f"{name}: load-velocity profile and the load where it meets the minimum "
        "velocity threshold",
        fit=(p.intercept_, p.slope_ / k) if p is not None else None,
        band=[(x * k, lo, hi) for x, lo, hi in band], mvt=report.mvt,
        e1rm=None if at_mvt is None else at_mvt * k,
        e1rm_label="e1RM" if is_e1rm else "at MVT",
        interval=None if interval is None else (interval[0] * k, interval[1] * k),
        unit=unit.value,
    )  # fmt: skip
    return {"doc": doc, "chart": chart, "band": bool(band), "k": k, "is_e1rm": is_e1rm}


@router.get("/exercises/{key}")
def exercise_page(
    request: Request, viewer: Viewing, key: Annotated[str, Path(max_length=100)],
    show: Annotated[Literal["all"] | None, Query()] = None,
) -> HTMLResponse:  # fmt: skip
    unit = viewer.athlete.default_unit
    limit = None if show == "all" else SHOWN_SESSIONS
    try:
        h = exercise_history(deps.read_uow(request), viewer.athlete, key, limit)
    except NotFoundError:
        raise PageNotFoundError("No such exercise.") from None
    now = deps.now()
    since = None if limit is None else now.astimezone().date() - timedelta(days=CHART_DAYS)
    found = lift_e1rm(deps.read_uow(request), viewer.athlete, h.exercise.key, now=now,
                      since=since, every_day=since is None)  # fmt: skip
    profile = profile_view(found.profile, unit, h.exercise.name)
    # the e1RM of each session day (of the last year, or all) and of today, by the one rule
    shown = [d for d in found.lift.session_days() if since is None or d >= since]
    days = found.lift.series([*shown, found.day])
    series = [(d, None if e is None else in_unit(e.value_kg, unit)) for d, e in days]
    span = "each session day" if since is None else "each session day of the last 12 months"
    e1rm_svg = time_chart(
        series, label=f"{h.exercise.name}: e1RM on {span} and today", unit=unit.value,
    )  # fmt: skip
    by_profile = sum(1 for _, e in days if e is not None and e.source == PROFILE)
    by_sets = sum(1 for _, e in days if e is not None and e.source != PROFILE)
    return render(
        request, "exercise.html", viewer, title=h.exercise.name, active="history",
        sub="exercises", h=h, rec=h.records, profile=profile, e1rm=e1rm_doc(found.estimate),
        e1rm_svg=e1rm_svg, by_profile=by_profile, by_sets=by_sets,
        unit=unit.value, in_unit=lambda kg: in_unit(kg, unit), link=link,
        all_href=link(viewer, f"/exercises/{h.exercise.key}", show="all")
        if limit is not None and h.total_sessions > limit else None,
    )  # fmt: skip


@router.get("/battery")
def battery(
    request: Request, viewer: Viewing, days: Annotated[int, Query(ge=7, le=84)] = 28
) -> HTMLResponse:
    """The battery day by day. Today's figure is the readiness document's (as on Today, in
    the CLI and the API); a day without a reading has no point on the chart and no figure
    in the averages."""
    today = deps.now().astimezone().date()
    doc = readiness_doc(readiness(deps.read_uow(request), viewer.athlete, today))
    bh = battery_history(deps.read_uow(request), viewer.athlete, today, days)
    since = today - timedelta(days=days - 1)
    svg = time_chart(
        [(d.day, None if d.score is None else float(d.score)) for d in bh.days],
        label=f"Battery, last {days} days (no point on a day without a reading)",
        lo=0, hi=100, unit="of 100", dots=days <= 28, span=(since, today),
    )  # fmt: skip
    scores = [d.score for d in bh.days if d.score is not None]
    rows = [d for d in reversed(bh.days) if d.checkin is not None or d.trained]
    ranges = [(n, link(viewer, "/battery", days=n)) for n in BATTERY_RANGES]
    return render(
        request, "battery.html", viewer, title="Battery", active="history", sub="battery",
        svg=svg, days=days, rows=rows, ranges=ranges, r=doc, readings=len(scores),
        mean=sum(scores) / len(scores) if scores else None, low=min(scores, default=None),
        since=since,
    )  # fmt: skip


VERDICT_WORDS = {
    "helps": "Helps you",
    "hurts": "Slows you down",
    "no clear effect": "No clear effect",
    "not enough data": "Not enough data yet",
}


@router.get("/insights")
def insights_page(request: Request, viewer: Viewing) -> HTMLResponse:
    _, found = insights(deps.read_uow(request), viewer.athlete)
    cards: list[dict[str, Any]] = []
    for item in found:
        rev, e = item.review, item.review.effect
        subject = "Primer single" if rev.subject == "primer" else f"Tag “{rev.subject}”"
        cards.append({
            "exercise": item.exercise, "subject": subject, "effect": e,
            "verdict": e.verdict.value, "words": VERDICT_WORDS[e.verdict.value],
            "sessions": rev.sessions, "metric": rev.metric,
            "label": f"{item.exercise.name}: {subject.lower()}",
        })  # fmt: skip
    rows = [
        EffectRow(c["label"], c["effect"].g, c["effect"].ci_low, c["effect"].ci_high, c["verdict"])
        for c in cards
    ]
    chart = effect_chart(rows, label="Effect sizes (Hedges' g) with 95 % intervals", swc=SWC)
    return render(
        request, "insights.html", viewer, title="Insights", active="history", sub="insights",
        cards=cards, chart=chart, swc=SWC, min_sessions=MIN_SESSIONS, link=link,
    )  # fmt: skip
