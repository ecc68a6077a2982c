"""Writing commands: log, undo, end, athlete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import print_json, state
from replog.cli.format import set_line

if TYPE_CHECKING:
    from replog.services.log_set import LoggedSets


def register(app: typer.Typer) -> None:
    app.command("log", context_settings={"ignore_unknown_options": True})(log)
    app.command("undo")(undo)
    app.command("end")(end)
    app.command("athlete")(athlete)


def _velocities(text: str | None) -> tuple[float, ...]:
    from replog.core.errors import ValidationError

    if not text:
        return ()
    out: list[float] = []
    for i, part in enumerate(p for p in text.replace(" ", ",").split(",") if p):
        try:
            out.append(float(part))
        except ValueError:
            raise ValidationError(
                f"velocity {i + 1} is {part!r}; expected m/s like 0.61,0.60,0.58",
                field="velocities",
            ) from None
    return tuple(out)


def log(
    words: Annotated[list[str], typer.Argument(help="The set as you'd say it: squat 200lb x5 @8")],
    v: Annotated[
        str | None,
        typer.Option("--v", "--velocities", help="Per-rep mean velocity, m/s: 0.61,0.60,0.58"),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="warmup, primer, working, backoff, drop, failure or amrap.",
        ),
    ] = "working",
    rir: Annotated[
        float | None, typer.Option("--rir", help="Reps in reserve (instead of @RPE).")
    ] = None,
    rest: Annotated[
        int | None, typer.Option("--rest", help="Rest before this set, seconds.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="A cue or routine used; repeatable.")
    ] = None,
    note: Annotated[str, typer.Option("--note", "-n", help="A note on the set.")] = "",
    session: Annotated[
        str | None, typer.Option("--session", help="Log into this session id, not today's.")
    ] = None,
    set_id: Annotated[
        str | None, typer.Option("--id", help="Client-made set id (UUID): retries are safe.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the logged sets as JSON.")] = False,
) -> None:
    """Record a set: `replog log squat 200lb x5 @8 --v 0.61,0.60,0.58,0.57,0.55`.

    The exercise is its name or an alias; a bare load takes your default unit; `3x5` after
    the load logs three sets of five; `@8` is RPE, `rir2` reps in reserve. Today's session is
    opened automatically.
    """
    from replog.core.errors import ValidationError
    from replog.core.ids import parse_id
    from replog.core.model import SetKind
    from replog.core.records import describe
    from replog.services.athletes import athlete_or_new
    from replog.services.log_set import log_set
    from replog.services.training import SetDetails

    try:
        set_kind = SetKind(kind.lower().replace("-", ""))
    except ValueError:
        choices = ", ".join(k.value for k in SetKind)
        raise ValidationError(f"unknown set kind {kind!r}; one of {choices}", "kind") from None
    details = SetDetails(
        kind=set_kind,
        velocities=_velocities(v),
        rest_s=rest,
        tags=tuple(tag or ()),
        notes=note,
        session_id=session,
        set_id=parse_id(set_id, "id") if set_id else None,
        rir=rir,
    )
    athlete, new = athlete_or_new(state.uow(), state.athlete_name)
    done = log_set(state.uow(), athlete, list(words), details, new_athlete=new)
    logged = done.logged
    feedback = _feedback(done) if not logged.already_logged else None
    if as_json:
        from replog.core.set_doc import set_doc

        print_json(
            {
                "session_id": logged.session.id,
                "new_session": logged.new_session,
                "already_logged": logged.already_logged,
                "sets": [
                    set_doc(s, done.version if n == 0 else 1) for n, s in enumerate(logged.sets)
                ],
                "analysis": feedback,
                "records": [
                    {"set_id": i, "kinds": k, "text": describe(k)} for i, k in done.records.items()
                ],
            }
        )
        return
    what = "Already logged" if logged.already_logged else "Logged"
    if logged.new_session:
        typer.echo(f"Started today's session {logged.session.id[:13]}")
    for s in logged.sets:
        typer.echo(f"{what} {logged.exercise.name}: {set_line(s)}  (set {s.position})")
        if s.id in done.records:
            typer.echo(f"  PR: {describe(done.records[s.id])}")
    for line in feedback_lines(feedback):
        typer.echo(line)


def _feedback(done: LoggedSets) -> dict[str, Any] | None:
    """The verdicts on the sets just logged, when they carry velocities (DESIGN.md 2.3)."""
    if not any(s.rep_data for s in done.logged.sets):
        return None
    return feedback_doc([done.verdict(s.id) for s in done.logged.sets])


def analysis_of(session_id: str, set_ids: list[str]) -> dict[str, Any]:
    """The verdicts on ``set_ids`` of a stored session, as :func:`feedback_doc` gathers them."""
    from replog.core.verdict import verdict_doc
    from replog.services.analytics import analyze_stored

    result = analyze_stored(state.uow(), state.lifter(), session_id)
    return feedback_doc([verdict_doc(result.analysis, i) for i in set_ids])


def feedback_doc(verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """The verdicts (:func:`replog.core.verdict.verdict_doc`, the document the API and Drive
    show), with their set analyses and items gathered for ``--json``."""
    return {
        "sets": [v["set"] for v in verdicts if v["set"] is not None],
        "recommendations": [r for v in verdicts for r in v["recommendations"]],
        "verdicts": verdicts,
    }


def feedback_lines(feedback: dict[str, Any] | None) -> list[str]:
    """The verdicts as the terminal shows them: each set's numbers and headline, then its
    items in the rulebook's order (never a rule of the CLI's own)."""
    if not feedback:
        return []
    lines = []
    for v in feedback["verdicts"]:
        a = v["set"]
        if a is None:
            continue
        parts = []
        if a["velocity_loss_pct"] is not None and len(a["velocities"]) > 1:
            parts.append(f"velocity loss {a['velocity_loss_pct']:.0f}%")
        if a["dropoff_pct"] is not None:
            parts.append(f"{a['dropoff_pct']:.1f}% slower than your reference set")
        flags = [name.replace("_", " ") for name, on in a["flags"].items() if on]
        if flags:
            parts.append("flags: " + ", ".join(flags))
        lines.append(f"  set {a['position']}: " + "; ".join([*parts, v["headline"]]))
        for r in v["recommendations"]:
            lines.append(f"  ! {r['kind'].replace('_', ' ')}: {r['reason']}")
            lines.append(f"    -> {r['action']}")
    return lines


def undo(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Delete the last set you logged."""
    from replog.services.training import undo_last

    removed = undo_last(state.uow(), state.lifter())
    if as_json:
        from replog.core.set_doc import set_doc

        print_json({"removed": set_doc(removed)})
    else:
        typer.echo(f"Removed {removed.exercise}: {set_line(removed)}")


def end(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """End the current session (the next set logged starts a new one)."""
    from replog.services.training import end_session

    ended = end_session(state.uow(), state.lifter())
    if as_json:
        print_json({"session_id": ended.id, "ended_at": ended.ended_at})
    else:
        minutes = (ended.ended_at - ended.started_at).total_seconds() / 60 if ended.ended_at else 0
        typer.echo(f"Ended session {ended.id[:13]} after {minutes:.0f} min")


def athlete(
    unit: Annotated[str | None, typer.Option("--unit", help="Default unit: kg or lb.")] = None,
    body_mass: Annotated[
        str | None, typer.Option("--body-mass", help="Body mass, e.g. 83kg or 183lb.")
    ] = None,
    rename: Annotated[str | None, typer.Option("--rename", help="A new name.")] = None,
    dropoff: Annotated[
        float | None,
        typer.Option("--dropoff-threshold", help="Flag neural drop-off above this %% (10)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show or change your settings (default unit, body mass, name)."""
    from replog.core.units import parse_load, parse_unit
    from replog.services.athletes import configure_athlete

    new_unit = parse_unit(unit, "unit") if unit else None
    mass = (
        parse_load(body_mass, new_unit or parse_unit("kg"), "body_mass").kg if body_mass else None
    )
    a = configure_athlete(
        state.uow(),
        state.athlete_name,
        unit=new_unit,
        body_mass_kg=mass,
        rename=rename,
        dropoff_threshold_pct=dropoff,
    )
    if as_json:
        print_json(
            {
                "id": a.id,
                "name": a.name,
                "default_unit": a.default_unit.value,
                "body_mass_kg": a.body_mass_kg,
                "dropoff_threshold_pct": a.dropoff_threshold_pct,
            }
        )
    else:
        mass_text = f"{a.body_mass_kg:g} kg" if a.body_mass_kg else "not set"
        typer.echo(
            f"{a.name}: default unit {a.default_unit.value}, body mass {mass_text}, "
            f"neural drop-off flagged above {a.dropoff_threshold_pct:g}%"
        )
