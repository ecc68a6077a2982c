"""Bringing history in and taking it out: `replog import` and `replog export`."""

from __future__ import annotations

import copy
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import JSON, print_json, state
from replog.cli.format import plural

if TYPE_CHECKING:
    from replog.services.importing import ImportSummary


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)


def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="json (everything; imports back exactly), sets-csv, reps-csv, or strong"
            " (a Strong-style CSV other apps import).",
        ),
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Zone of the strong format's times (default: this machine's)."),
    ] = None,
) -> None:
    """Export your whole log (every athlete, or --athlete)."""
    from datetime import datetime

    from replog.io.exports import export_kind, stream_export
    from replog.services.exchange import StoredLog, exercise_names
    from replog.services.import_options import time_zone

    kind, zone = export_kind(fmt), time_zone(tz)  # options first: fail fast
    uow = state.uow()
    log = StoredLog(uow, state.lifter() if state.athlete_name else None)
    names = exercise_names(uow) if kind.name != "json" else {}
    pieces = stream_export(kind, log, names, datetime.now().astimezone(), zone)
    if output is None:
        for piece in pieces:
            sys.stdout.write(piece)
        return
    _write_atomically(output, pieces)
    with uow:
        sets = sum(uow.sets.count(d.athlete.id) for d in log.heads)
    typer.echo(f"Wrote {output} ({plural(len(log.heads), 'athlete')}, {sets} sets)", err=True)


def _write_atomically(path: Path, pieces: Iterable[str]) -> None:
    from replog.core.errors import ValidationError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for piece in pieces:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror}", field="output") from None


def import_(
    file: Annotated[Path, typer.Argument(help="The export file of RepLog or another app.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto (tell from the content), replog, strong, hevy, fitnotes, liftosaur,"
            " fitbod, gymbook, jefit, fit, openbarbell or velocity-csv.",
        ),
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be imported; write nothing.")
    ] = False,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='File an app\'s exercise under a RepLog lift: --map "Squat (Smith)=back-squat".'
            " Repeat for more.",
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Time zone of the file's times (default: this machine's)."),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="kg or lb: the unit of loads the file gives as plain numbers (a Strong"
            " export names none; default: your unit, `replog athlete --unit`).",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="All or nothing: a row that cannot be read refuses the whole file (by"
            " default it is left out, listed, and the rest imports).",
        ),
    ] = False,
    as_json: JSON = False,
) -> None:
    """Import another app's export (or RepLog's own) into your log, in one transaction.

    A row that cannot be read is left out and listed (--strict refuses the file instead).
    Importing the same file again adds nothing; a newer export adds only new workouts.
    """
    from replog.core.errors import ReplogError
    from replog.io.formats import read_upload
    from replog.services.import_options import import_unit, name_mapping, time_zone

    mapping, zone = name_mapping(maps or [], "--map"), time_zone(tz)  # options first: fail fast
    plain_unit = import_unit(unit, "--unit")
    data = _read_bytes(file)
    try:
        upload = read_upload(data, file.name, fmt.lower(), zone)
        if upload.bundle is not None:
            doc = _import_replog(upload.bundle, file, dry_run)
        else:
            doc = _import_other(upload.source, mapping, dry_run, plain_unit, strict)
    except ReplogError as exc:
        raise _in_file(exc, file.name) from None
    if not dry_run:  # a big import can leave the planner's statistics far behind
        state.uow().db.refresh_stale_statistics()
    if as_json:
        print_json(doc)
    else:
        _print_summary(doc)


def _read_bytes(file: Path) -> bytes:
    from replog.core.errors import ValidationError

    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"no such file: {file}", field="file") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {file}: {exc.strerror}", field="file") from None


def _in_file(exc: Any, name: str) -> Any:
    """The error reworded to start with the file, then the line and column it is about."""
    message = exc.message.removeprefix(f"{name}: ")
    where = [f"line {exc.line}"] if exc.line is not None else []
    where += [exc.field] if exc.field else []
    err = copy.copy(exc)
    err.message = f"{', '.join([name, *where])}: {message}"
    err.line, err.field = None, None
    Exception.__init__(err, err.message)
    return err


def _import_replog(bundle: Any, file: Path, dry_run: bool) -> dict[str, Any]:
    """RepLog's own JSON, reported in the same shape as the other formats."""
    from replog.services.exchange import import_bundle
    from replog.services.importing import ImportSummary

    report = import_bundle(state.uow(), bundle, dry_run=dry_run)
    sessions = [s for a in bundle.athletes for s in a.sessions]
    days = [s.started_at.date() for s in sessions]
    summary = ImportSummary(
        "replog",
        file.name,
        ", ".join(a.athlete.name for a in bundle.athletes),
        dry_run,
        sessions_created=report.sessions_added,
        sessions_replaced=report.sessions_replaced,
        sets_created=report.sets,
        volume_kg=sum(x.load.kg * x.reps for s in sessions for x in s.sets),
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        exercises_created=report.exercises,
        checkins=report.checkins,
        warnings=report.warnings,
    )
    return _summary_doc(summary)


def _import_other(
    source: Any, mapping: dict[str, str], dry_run: bool, unit: Any, strict: bool
) -> dict[str, Any]:
    from replog.services.importing import import_source

    athlete, new = state.lifter_or_new()
    summary = import_source(
        state.uow(), athlete, source, mapping=mapping, dry_run=dry_run, unit=unit,
        strict=strict, new_athlete=new,
    )  # fmt: skip
    return _summary_doc(summary)


def _summary_doc(s: ImportSummary) -> dict[str, Any]:
    from replog.services.import_report import summary_doc

    return summary_doc(s)


def _print_summary(doc: dict[str, Any]) -> None:
    from replog.io.formats import describe

    sessions, sets = doc["sessions"], doc["sets"]
    total_sessions = sessions["created"] + sessions["skipped"] + sessions["replaced"]
    total_sets = sets["created"] + sets["skipped"]
    span = f", {doc['first_day']} to {doc['last_day']}" if doc["first_day"] else ""
    typer.echo(
        f"{doc['file']}: {describe(doc['format'])}, {plural(total_sets, 'set')}"
        f" in {plural(total_sessions, 'workout')}{span} (athlete {doc['athlete']})"
    )
    verb = "Would create" if doc["dry_run"] else "Created"
    volume = f", {doc['volume_kg']:,.0f} kg lifted" if doc.get("volume_kg") else ""
    typer.echo(
        f"  {verb} {plural(sessions['created'], 'session')},"
        f" {plural(sets['created'], 'set')}{volume}"
    )
    if doc.get("unit_note"):
        typer.echo(f"  Units: {doc['unit_note']}")
    if sessions["replaced"]:
        typer.echo(f"  Replaced {plural(sessions['replaced'], 'session')} with the file's copy")
    if sessions["skipped"]:
        typer.echo(
            f"  Already imported: {plural(sessions['skipped'], 'session')}"
            f" ({plural(sets['skipped'], 'set')}), left as they are"
        )
    if doc["rows_skipped"]:
        reasons = ", ".join(f"{r}: {n}" for r, n in doc.get("skipped_reasons", {}).items())
        typer.echo(f"  Passed over {plural(doc['rows_skipped'], 'row')} ({reasons})")
    _print_rejected(doc)
    _print_unmapped(doc)
    for w in doc["warnings"][:10]:
        typer.echo(f"  note: {w}")
    if doc["dry_run"]:
        typer.echo("Dry run: nothing was written.")


def _print_rejected(doc: dict[str, Any]) -> None:
    rejected = doc.get("rows_rejected") or []
    if not rejected:
        return
    typer.echo(
        f"  Left out {plural(len(rejected), 'row')} that cannot be read (their workouts come"
        " in without them; --strict refuses the whole file instead):"
    )
    for r in rejected[:10]:
        where = f"line {r['line']}" + (f", {r['column']}" if r["column"] else "")
        value = f" {r['value']!r}:" if r["value"] else ""
        typer.echo(f"    {where}:{value} {r['reason']}")
    if len(rejected) > 10:
        typer.echo(f"    ... and {len(rejected) - 10} more (--json lists them all)")


def _print_unmapped(doc: dict[str, Any]) -> None:
    unmapped = doc["unmapped"]
    if not unmapped:
        return
    typer.echo(
        f"  Not in RepLog's catalogue: {plural(len(unmapped), 'exercise')}"
        f" ({plural(doc['sets']['unmapped'], 'set')}), kept as your own exercises:"
    )
    for u in unmapped[:15]:
        near = f"  (nearest: {', '.join(u['suggestions'])})" if u["suggestions"] else ""
        typer.echo(f"    {u['name']}: {plural(u['sets'], 'set')} -> {u['filed_as']}{near}")
    if len(unmapped) > 15:
        typer.echo(f"    ... and {len(unmapped) - 15} more (--json lists them all)")
    example = next((u for u in unmapped if u["suggestions"]), unmapped[0])
    target = example["suggestions"][0] if example["suggestions"] else "back-squat"
    typer.echo(
        "  To file one under a RepLog lift instead, import with"
        f' --map "{example["name"]}={target}" (before the first import: try --dry-run).'
    )
