"""Phone videos of a set (issue 22): ``replog video attach`` and its first frame over HTTP.

``POST /sets/{set_id}/video`` takes the raw video as the body (``Content-Type: video/*``,
no form encoding), spools it to a temporary file (OpenCV reads a path), finds the reps
with :func:`replog.io.video.reps_from_video` and stores them on the set with source
``video`` through the sensor upload's step (:func:`replog.api.routes_sensors.store_reps`),
answering the same document. ``POST /video/preview`` answers the first frame as a JPEG and
the plate found in it, or null, so a page can ask for a tap on the plate. The body may be
as large as ``max_video_bytes`` (the body-size middleware enforces it on these paths); the
temporary file is removed whatever happens.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from replog.api.deps import CallerDep
from replog.api.errors import ApiError, ErrorEnvelope
from replog.api.routes_sensors import Lift, SensorUploadOut, SetId, UpdateReps, store_reps
from replog.core.errors import ValidationError
from replog.core.model import RepSource
from replog.core.signal.types import DetectedRep
from replog.io.video import parse_tap, preview, reps_from_video

router = APIRouter(
    tags=["video"],
    responses={415: {"model": ErrorEnvelope, "description": "The body is not sent as video/*"}},
)

_SUFFIX = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm"}
_VIDEO_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "The video file's bytes as they are (mp4, mov, webm, ...), with its own "
            "Content-Type (video/mp4, video/quicktime, ...): a side view of the bar end-on, "
            "the whole plate in view, 25 fps or more (60 for accurate velocities), at most "
            "5 minutes."
        ),
        "content": {
            "video/*": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}

Plate = Annotated[
    float,
    Query(ge=0.05, le=0.6, description="The filmed plate's diameter in metres (0.45: 20 kg)."),
]
Tap = Annotated[
    str | None,
    Query(
        max_length=64,
        description="X,Y: a point on the plate in the first frame's pixels (the video's own "
        "size), when it is not found.",
    ),
]


async def _spooled(request: Request, folder: str) -> FilePath:
    """The body written to a file in ``folder`` (its bytes never all in memory)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind.startswith("video/"):
        raise ApiError(
            415, "unsupported_media_type",
            f"send the video's bytes with a video/* Content-Type, not {kind or 'none'!r}",
            "body",
        )  # fmt: skip
    path = FilePath(folder) / f"video{_SUFFIX.get(kind, '')}"
    size = 0
    chunks: AsyncIterator[bytes] = request.stream()
    with path.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            out.write(chunk)
    if size == 0:
        raise ValidationError("the body is empty: send the video's bytes", "body")
    return path


class PlateOut(BaseModel):
    x: float = Field(description="The plate's centre, in the video's pixels from the left.")
    y: float = Field(description="The plate's centre, in the video's pixels from the top.")
    r: float = Field(description="The plate's radius in pixels.")


class PreviewOut(BaseModel):
    width: int = Field(description="The video's width in pixels: the scale of x, y and tap.")
    height: int
    fps: float
    plate: PlateOut | None = Field(description="The plate found, or null: ask for a tap.")
    jpeg: str = Field(description="The first frame, a JPEG in base64, at most 960 wide.")


@router.post(
    "/sets/{set_id}/video",
    response_model=SensorUploadOut,
    openapi_extra=_VIDEO_BODY,
    summary="Reps from a side-view video, stored on a logged set",
)
async def upload_video(
    request: Request,
    set_id: SetId,
    who: CallerDep,
    plate_diameter: Plate = 0.45,
    tap: Tap = None,
    exercise: Lift = None,
    update_reps: UpdateReps = False,
) -> SensorUploadOut:
    """Find the reps in a video of a logged set (the plate tracked, scaled by its diameter,
    corrected for tilt and drift) and store them on it with source ``video``, as
    ``replog video attach`` does; answer the set, each rep's MCV, MPV, peak velocity, ROM,
    confidence and flags, and the set's verdict. An unusable video (no plate found, too
    dark, under 25 fps, over 5 minutes, not a video) is a 422 naming what is wrong, and
    nothing is stored; sending the same video again replaces the reps with the same."""
    point = parse_tap(tap)
    with tempfile.TemporaryDirectory(prefix="replog-video-") as folder:
        path = await _spooled(request, folder)

        def measure(lift: str | None) -> tuple[list[DetectedRep], list[str]]:
            run = reps_from_video(
                path, plate_diameter_m=plate_diameter, exercise=exercise or lift, tap=point
            )
            return run.result.reps, run.warnings

        return await run_in_threadpool(
            store_reps, request, who, set_id, measure, RepSource.VIDEO, update_reps
        )


@router.post(
    "/video/preview",
    response_model=PreviewOut,
    openapi_extra=_VIDEO_BODY,
    summary="A video's first frame and the plate found in it",
)
async def preview_video(request: Request, who: CallerDep) -> PreviewOut:
    """Check a video as an upload would (it opens, is bright enough, 25 fps or more, at most
    5 minutes) and answer its first frame and the plate found there, or null: where no
    plate is found, a person taps it and the upload is sent again with ``tap``."""
    del who  # signed in is enough: nothing is read or written
    with tempfile.TemporaryDirectory(prefix="replog-video-") as folder:
        path = await _spooled(request, folder)
        got = await run_in_threadpool(preview, path)
    plate = PlateOut(x=got.plate[0], y=got.plate[1], r=got.plate[2]) if got.plate else None
    return PreviewOut(
        width=got.width,
        height=got.height,
        fps=got.fps,
        plate=plate,
        jpeg=base64.b64encode(got.jpeg).decode("ascii"),
    )
