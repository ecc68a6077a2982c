"""Imports and exports: another app's history in, the whole log out.

``POST /athletes/{athlete_id}/imports`` takes the export file as the raw body (up to
``max_upload_bytes``: the body-size middleware gives paths ending in ``/imports`` the
upload limit) and reads it as the CLI's ``replog import`` does: the format is told from
the content unless ``format`` names it; ``dry_run`` says what would happen and writes
nothing. Everything is written in one transaction or nothing is; a bad file is a 422
``bad_import`` naming its line and field, never a half-written import.

Importing the same file again adds nothing. Another app's workouts get ids derived from
the athlete, the format and the workout's key in the file
(:mod:`replog.services.importing`), so the second import finds them and skips them.
RepLog's own JSON of this same log puts its sessions back as the file has them (the ids
match; ``sessions.replaced``). RepLog JSON exported from another account is adopted: its
sessions, sets, check-ins and custom exercises get ids of this log's own, derived from
the originals (so a second import finds them), and a workout starting at the very instant
of one already here is taken to be that workout and skipped.

``GET /athletes/{athlete_id}/export`` is a download: ``json`` (everything; imports back
exactly), ``csv`` (one row per rep; imports back), ``sets-csv`` (one row per set, for a
spreadsheet) or ``strong`` (a Strong-style CSV other apps read).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from replog.api import deps
from replog.api.deps import Readable, Writable
from replog.api.schemas_exchange import (
    EXPORT_RESPONSES,
    UPLOAD_BODY,
    ImportOut,
    import_out,
)
from replog.core.errors import ValidationError
from replog.core.model import Athlete
from replog.services.adopting import import_own_bundle
from replog.services.exchange import StoredLog, exercise_names
from replog.services.import_options import import_unit, name_mapping, time_zone

router = APIRouter(tags=["import and export"])

ImportFormat = Literal[
    "auto",
    "replog",
    "strong",
    "hevy",
    "fitnotes",
    "liftosaur",
    "fitbod",
    "gymbook",
    "jefit",
    "fit",
    "openbarbell",
    "velocity-csv",
]  # fmt: skip  (every reader of replog.io.formats: test_api_exchange checks it)
ExportFormat = Literal["json", "reps-csv", "sets-csv", "strong", "csv", "reps", "sets"]
# every name io.exports.EXPORTS and its ALIASES know (test_api_exchange checks it)
Zone = Annotated[
    str | None,
    Query(max_length=64, description="Time zone of the file's times, e.g. Europe/Madrid."),
]


@router.post(
    "/athletes/{athlete_id}/imports",
    response_model=ImportOut,
    openapi_extra=UPLOAD_BODY,
    summary="Import another app's export (or RepLog's own) into the log",
)
async def import_file(
    request: Request,
    ctx: Writable,
    filename: Annotated[
        str, Query(min_length=1, max_length=255, description="The file's name, for messages.")
    ] = "upload",
    format: Annotated[ImportFormat, Query(description="auto: told from the content.")] = "auto",
    dry_run: Annotated[bool, Query(description="Say what would happen; write nothing.")] = False,
    tz: Zone = None,
    map: Annotated[
        list[str] | None,
        Query(
            max_length=100,
            description="File an app's exercise under a RepLog lift: 'Squat (Smith)=back-squat'.",
        ),
    ] = None,
    unit: Annotated[
        Literal["kg", "lb"] | None,
        Query(
            description="The unit of loads the file gives as plain numbers (a Strong export"
            " names none); default: the athlete's unit."
        ),
    ] = None,
    strict: Annotated[
        bool,
        Query(
            description="All or nothing: a row that cannot be read refuses the file (by"
            " default it is left out, listed in rows_rejected, and the rest imports)."
        ),
    ] = False,
) -> ImportOut:
    """Read the file and add its workouts to the log in one transaction; with ``dry_run``,
    only say what would be added (counts, the days covered, names RepLog does not know).
    The same file again adds nothing. A file RepLog cannot read is a 422 ``bad_import``
    naming the line and the field."""
    raw = await request.body()
    return await run_in_threadpool(
        _import, request, ctx.athlete, raw, filename, format, dry_run, tz, map or [], unit,
        strict,
    )  # fmt: skip


def _import(
    request: Request,
    athlete: Athlete,
    data: bytes,
    name: str,
    fmt: str,
    dry_run: bool,
    tz: str | None,
    maps: list[str],
    unit: str | None = None,
    strict: bool = False,
) -> ImportOut:
    from replog.io.formats import read_upload
    from replog.services.importing import import_source

    mapping, zone = name_mapping(maps), time_zone(tz)
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"
    if not data.strip():
        raise ValidationError("the body is empty: send the export file itself", "body")
    upload = read_upload(data, name, fmt, zone)
    if upload.bundle is not None:
        summary = import_own_bundle(
            deps.read_uow(request), deps.uow(request, athlete.id), upload.bundle, athlete,
            name, dry_run=dry_run,
        )  # fmt: skip
        if not dry_run:
            request.app.state.db.refresh_stale_statistics()
        return import_out(summary)
    source = upload.source
    assert source is not None
    summary = import_source(
        deps.uow(request, athlete.id), athlete, source, mapping=mapping, dry_run=dry_run,
        unit=import_unit(unit), strict=strict,
    )  # fmt: skip
    if not dry_run:  # a big import can leave the planner's statistics far behind
        request.app.state.db.refresh_stale_statistics()
    return import_out(summary)


@router.get(
    "/athletes/{athlete_id}/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    summary="Download the whole log as a file",
)
def export(
    request: Request,
    ctx: Readable,
    format: Annotated[
        ExportFormat,
        Query(description="json, reps-csv (alias csv: per rep), sets-csv or strong."),
    ] = "json",
    tz: Zone = None,
) -> Response:
    """The athlete's whole log as an attachment: ``json`` (everything; imports back
    exactly), ``csv`` (one row per rep; imports back), ``sets-csv`` (one row per set) or
    ``strong`` (a Strong-style CSV other apps import; times in ``tz``)."""
    from replog.io.exports import export_kind, stream_export

    kind, zone = export_kind(format), time_zone(tz)
    at = deps.now()
    log = StoredLog(deps.read_uow(request), ctx.athlete)
    names = exercise_names(deps.read_uow(request)) if kind.name != "json" else {}
    # streamed as the sessions are read, page by page: flat memory for any size of log
    pieces = (p.encode("utf-8") for p in stream_export(kind, log, names, at.astimezone(), zone))
    slug = re.sub(r"[^a-z0-9]+", "-", ctx.athlete.name.lower()).strip("-")[:40] or "log"
    filename = f"replog-{slug}-{at.astimezone().date().isoformat()}.{kind.suffix}"
    return StreamingResponse(
        pieces,
        media_type=kind.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
