"""The training log: sessions, sets (with their live verdict) and reps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from replog.api import deps
from replog.api.deps import AthleteAccess, CallerDep, Readable, Writable, check_access
from replog.api.schemas import (
    LoggedSetOut,
    RepOut,
    RepsIn,
    SessionIn,
    SessionOut,
    SessionPatch,
    SessionSummaryOut,
    SetIn,
    SetOut,
    SetPatch,
    rep_out,
    session_out,
    set_out,
)
from replog.api.verdict import logged_set_out
from replog.core.analysis_doc import session_analysis_to_dict
from replog.core.entry import SetEntry
from replog.core.errors import NotFoundError
from replog.core.model import Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.services import editing, sessions
from replog.services import log_set as set_logging
from replog.services.accounts import Access, Caller
from replog.services.analytics import analyze_stored
from replog.services.queries import list_sessions
from replog.services.training import SetDetails

router = APIRouter(tags=["log"])

SessionId = Annotated[str, Path(max_length=64)]
SetId = Annotated[str, Path(max_length=64)]
Version = Annotated[int | None, Query(ge=1, description="Refuse the delete if it changed.")]


def _canonical(client_id: str | None) -> str | None:
    return None if client_id is None else str(uuid.UUID(client_id))


def _load(value: object, unit: str | None, athlete_unit: Unit) -> Load | None:
    if value is None:
        return None
    return Load(value, Unit(unit) if unit else athlete_unit)  # type: ignore[arg-type]


def _session(
    request: Request, who: Caller, session_id: str, need: Access
) -> tuple[AthleteAccess, Session]:
    found = sessions.session_of(deps.read_uow(request), session_id)
    if found is None:
        raise NotFoundError("no such session", field="session_id")
    ctx = check_access(request, who, found.athlete_id, need, "session", "session_id")
    return ctx, found


def _set(
    request: Request, who: Caller, set_id: str, need: Access
) -> tuple[AthleteAccess, SetRecord, int]:
    found = sessions.set_of(deps.read_uow(request), set_id)
    if found is None:
        raise NotFoundError("no such set", field="set_id")
    record, athlete_id, version = found
    ctx = check_access(request, who, athlete_id, need, "set", "set_id")
    return ctx, record, version


@router.post(
    "/athletes/{athlete_id}/sets",
    status_code=201,
    response_model=LoggedSetOut,
    responses={200: {"model": LoggedSetOut, "description": "A retry: the set logged before"}},
)
async def log_set(
    request: Request,
    body: SetIn,
    athlete_id: deps.AthleteId,
    creds: deps.Creds,
    session: deps.Cookie,
) -> Response:
    """Log one set and get its verdict at once: drop-off against the session's reference
    set, velocity loss, grinding, intent, and the recommendations it triggers.

    Send your own ``id`` (a UUID): a retry with the same id logs nothing twice and returns
    the original with status 200 and ``replayed: true``."""
    # The API's busiest path makes one trip through the thread pool, not three: the access
    # check (a Writable dependency elsewhere), the write and the reply's encoding all go in
    # one (a reply returned as a model would be validated again in another).
    return await run_in_threadpool(_log_set, request, body, athlete_id, creds, session)


def _log_set(
    request: Request,
    body: SetIn,
    athlete_id: str,
    creds: HTTPAuthorizationCredentials | None,
    session: str | None,
) -> Response:
    ctx = deps.athlete_access(request, athlete_id, creds, session, Access.WRITE)
    athlete = ctx.athlete
    entry = SetEntry(
        body.exercise, _load(body.load, body.unit, athlete.default_unit), body.reps, 1,
        body.rpe, body.rir,
    )  # fmt: skip
    details = SetDetails(
        kind=SetKind(body.kind),
        velocities=tuple(body.velocities),
        rest_s=body.rest_s,
        tags=tuple(body.tags),
        notes=body.notes,
        session_id=body.session_id,
        set_id=_canonical(body.id),
    )
    done = set_logging.log_set(
        deps.uow(request, athlete.id), athlete, entry, details, now=body.performed_at or deps.now()
    )
    reply = logged_set_out(done)
    return Response(
        reply.model_dump_json(),
        status_code=200 if reply.replayed else 201,
        media_type="application/json",
    )


@router.get("/athletes/{athlete_id}/sessions", response_model=list[SessionSummaryOut])
def list_athlete_sessions(
    request: Request, ctx: Readable, limit: Annotated[int, Query(ge=1, le=500)] = 20
) -> list[SessionSummaryOut]:
    """The newest sessions first."""
    _, rows, _ = list_sessions(deps.read_uow(request), ctx.athlete, limit)
    return [
        SessionSummaryOut(
            id=r.id,
            started_at=r.started_at,
            ended_at=r.ended_at,
            name=r.name,
            set_count=r.set_count,
            rep_count=r.rep_count,
            volume_kg=round(r.volume_kg, 3),
            exercises=list(r.exercises),
        )
        for r in rows
    ]


@router.post(
    "/athletes/{athlete_id}/sessions",
    status_code=201,
    response_model=SessionOut,
    responses={200: {"model": SessionOut, "description": "A retry: the session made before"}},
)
def start_session(
    request: Request, response: Response, body: SessionIn, ctx: Writable
) -> SessionOut:
    """Open a session (sets logged without a session go to today's open one)."""
    doc, created = sessions.start_session(
        deps.uow(request, ctx.athlete.id), ctx.athlete.id, session_id=_canonical(body.id),
        started_at=body.started_at or deps.now(), name=body.name, notes=body.notes,
    )  # fmt: skip
    if not created:
        response.status_code = 200
        doc = sessions.session_doc(deps.read_uow(request), ctx.athlete.id, doc.session.id)
    return session_out(doc.session, doc.version, doc.set_versions)


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(request: Request, session_id: SessionId, who: CallerDep) -> SessionOut:
    ctx, _ = _session(request, who, session_id, Access.READ)
    doc = sessions.session_doc(deps.read_uow(request), ctx.athlete.id, session_id)
    return session_out(doc.session, doc.version, doc.set_versions)


@router.patch("/sessions/{session_id}", response_model=SessionOut)
def edit_session(
    request: Request, session_id: SessionId, body: SessionPatch, who: CallerDep
) -> SessionOut:
    """Rename, annotate or end a session; ``version`` must be the one you read (else 409)."""
    ctx, _ = _session(request, who, session_id, Access.WRITE)
    editing.edit_session(
        deps.uow(request, ctx.athlete.id), ctx.athlete.id, session_id, body.version,
        name=body.name, notes=body.notes, ended_at=body.ended_at,
    )  # fmt: skip
    doc = sessions.session_doc(deps.read_uow(request), ctx.athlete.id, session_id)
    return session_out(doc.session, doc.version, doc.set_versions)


@router.delete("/sessions/{session_id}", status_code=204, response_class=Response)
def delete_session(
    request: Request, session_id: SessionId, who: CallerDep, version: Version = None
) -> Response:
    ctx, _ = _session(request, who, session_id, Access.WRITE)
    editing.delete_session(deps.uow(request, ctx.athlete.id), ctx.athlete.id, session_id, version)
    return Response(status_code=204)


@router.get("/sessions/{session_id}/analysis", response_model=dict[str, object])
def session_analysis(request: Request, session_id: SessionId, who: CallerDep) -> dict[str, object]:
    """The session's analysis document (DESIGN.md 2.3): per-set velocity, drop-off and
    flags, and the session's recommendations."""
    ctx, _ = _session(request, who, session_id, Access.READ)
    result = analyze_stored(deps.read_uow(request), ctx.athlete, session_id)
    return session_analysis_to_dict(result.analysis, ctx.athlete.name)


@router.get("/sets/{set_id}", response_model=SetOut)
def get_set(request: Request, set_id: SetId, who: CallerDep) -> SetOut:
    _, record, version = _set(request, who, set_id, Access.READ)
    return set_out(record, version)


@router.patch("/sets/{set_id}", response_model=SetOut)
def edit_set(request: Request, set_id: SetId, body: SetPatch, who: CallerDep) -> SetOut:
    """Change a set; give the ``version`` you read. Fields sent as null are cleared
    (rpe, rir, rest_s); fields left out are kept."""
    ctx, record, _ = _set(request, who, set_id, Access.WRITE)
    given = body.model_fields_set
    clear = frozenset(
        f for f in ("rpe", "rir", "rest_s") if f in given and getattr(body, f) is None
    )
    load = None
    if body.load is not None or body.unit is not None:
        value = body.load if body.load is not None else record.load.value
        load = _load(value, body.unit or record.load.unit.value, ctx.athlete.default_unit)
    changes = editing.SetChanges(
        exercise=body.exercise,
        load=load,
        reps=body.reps,
        rpe=body.rpe,
        rir=body.rir,
        kind=SetKind(body.kind) if body.kind else None,
        rest_s=body.rest_s,
        notes=body.notes,
        tags=None if body.tags is None else tuple(body.tags),
        velocities=None if body.velocities is None else tuple(body.velocities),
        clear=clear,
    )
    updated, version = editing.edit_set(
        deps.uow(request, ctx.athlete.id), ctx.athlete.id, set_id, body.version, changes
    )
    return set_out(updated, version)


@router.delete("/sets/{set_id}", status_code=204, response_class=Response)
def delete_set(
    request: Request, set_id: SetId, who: CallerDep, version: Version = None
) -> Response:
    ctx, _, _ = _set(request, who, set_id, Access.WRITE)
    editing.delete_set(deps.uow(request, ctx.athlete.id), ctx.athlete.id, set_id, version)
    return Response(status_code=204)


@router.get("/sets/{set_id}/reps", response_model=list[RepOut])
def get_reps(request: Request, set_id: SetId, who: CallerDep) -> list[RepOut]:
    _, record, _ = _set(request, who, set_id, Access.READ)
    return [rep_out(r) for r in record.rep_data]


@router.put("/sets/{set_id}/reps", response_model=SetOut)
def put_reps(request: Request, set_id: SetId, body: RepsIn, who: CallerDep) -> SetOut:
    """Replace a set's reps (typed or from a device). Their number must match the set's
    reps unless ``update_reps`` makes the set take it."""
    ctx, record, _ = _set(request, who, set_id, Access.WRITE)
    reps = tuple(
        Rep(
            i + 1,
            mcv=r.mcv,
            mpv=r.mpv,
            peak_velocity=r.peak_velocity,
            rom=r.rom,
            concentric_s=r.concentric_s,
            eccentric_s=r.eccentric_s,
            source=RepSource.DEVICE,
        )
        for i, r in enumerate(body.reps)
    )
    if len(reps) != record.reps and not body.update_reps:
        from replog.core.errors import ValidationError

        raise ValidationError(
            f"{len(reps)} reps given but the set has {record.reps}; "
            "send update_reps: true to change its count",
            field="reps",
        )
    changes = editing.SetChanges(rep_data=reps, reps=len(reps) if body.update_reps else None)
    updated, version = editing.edit_set(
        deps.uow(request, ctx.athlete.id), ctx.athlete.id, set_id, body.version, changes
    )
    return set_out(updated, version)
