"""Sensor recordings: upload one for a logged set, and the live stream (``stream.py``).

``POST /sets/{set_id}/sensor`` takes the raw recording as the body (the CSV of DESIGN.md
2.1, ``Content-Type: text/csv``), finds the reps in it, stores them on the set and answers
with the set, the reps (DESIGN.md 2.2), the reader's warnings and the set's live verdict.
The body may be as large as ``max_upload_bytes`` (the body-size middleware enforces it on
paths ending in ``/sensor``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from replog.api import deps, stream
from replog.api.deps import CallerDep, check_access
from replog.api.schemas import SetOut, Verdict, set_out
from replog.api.verdict import live_verdict
from replog.core.errors import NotFoundError, ValidationError
from replog.core.model import RepSource
from replog.core.signal.lifts import lift_for
from replog.core.signal.types import DetectedRep
from replog.io.sensor_detect import detect_reps
from replog.services import sessions
from replog.services.accounts import Access, Caller
from replog.services.sensors import attach_reps

router = APIRouter(tags=["sensors"])
router.include_router(stream.router)

SetId = Annotated[str, Path(max_length=64, description="The logged set's id.")]
Lift = Annotated[
    str | None,
    Query(
        max_length=64,
        description="The lift (squat, bench, deadlift, rdl, press, row, "
        "curl); by default the logged set's exercise when RepLog knows it.",
    ),
]
UpdateReps = Annotated[bool, Query(description="Make the set's rep count the number found.")]

_CSV_EXAMPLE = "t,ax,ay,az,gx,gy,gz\n0.00,0.01,0.02,9.81,0.001,0.000,0.002\n"
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "The recording as CSV text. IMU: header t,ax,ay,az,gx,gy,gz (t in s on the "
            "device clock, acceleration including gravity, angular rate), or a phyphox "
            "export. Position transducer (kind=lpt): t,displacement (m)."
        ),
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


class DetectedRepOut(BaseModel):
    """A rep found in a recording (DESIGN.md 2.2): the concentric phase's bounds on the
    recording's clock (s), velocities (m/s), ROM (m) and durations (s)."""

    index: int
    start: float
    end: float
    mcv: float
    mpv: float
    peak_velocity: float
    rom: float
    concentric_s: float
    eccentric_s: float | None
    eccentric_mean_velocity: float | None
    quality: list[str] = Field(
        description="Flags such as rom_implausible, drift, gap or velocity_unavailable."
    )
    confidence: float = Field(description="How far the numbers can be trusted, 0-1.")


class SensorUploadOut(BaseModel):
    set: SetOut
    reps: list[DetectedRepOut]
    warnings: list[str] = Field(description="What the reader kept but you should know.")
    verdict: Verdict


def rep_doc(index: int, rep: DetectedRep) -> dict[str, Any]:
    """A detected rep as JSON (DESIGN.md 2.2), numbered from 1."""
    return {"index": index, **rep.to_dict()}


def _text(raw: bytes) -> str:
    if not raw.strip():
        raise ValidationError("the body is empty: send the recording as CSV text", "body")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValidationError(f"the body is not UTF-8 text (byte {e.start})", "body") from None
    # the reader takes a one-line string naming a file as a path: never a client's text
    return text if "\n" in text else text + "\n"


Measure = Callable[[str | None], tuple[list[DetectedRep], list[str]]]


def store_reps(
    request: Request, who: Caller, set_id: str, measure: Measure, source: RepSource,
    update_reps: bool,
) -> SensorUploadOut:  # fmt: skip
    """The one upload step of ``/sensor`` and ``/video``: find the set the caller may
    write, ``measure`` the reps with its lift (nothing is written if that fails), check
    their count, store them (:func:`replog.services.sensors.attach_reps`) and answer the
    set, the reps and the set's verdict. Storing replaces the set's reps, so a retry of
    the same upload leaves one set of them."""
    found = sessions.set_of(deps.read_uow(request), set_id)
    if found is None:
        raise NotFoundError("no such set", field="set_id")
    record, athlete_id, _ = found
    ctx = check_access(request, who, athlete_id, Access.WRITE, "set", "set_id")
    reps, warnings = measure(lift_for(record.exercise))
    if reps and len(reps) != record.reps and not update_reps:
        raise ValidationError(
            f"the recording has {len(reps)} reps but the set was logged with {record.reps}; "
            "send update_reps=true to make it "
            f"{len(reps)}",
            field="reps",
        )
    updated = attach_reps(
        deps.uow(request, ctx.athlete.id),
        ctx.athlete,
        set_id,
        reps,
        source,
        update_reps=update_reps,
    )
    again = sessions.set_of(deps.read_uow(request), set_id)
    version = again[2] if again else 1
    verdict = live_verdict(deps.read_uow(request), ctx.athlete, updated.session_id, set_id)
    return SensorUploadOut(
        set=set_out(updated, version),
        reps=[DetectedRepOut(**rep_doc(i, r)) for i, r in enumerate(reps, 1)],
        warnings=warnings,
        verdict=verdict,
    )


def _attach(
    request: Request,
    who: Caller,
    set_id: str,
    raw: bytes,
    kind: str,
    update_reps: bool,
    options: dict[str, Any],
) -> SensorUploadOut:
    asked = options.pop("exercise")

    def measure(lift: str | None) -> tuple[list[DetectedRep], list[str]]:
        found_in = detect_reps(_text(raw), kind, exercise=asked or lift, **options)
        if not found_in.reps:
            why = f" ({found_in.reason})" if found_in.reason else ""
            raise ValidationError(f"no reps found in the recording{why}", field="body")
        return found_in.reps, found_in.warnings

    source = RepSource.LPT if kind == "lpt" else RepSource.IMU
    return store_reps(request, who, set_id, measure, source, update_reps)


@router.post(
    "/sets/{set_id}/sensor",
    response_model=SensorUploadOut,
    openapi_extra=_UPLOAD_BODY,
    summary="Reps from a sensor recording, stored on a logged set",
)
async def upload_recording(
    request: Request,
    set_id: SetId,
    who: CallerDep,
    kind: Annotated[
        Literal["imu", "lpt"], Query(description="imu: t,ax..gz; lpt: t,displacement.")
    ] = "imu",
    format: Annotated[Literal["auto", "replog", "phyphox", "metawear"], Query()] = "auto",
    accel_unit: Annotated[Literal["m/s2", "g"], Query()] = "m/s2",
    gyro_unit: Annotated[Literal["rad/s", "deg/s"], Query()] = "rad/s",
    time_unit: Annotated[Literal["s", "ms"], Query()] = "s",
    displacement_unit: Annotated[Literal["m", "cm", "mm"], Query()] = "m",
    columns: Annotated[
        str | None,
        Query(
            max_length=200,
            description="A headerless CSV's columns, e.g. id,t_ms,ax,ay,az,gx,gy,gz.",
        ),
    ] = None,
    exercise: Lift = None,
    update_reps: UpdateReps = False,
) -> SensorUploadOut:
    """Find the reps in a recording of a logged set and store them on it (MCV, MPV, peak
    velocity, ROM, durations), then return the set's verdict. The number of reps found must
    match the set's unless ``update_reps`` (else 422 naming ``reps``); a bad file is a 422
    naming its line and column."""
    raw = await request.body()
    options: dict[str, Any] = {
        "exercise": exercise,
        "columns": columns,
        "format": format,
        "accel_unit": accel_unit,
        "gyro_unit": gyro_unit,
        "time_unit": time_unit,
        "displacement_unit": displacement_unit,
    }
    return await run_in_threadpool(_attach, request, who, set_id, raw, kind, update_reps, options)


def stream_docs() -> str:
    """The live stream for the API's docs page (``/api/v1/docs``): its module docstring."""
    text = html.escape((stream.__doc__ or "").split("\n", 2)[-1].replace("``", ""))
    return (
        "<h2>sensors: live stream</h2><div class='op'><span class='m WS'>WS</span>"
        "<code>/api/v1/athletes/{athlete_id}/stream</code> — stream a set's sensor samples; "
        f"each rep and the drop-off come back as they happen.<pre>{text}</pre></div>"
    )
