"""Data commands: export, import, demo, db."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from replog.cli.context import JSON, print_json, state

db_app = typer.Typer(help="The database: create or migrate it, see where it is.")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
    app.command("demo")(demo)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("info")(db_info)
    app.add_typer(db_app, name="db")


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (full fidelity).")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Export your whole log (every athlete, or --athlete) in a format that imports back."""
    from datetime import datetime

    from replog.core.errors import ValidationError
    from replog.io.replog_json import dumps
    from replog.services.exchange import export_bundle

    if fmt.lower() != "json":
        raise ValidationError(f"unknown export format {fmt!r}; use json", field="format")
    bundle = export_bundle(state.uow(), state.settings().athlete)
    text = dumps(bundle, datetime.now().astimezone())
    if output is None:
        sys.stdout.write(text)
        return
    _write_atomically(output, text)
    sets = sum(len(s.sets) for a in bundle.athletes for s in a.sessions)
    typer.echo(f"Wrote {output} ({len(bundle.athletes)} athletes, {sets} sets)", err=True)


def _write_atomically(path: Path, text: str) -> None:
    from replog.core.errors import ValidationError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror}", field="output") from None


def import_(
    file: Annotated[Path, typer.Argument(help="A RepLog JSON export.")],
    as_json: JSON = False,
) -> None:
    """Import a RepLog JSON export. All or nothing; importing it again changes nothing."""
    from replog.core.errors import ImportFormatError, ValidationError
    from replog.io.replog_json import loads
    from replog.services.exchange import import_bundle

    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"no such file: {file}", field="file") from None
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{file} is not UTF-8 text ({exc.reason})", field="file") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {file}: {exc.strerror}", field="file") from None
    try:
        bundle = loads(text)
    except ImportFormatError as exc:
        raise ImportFormatError(f"{file.name}: {exc}") from None
    report = import_bundle(state.uow(), bundle)
    if as_json:
        print_json(
            {
                "athletes": report.athletes,
                "sessions_added": report.sessions_added,
                "sessions_replaced": report.sessions_replaced,
                "sets": report.sets,
                "checkins": report.checkins,
                "exercises": report.exercises,
            }
        )
    else:
        typer.echo(
            f"Imported {report.sessions_added} new sessions, replaced {report.sessions_replaced}"
            f" ({report.sets} sets, {report.checkins} check-ins) for {report.athletes} athletes"
        )


def demo(
    replace: Annotated[
        bool, typer.Option("--replace", help="Regenerate the demo athlete's data.")
    ] = False,
    weeks: Annotated[int, typer.Option(help="How many weeks of training.", min=1, max=52)] = 12,
    as_json: JSON = False,
) -> None:
    """Fill the database with twelve realistic weeks for the athlete 'demo'."""
    from replog.services.demo import load_demo

    report = load_demo(state.uow(), weeks=weeks, replace=replace)
    if as_json:
        print_json(_fields(report))
    elif report.skipped:
        typer.echo(f"The demo athlete '{report.athlete}' already exists (use --replace to redo).")
    else:
        typer.echo(
            f"Created athlete '{report.athlete}': {report.sessions} sessions, {report.sets} sets,"
            f" {report.reps} reps with velocity, {report.checkins} check-ins."
        )


def _fields(obj: object) -> dict[str, object]:
    from dataclasses import asdict, is_dataclass

    return asdict(obj) if is_dataclass(obj) and not isinstance(obj, type) else {}


def db_upgrade() -> None:
    """Create the database or migrate it to this version's schema."""
    from replog.storage.database import Database
    from replog.storage.migrate import head_revision, upgrade

    db = Database(state.settings().database_url)
    before = db.current_revision()
    upgrade(db)
    after = db.current_revision()
    if before == after:
        typer.echo(f"Already at schema {after} ({_where(db.url)})")
    else:
        typer.echo(f"Upgraded {_where(db.url)} from {before or 'empty'} to {after}")
    assert after == head_revision()


def db_info(as_json: JSON = False) -> None:
    """Where the database is, its schema version and what it holds."""
    from replog.storage.database import Database, redact

    db = Database(state.settings().database_url)
    uow = state.uow()
    with uow:
        counts = {a.name: uow.sets.count(a.id) for a in uow.athletes.list()}
    info = {"url": redact(db.url), "revision": db.current_revision(), "sets_by_athlete": counts}
    if as_json:
        print_json(info)
    else:
        typer.echo(f"{info['url']} · schema {info['revision']}")
        for name, n in counts.items():
            typer.echo(f"  {name}: {n} sets")


def _where(url: str) -> str:
    from replog.storage.database import redact

    return redact(url)
