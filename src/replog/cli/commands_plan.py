"""``replog plan ...``: programs and templates, the program followed, today's plan and the
next set. Every line printed renders a document of the services (the same the API and the
pages show): ``TodayPlan.to_dict()``, ``PlannedSet.to_dict()``, ``PlanListing.to_dict()``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import JSON, print_json, state

if TYPE_CHECKING:
    from replog.core.model import Athlete

plan_app = typer.Typer(
    help="Programs and templates: follow one, see today's plan, start it, the next set.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    for name, fn in (("list", plan_list), ("show", show), ("save", save), ("delete", delete),
                     ("follow", follow), ("stop", stop), ("today", today), ("start", start),
                     ("next", next_set), ("review", review)):  # fmt: skip
        plan_app.command(name)(fn)
    app.add_typer(plan_app, name="plan")


def _now() -> datetime:
    return datetime.now(UTC)


def _lifter_kept() -> Athlete:
    """The lifter, written first when this is their first command (a plan needs them)."""
    athlete, new = state.lifter_or_new()
    if new:
        from replog.services.athletes import write_new_athlete

        uow = state.uow()
        with uow:
            athlete = write_new_athlete(uow, athlete)
            uow.commit()
    return athlete


def plan_list(as_json: JSON = False) -> None:
    """The shipped programs and your own."""
    from replog.services.plans import plan_library

    found = plan_library(state.uow(), state.lifter_or_new()[0])
    if as_json:
        print_json({"plans": [p.to_dict() for p in found]})
        return
    for p in found:
        d = p.to_dict()
        whose = "shipped" if d["builtin"] else "yours"
        goal = f", {d['goal']}" if d["goal"] else ""
        typer.echo(f"{d['ref']:<32} {d['name']} ({whose}{goal}; days: {', '.join(d['days'])})")


def show(
    ref: Annotated[str, typer.Argument(help="A plan's name or id.")], as_json: JSON = False
) -> None:
    """A plan's document (the JSON you can edit and save back)."""
    from replog.core.plan_doc import program_to_dict
    from replog.services.plans import find_plan

    athlete, uow = state.lifter_or_new()[0], state.uow()
    with uow:
        found = find_plan(uow, athlete, ref)
    doc = program_to_dict(found.program)
    if as_json:
        print_json(doc)
        return
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))


def save(
    file: Annotated[Path, typer.Argument(help="A program or template document (JSON).")],
    plan_id: Annotated[str | None, typer.Option("--id", help="Replace this plan of yours.")] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="Only if the plan is still at this version.")
    ] = None,
    as_json: JSON = False,
) -> None:
    """Check a plan and keep it (nothing is kept when it is wrong; the error names the path)."""
    from replog.core.errors import ValidationError
    from replog.services.plans import save_plan

    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except OSError as e:
        raise ValidationError(f"cannot read {file}: {e.strerror}", field="file") from None
    except json.JSONDecodeError as e:
        raise ValidationError(f"not JSON: line {e.lineno}, column {e.colno}: {e.msg}",
                              field="file") from None  # fmt: skip
    athlete = _lifter_kept()
    kept = save_plan(state.uow(), athlete, doc, plan_id=plan_id, version=version, now=_now())
    if as_json:
        print_json(kept.to_dict())
        return
    typer.echo(f"Saved {kept.program.name!r} (id {kept.source}, version {kept.version})")


def delete(ref: Annotated[str, typer.Argument(help="One of your plans, by name or id.")]) -> None:
    """Remove one of your plans."""
    from replog.services.plans import delete_plan

    typer.echo(f"Deleted {delete_plan(state.uow(), state.lifter(), ref)!r}")


def follow(
    ref: Annotated[str, typer.Argument(help="A shipped program's name, or one of yours.")],
    as_json: JSON = False,
) -> None:
    """Follow a program from its first day."""
    from replog.services.plans import follow_program

    found = follow_program(state.uow(), _lifter_kept(), ref, now=_now())
    if as_json:
        print_json(found.to_dict())
        return
    typer.echo(f"Following {found.program.name!r}: `replog plan today` shows the first session")


def stop() -> None:
    """Stop following a program (your log and past plans stay)."""
    from replog.services.plans import stop_program

    done = stop_program(state.uow(), state.lifter())
    typer.echo("Stopped following your program" if done else "You follow no program")


def today(as_json: JSON = False) -> None:
    """Today's session of the program you follow: warm-ups, work sets, targets, and why."""
    from replog.services.plan_today import todays_plan

    plan = todays_plan(state.uow(), state.lifter(), _now())
    doc = None if plan is None else plan.to_dict()
    if as_json:
        print_json({"today": doc})
        return
    if doc is None:
        typer.echo("You follow no program: `replog plan list`, then `replog plan follow NAME`")
        return
    for line in plan_lines(doc):
        typer.echo(line)


def start(as_json: JSON = False) -> None:
    """Start today's session from the plan (its plan is kept beside what you lift)."""
    from replog.services.plan_today import start_planned_session

    plan = start_planned_session(state.uow(), state.lifter(), _now())
    if as_json:
        print_json({"today": plan.to_dict()})
        return
    typer.echo(f"Started {plan.program} (session {str(plan.session_id)[:13]})")


def next_set(
    exercise: Annotated[str, typer.Argument(help="The lift, e.g. squat.")], as_json: JSON = False
) -> None:
    """The lift's next set in today's planned session, steered by the sets done so far."""
    from replog.services.catalogue import catalogue_for
    from replog.services.plan_today import next_planned

    athlete, uow = state.lifter(), state.uow()
    with uow:
        key = catalogue_for(uow, athlete.id).resolve(exercise).key
    found = next_planned(state.uow(), athlete, _now(), [key]).get(key)
    doc = None if found is None else found.to_dict()
    if as_json:
        print_json(doc or {"exercise": key, "next": None, "total": 0, "rest_s": None})
        return
    if doc is None or doc["next"] is None:
        typer.echo("No planned set left")
        return
    typer.echo(f"Next (set {doc['next']['number']} of {doc['total']}): " + set_text(doc["next"]))


def set_text(s: dict[str, Any]) -> str:
    """One planned set in words (from its document)."""
    reps = "AMRAP" if s["reps"] is None else str(s["reps"])
    if s.get("reps_max"):
        reps += f"-{s['reps_max']}"
    parts = [f"{s['load_text'] or '?'} x {reps}"]
    if s["target_rpe"] is not None:
        parts.append(f"@{s['target_rpe']:g}")
    if s["target_velocity"] is not None:
        parts.append(f"target {s['target_velocity']:.2f} m/s")
    if s["stop_velocity_loss_pct"] is not None:
        parts.append(f"stop at {s['stop_velocity_loss_pct']:g}% loss")
    text = " ".join(parts)
    if s["missing"]:
        text += f" ({s['missing']})"
    return f"{text}: {s['why']}" if s["why"] else text


def plan_lines(doc: dict[str, Any]) -> list[str]:
    """Today's plan as the terminal shows it (the document of ``TodayPlan.to_dict``)."""
    plan = doc["plan"]
    lines = [f"{doc['program']} (week {doc['week']}, day {doc['day']})"]
    if doc["session_id"]:
        lines[0] += f", started: session {doc['session_id'][:13]}"
    if plan["readiness"]:
        lines.append(f"  readiness: {plan['readiness']}")
    for ex in plan["exercises"]:
        rest = f", rest {ex['rest_s'] // 60}:{ex['rest_s'] % 60:02d}" if ex["rest_s"] else ""
        group = f" [{ex['group']}]" if ex["group"] else ""
        lines.append(f"{ex['exercise']}{group}{rest}")
        last = doc["last_session"].get(ex["exercise"])
        if last:
            lines.append(f"  last time: {last['why']}")
        for w in ex["warmups"]:
            mark = "  (readiness anchor)" if w["anchor"] else ""
            lines.append(f"  warm-up {w['load_text']} x {w['reps']}{mark}")
        for s in ex["sets"]:
            lines.append(f"  {s['kind']} {s['number']}: " + set_text(s))
        lines += [f"  note: {n}" for n in ex["notes"]]
    return lines


def review(
    session: Annotated[
        str, typer.Argument(help="A session id, prefix, 'last' or a date.")
    ] = "last",
    as_json: JSON = False,
) -> None:
    """Planned against performed for a session started from a plan, set by set."""
    from replog.services.plan_today import review_planned_session

    found = review_planned_session(state.uow(), state.lifter(), session)
    doc = found.to_dict()
    if as_json:
        print_json(doc)
        return
    typer.echo(f"{doc['program']}: {doc['met']} of {doc['planned']} planned sets as planned")
    for row in doc["sets"]:
        p, done = row["planned"], row["done"]
        head = f"  {p['exercise']} {p['number']}: planned " + set_text({**p, "why": ""})
        if done is None:
            typer.echo(head + " -> not lifted")
            continue
        verdict = "as planned" if done["met"] else "not as planned"
        notes = f" ({'; '.join(done['notes'])})" if done["notes"] else ""
        typer.echo(f"{head} -> {verdict}{notes}")
