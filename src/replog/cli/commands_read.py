"""Reading commands: sessions, show, history, exercises. Each takes --json."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import JSON, console, print_json, state
from replog.cli.format import compact_sets, effort_text, load_text, mass_text, plural, when

if TYPE_CHECKING:
    from replog.core.records import Record


def register(app: typer.Typer) -> None:
    app.command("sessions")(sessions)
    app.command("show")(show)
    app.command("history")(history)
    exercises_app = typer.Typer(
        help="The exercise catalogue: list it, or add your own.", invoke_without_command=True
    )
    exercises_app.callback()(exercises)
    exercises_app.command("add")(exercise_add)
    app.add_typer(exercises_app, name="exercises")


def sessions(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many, newest first.")] = 20,
    as_json: JSON = False,
) -> None:
    """List your sessions, newest first."""
    from rich.table import Table

    from replog.services.queries import list_sessions

    athlete, rows, names = list_sessions(state.uow(), state.lifter(), limit)
    if as_json:
        print_json(
            {
                "athlete": athlete.name,
                "sessions": [
                    {
                        "id": r.id,
                        "started_at": r.started_at.isoformat(),
                        "ended_at": r.ended_at.isoformat() if r.ended_at else None,
                        "name": r.name,
                        "sets": r.set_count,
                        "reps": r.rep_count,
                        "volume_kg": round(r.volume_kg, 3),
                        "exercises": list(r.exercises),
                    }
                    for r in rows
                ],
            }
        )
        return
    table = Table(title=f"Sessions of {athlete.name}", title_justify="left")
    for col, justify in (
        ("id", "left"),
        ("when", "left"),
        ("sets", "right"),
        ("volume", "right"),
        ("exercises", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(
            r.id[:13],
            when(r.started_at),
            str(r.set_count),
            f"{r.volume_kg:,.0f} kg",
            ", ".join(names.get(k, k) for k in r.exercises),
        )
    console().print(table)


def show(
    session: Annotated[
        str, typer.Argument(help="Session id (or its first characters), 'last' or YYYY-MM-DD.")
    ] = "last",
    as_json: JSON = False,
) -> None:
    """Show one session set by set, with each rep's velocity."""
    from rich.table import Table

    from replog.core.set_doc import session_doc
    from replog.services.queries import get_session

    view = get_session(state.uow(), state.lifter(), session)
    s = view.session
    if as_json:
        print_json(
            {
                "athlete": view.athlete.name,
                "session": session_doc(s),
                "exercises": {k: e.name for k, e in view.exercises.items()},
            }
        )
        return
    out = console()
    duration = ""
    if s.sets:
        last = max(x.performed_at for x in s.sets)
        end = s.ended_at or last
        duration = f" · {max(0, (end - s.started_at).total_seconds()) / 60:.0f} min"
    out.print(f"[bold]Session {when(s.started_at)}[/bold] · {s.id}{duration}")
    if s.notes:
        out.print(s.notes)
    if not s.sets:
        out.print("No sets yet.")
        return
    from itertools import groupby

    from rich import box

    has_notes = any(x.notes or x.tags for x in s.sets)
    for key, block in groupby(s.sets, key=lambda x: x.exercise):
        ex = view.exercises.get(key)
        table = Table(
            title=f"[bold]{ex.name if ex else key}[/bold]",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            header_style="dim",
            pad_edge=False,
        )
        columns = ["#", "set", "kind", "velocity m/s"] + (["notes"] if has_notes else [])
        for col in columns:
            table.add_column(col, no_wrap=col != "notes")
        for x in block:
            row = [
                str(x.position),
                f"{load_text(x)} x {x.reps} {effort_text(x)}".rstrip(),
                "" if x.kind.value == "working" else x.kind.value,
                " ".join(f"{v:.2f}" for v in x.velocities),
            ]
            if has_notes:
                row.append("; ".join(filter(None, [x.notes, ", ".join(x.tags)])))
            table.add_row(*row)
        out.print(table)


def _record_json(r: Record | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "kind": r.kind,
        "value": round(r.value, 3),
        "reps": r.set.reps,
        "load": r.set.load_value,
        "unit": r.set.unit,
        "load_kg": r.set.load_kg,
        "set_id": r.set.set_id,
        "date": r.at.astimezone().date().isoformat(),
    }


def history(
    exercise: Annotated[list[str], typer.Argument(help="Exercise name or alias.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Sessions to list.")] = 10,
    show_all: Annotated[bool, typer.Option("--all", help="List every session.")] = False,
    as_json: JSON = False,
) -> None:
    """An exercise over time: its e1RM today and on each day, sets by session, records."""
    from replog.core.e1rm import EPLEY_KINDS, PROFILE, epley_rir
    from replog.core.set_doc import set_doc
    from replog.services.e1rm import e1rm_doc, lift_e1rm
    from replog.services.queries import exercise_history

    h = exercise_history(
        state.uow(), state.lifter(), " ".join(exercise), None if show_all else limit
    )
    days = [g.started_at.astimezone().date() for g in h.sessions]
    found = lift_e1rm(state.uow(), state.lifter(), h.exercise.key, since=min(days, default=None),
                      every_day=show_all)  # fmt: skip
    on_day = dict(found.lift.series(days))
    rec = h.records
    if as_json:
        print_json(
            {
                "athlete": h.athlete.name,
                "exercise": {"key": h.exercise.key, "name": h.exercise.name},
                "total_sessions": h.total_sessions,
                "total_sets": h.total_sets,
                "e1rm": e1rm_doc(found.estimate),
                "records": {
                    "heaviest": _record_json(rec.heaviest),
                    "volume": _record_json(rec.volume),
                    "rep_maxes": [_record_json(rec.rep_maxes[k]) for k in sorted(rec.rep_maxes)],
                    "e1rm": _record_json(rec.e1rm),
                },
                "sessions": [
                    {
                        "id": g.session_id,
                        "started_at": g.started_at.isoformat(),
                        "e1rm": e1rm_doc(on_day.get(g.started_at.astimezone().date())),
                        "sets": [
                            {**set_doc(x), "records": rec.events.get(x.id, [])} for x in g.sets
                        ],
                    }
                    for g in h.sessions
                ],
            }
        )
        return
    from rich.table import Table

    out = console()
    out.print(
        f"[bold]{h.exercise.name}[/bold] · {plural(h.total_sets, 'set')} in "
        f"{plural(h.total_sessions, 'session')}"
    )
    unit = h.athlete.default_unit.value
    today = found.estimate
    if today is not None:
        head = f"e1RM today [bold]{mass_text(today.value_kg, unit)}[/bold] · {today.method}"
        out.print(head, soft_wrap=True)
        out.print(f"  from {today.basis}")
    elif h.sessions:
        out.print("no e1RM today: no profile good enough and no working sets in 6 weeks")
    if not h.sessions:
        return
    table = Table(show_header=True, header_style="bold")
    for col in ("date", "sets", "best set", "e1RM that day"):
        table.add_column(col)
    for g in h.sessions:
        work = [x for x in g.sets if x.reps > 0 and x.kind in EPLEY_KINDS]
        best = max(work, key=lambda x: epley_rir(x.load.kg, x.reps, x.effective_rpe), default=None)
        e = on_day.get(g.started_at.astimezone().date())
        how = "" if e is None else (" profile" if e.source == PROFILE else " Epley+RIR")
        table.add_row(
            when(g.started_at)[:14],
            compact_sets(g.sets, set(rec.events)),
            f"{load_text(best)} x {best.reps} {effort_text(best)}".rstrip() if best else "",
            mass_text(e.value_kg, unit) + how if e is not None else "",
        )
    out.print(table)
    out.print(
        "* a personal record when it was lifted; e1RM that day: the same rule as today's "
        "(profile: your load-velocity profile of the 8 weeks up to that day; Epley+RIR: your "
        "best working set of the 6 weeks up to it)"
    )
    recs = Table(title="Personal records", title_justify="left", header_style="bold")
    for col in ("record", "value", "set", "date"):
        recs.add_column(col)
    for r in rec.all():
        name = {"heaviest": "heaviest", "volume": "best set volume",
                "e1rm": "best set e1RM"}.get(r.kind, f"{r.reps}RM")  # fmt: skip
        value = mass_text(r.value, r.set.unit) + (" x reps" if r.kind == "volume" else "")
        recs.add_row(
            name,
            value,
            f"{r.set.load_value} {r.set.unit} x {r.set.reps}",
            r.at.astimezone().date().isoformat(),
        )
    out.print(recs)


def exercises(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Filter by name.")] = None,
    as_json: JSON = False,
) -> None:
    """List the exercise catalogue (most logged first) with aliases and velocity defaults."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from replog.core.exercises import normalise_name
    from replog.services.queries import list_exercises

    entries = list_exercises(state.uow(), state.lifter_if_any())
    if search:
        needle = normalise_name(search)
        entries = [e for e in entries if any(needle in normalise_name(n) for n in e.exercise.names)]
    if as_json:
        print_json(
            [
                {
                    "key": e.exercise.key,
                    "name": e.exercise.name,
                    "equipment": e.exercise.equipment.value,
                    "pattern": e.exercise.pattern.value,
                    "aliases": list(e.exercise.aliases),
                    "mvt": e.exercise.mvt,
                    "concentric_first": e.exercise.concentric_first,
                    "custom": e.exercise.custom,
                    "sets_logged": e.sets_logged,
                }
                for e in entries
            ]
        )
        return
    from rich import box

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("name", max_width=24)
    for col in ("equipment", "pattern", "v@1RM", "sets"):
        table.add_column(col, no_wrap=True)
    table.add_column("also called", min_width=24)
    for e in entries:
        x = e.exercise
        table.add_row(
            x.name + (" (custom)" if x.custom else ""),
            x.equipment.value,
            x.pattern.value.replace("_", " "),
            f"{x.mvt:.2f}" if x.mvt else "",
            str(e.sets_logged or ""),
            ", ".join(x.aliases[:3]),
        )
    console().print(table)


def exercise_add(
    name: Annotated[str, typer.Argument(help="The exercise's name.")],
    equipment: Annotated[
        str, typer.Option(help="barbell, dumbbell, machine, cable, ...")
    ] = "other",
    pattern: Annotated[str, typer.Option(help="squat, hinge, horizontal_push, ...")] = "other",
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Repeatable.")] = None,
    mvt: Annotated[float | None, typer.Option(help="Velocity at 1RM, m/s.")] = None,
    as_json: JSON = False,
) -> None:
    """Add your own exercise to the catalogue."""
    from replog.core.errors import ValidationError
    from replog.core.exercises import Equipment, Pattern
    from replog.services.catalogue import add_exercise

    try:
        eq, pat = Equipment(equipment.lower()), Pattern(pattern.lower())
    except ValueError as exc:
        raise ValidationError(str(exc), field="equipment/pattern") from None
    athlete, new = state.lifter_or_new()
    ex = add_exercise(
        state.uow(),
        athlete,
        name,
        new_athlete=new,
        equipment=eq,
        pattern=pat,
        aliases=tuple(alias or ()),
        mvt=mvt,
    )
    if as_json:
        print_json({"key": ex.key, "name": ex.name})
    else:
        typer.echo(f"Added {ex.name} ({ex.key})")
