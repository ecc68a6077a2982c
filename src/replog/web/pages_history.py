"""History: the sessions, newest first, and one session with its analysis and chart.

The exercise, battery and insight pages are in :mod:`replog.web.pages_history_more`.
Every page shows the viewer's log (``?athlete=`` for a coach) and its links keep to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from replog.api import deps
from replog.core.analysis_doc import session_analysis_to_dict
from replog.core.errors import NotFoundError, ValidationError
from replog.core.units import KG_PER_LB, Unit
from replog.services.analytics import analyze_stored, history_analyses
from replog.services.queries import list_sessions
from replog.web.charts import Bar, bar_chart
from replog.web.render import render
from replog.web.viewer import PageNotFoundError, Viewer, Viewing

router = APIRouter(include_in_schema=False)
PER_PAGE = 15
LB = float(KG_PER_LB)


def in_unit(kg: float, unit: Unit) -> float:
    return kg if unit is Unit.KG else kg / LB


def link(viewer: Viewer, path: str, **params: object) -> str:
    """``path`` with ``params`` and the viewer's ``?athlete=``, for hrefs."""
    from urllib.parse import urlencode

    query = {k: v for k, v in params.items() if v is not None}
    if not viewer.own:
        query["athlete"] = viewer.athlete.id
    return path + ("?" + urlencode(query) if query else "")


def worst_dropoff(doc: dict[str, Any]) -> tuple[float | None, bool]:
    """The largest drop-off of a session's analysis document, and whether any set flagged."""
    sets = doc.get("sets", [])
    drops = [s["dropoff_pct"] for s in sets if s.get("dropoff_pct") is not None]
    flagged = any(s["flags"]["neural_dropoff"] for s in sets)
    return (max(drops) if drops else None), flagged


@router.get("/history")
def history(
    request: Request, viewer: Viewing, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    unit = viewer.athlete.default_unit
    _, rows, names = list_sessions(deps.read_uow(request), viewer.athlete, page * PER_PAGE + 1)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    more = len(rows) > page * PER_PAGE
    # stored analyses are a cache the log's writes clear; filling it is a write to this log
    _, stored, _ = history_analyses(
        deps.uow(request, viewer.athlete.id), viewer.athlete, [(r.id, r.started_at) for r in shown]
    )
    by_id = {a.session_id: a for a in stored}
    sessions = []
    for r in shown:
        a = by_id.get(r.id)
        worst, flagged = worst_dropoff(json.loads(a.doc)) if a else (None, False)
        sessions.append({
            "id": r.id, "started_at": r.started_at, "name": r.name,
            "exercises": [names.get(k, k) for k in r.exercises], "sets": r.set_count,
            "reps": r.rep_count, "volume": in_unit(r.volume_kg, unit), "worst": worst,
            "flagged": flagged, "href": link(viewer, f"/history/{r.id}"),
        })  # fmt: skip
    return render(
        request, "history.html", viewer, title="History", active="history", sub="sessions",
        sessions=sessions, page=page, unit=unit.value,
        newer=link(viewer, "/history", page=page - 1 if page > 2 else None) if page > 1 else None,
        older=link(viewer, "/history", page=page + 1) if more else None,
    )  # fmt: skip


def _reference(sets: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The set most same-load comparisons of an exercise were made against."""
    counts: dict[str, int] = {}
    for s in sets:
        if s["comparison"] == "same_load" and s["reference_set"]:
            counts[s["reference_set"]] = counts.get(s["reference_set"], 0) + 1
    if not counts:
        return None
    ref_id = max(counts, key=lambda k: counts[k])
    return next((s for s in sets if s["set_id"] == ref_id), None)


def exercise_block(
    key: str, name: str, sets: list[dict[str, Any]], threshold: float
) -> dict[str, Any]:
    """One exercise of a session: its sets numbered, the reference set, and the chart."""
    ref = _reference(sets)
    refs = {s["reference_set"] for s in sets if s["reference_set"]}
    numbers = {s["set_id"]: i for i, s in enumerate(sets, 1)}
    bars = []
    for s in sets:
        if s["mean_velocity"] is None:
            continue
        n = numbers[s["set_id"]]
        kind = "ref" if s["set_id"] in refs else ("drop" if s["flags"]["neural_dropoff"] else "")
        kind = f"{kind} {s['kind']}".strip()
        drop = f", drop-off {s['dropoff_pct']:.1f} %" if s["dropoff_pct"] is not None else ""
        what = " (reference)" if s["set_id"] in refs else ""
        dose = f"{s['load']} {s['unit']} x {s['reps']}"
        title = f"Set {n}{what}: {dose}, {s['mean_velocity']:.2f} m/s{drop}"
        bars.append(Bar(str(n), s["mean_velocity"], kind, title))
    line = line_label = None
    if ref is not None and ref["mean_velocity"] is not None:
        line = ref["mean_velocity"] * (1 - threshold / 100)
        line_label = f"\u2212{threshold:g} % of set {numbers[ref['set_id']]}"
    chart = bar_chart(
        bars, label=f"{name}: mean velocity of each set, m/s", line=line,
        line_label=line_label or "",
    )  # fmt: skip
    return {
        "key": key, "name": name, "sets": sets, "numbers": numbers, "chart": chart,
        "bars": len(bars), "ref": ref, "ref_number": ref and numbers[ref["set_id"]],
        "line": line,
    }  # fmt: skip


@router.get("/history/{session_id}")
def session_page(
    request: Request, viewer: Viewing, session_id: Annotated[str, Path(max_length=64)]
) -> HTMLResponse:
    try:
        result = analyze_stored(deps.read_uow(request), viewer.athlete, session_id)
    except (NotFoundError, ValidationError):
        raise PageNotFoundError("No such session in this log.") from None
    session = result.analysis.session
    doc = session_analysis_to_dict(result.analysis, viewer.athlete.name)
    threshold = float(doc["settings"]["dropoff_threshold_pct"])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for s in doc["sets"]:
        grouped.setdefault(s["exercise"], []).append(s)
    names = {k: (result.exercises[k].name if k in result.exercises else k) for k in grouped}
    blocks = [exercise_block(k, names[k], sets, threshold) for k, sets in grouped.items()]
    numbers = {sid: n for b in blocks for sid, n in b["numbers"].items()}
    flagged = [
        {"name": names[s["exercise"]], "number": numbers[s["set_id"]], "pct": s["dropoff_pct"]}
        for s in doc["sets"]
        if s["flags"]["neural_dropoff"]
    ]
    volume = sum(s.load.kg * s.reps for s in session.sets)
    return render(
        request, "history_session.html", viewer, title=session.name or "Session",
        active="history", sub="sessions", session=session, doc=doc, blocks=blocks,
        names=names, flagged=flagged, threshold=threshold, link=link,
        volume=in_unit(volume, viewer.athlete.default_unit),
        unit=viewer.athlete.default_unit.value, back=link(viewer, "/history"),
    )  # fmt: skip
