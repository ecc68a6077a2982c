"""Data commands: demo, db."""

from __future__ import annotations

from typing import Annotated

import typer

from replog.cli.context import JSON, print_json, state

db_app = typer.Typer(help="The database: create or migrate it, see where it is.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("info")(db_info)
    app.add_typer(db_app, name="db")


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
    from replog.bootstrap import Database, head_revision, upgrade

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
    from replog.bootstrap import Database, redact

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
    from replog.bootstrap import redact

    return redact(url)
