"""``replog checkin``, ``replog readiness``, ``replog load`` and ``replog sleep import``:
the CNS battery and what feeds it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import JSON, print_json, state

if TYPE_CHECKING:
    from replog.core.model import CheckIn
    from replog.core.units import Unit
    from replog.services.load import LoadReport

DAY = Annotated[str | None, typer.Option("--day", help="The day (YYYY-MM-DD); default today.")]
sleep_app = typer.Typer(help="Sleep history: import it from a CSV or an Apple Health export.")


def register(app: typer.Typer) -> None:
    app.command("checkin")(checkin)
    app.command("readiness")(readiness)
    app.command("load")(load)
    app.command("anchor")(anchor)
    sleep_app.command("import")(sleep_import)
    app.add_typer(sleep_app, name="sleep")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {text!r}", param_hint="--day") from None


def checkin(
    sleep: Annotated[float | None, typer.Option("--sleep", help="Hours slept, e.g. 6.5.")] = None,
    quality: Annotated[
        int | None, typer.Option("--quality", help="Sleep quality 1-5 (5 best).")
    ] = None,
    stress: Annotated[
        int | None, typer.Option("--stress", help="Life stress 1-5 (5 most stressed).")
    ] = None,
    soreness: Annotated[
        int | None, typer.Option("--soreness", help="Muscle soreness 1-5 (5 most sore).")
    ] = None,
    hr: Annotated[float | None, typer.Option("--hr", help="Resting heart rate, bpm.")] = None,
    hrv: Annotated[float | None, typer.Option("--hrv", help="HRV (rMSSD), ms.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything else.")] = None,
    day: DAY = None,
    as_json: JSON = False,
) -> None:
    """Record how you slept and feel today (or --day); giving a field again edits it."""
    from replog.core.errors import ValidationError
    from replog.services.athletes import athlete_or_new
    from replog.services.readiness import readiness as compute
    from replog.services.sessions import put_checkin

    given = {
        "sleep_h": sleep, "sleep_quality": quality, "stress": stress, "soreness": soreness,
        "resting_hr": hr, "hrv_ms": hrv, "notes": note,
    }  # fmt: skip
    fields: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if not fields:
        raise ValidationError(
            "give at least one of --sleep, --quality, --stress, --soreness, --hr, --hrv, --note",
            field="checkin",
        )
    athlete, new = athlete_or_new(state.uow(), state.athlete_name)
    on = _day(day) or date.today()  # the local day
    saved = put_checkin(
        state.uow(), athlete.id, on, None, fields, edit=True, new_athlete=athlete if new else None
    )[0].value
    from replog.services.documents import battery_doc, checkin_doc

    b = battery_doc(compute(state.uow(), state.lifter(), saved.day).battery)
    if as_json:
        print_json({"checkin": checkin_doc(saved), "battery": b})
        return
    typer.echo(f"check-in for {saved.day}: {_checkin_text(saved)}")
    if b["reading"]:
        typer.echo(f"battery {b['score']}/100: {b['advice']['text']}")
    else:
        typer.echo(f"battery: {b['advice']['text']}")
        typer.echo(f"  would give a reading: {'; '.join(b['needs'])}")


def readiness(day: DAY = None, as_json: JSON = False) -> None:
    """Today's CNS battery (0-100), what went into it, its trend, and today's plan."""
    from replog.services.documents import readiness_doc
    from replog.services.readiness import readiness as compute

    doc = readiness_doc(compute(state.uow(), state.lifter(), _day(day)))
    if as_json:
        print_json(doc)
        return
    _print_readiness(doc)


def anchor(
    words: Annotated[
        list[str] | None, typer.Argument(help="EXERCISE [LOAD], e.g. squat 100kg.")
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Go back to the anchor chosen from history.")
    ] = False,
    as_json: JSON = False,
) -> None:
    """The warm-up load each lift's readiness reading uses: list them, or set one."""
    from replog.cli.format import plural
    from replog.core.units import parse_load
    from replog.services.readiness import anchors, set_anchor

    words = words or []
    uow, unit = state.uow(), _athlete_unit()
    if not words:
        if clear:
            raise typer.BadParameter("name the exercise to clear", param_hint="--clear")
        found = anchors(uow, state.lifter())
    else:
        load_kg = None
        if words[-1][:1].isdigit():
            load_kg = float(parse_load(words[-1], unit, field="load").kg)
            words = words[:-1]
        if not words or (load_kg is not None and clear):
            raise typer.BadParameter("give EXERCISE [LOAD], or EXERCISE --clear")
        if load_kg is None and not clear:
            found = anchors(uow, state.lifter(), " ".join(words))
        else:
            athlete, new = state.lifter_or_new()
            found = [set_anchor(uow, athlete, " ".join(words), load_kg, new_athlete=new)]
    docs = [
        {
            "exercise": a.exercise,
            "set": None if a.set_kg is None else _in_unit(a.set_kg, unit),
            "from_history": None if a.auto_kg is None else _in_unit(a.auto_kg, unit),
            "days_at_anchor": a.days,
        }
        for a in found
    ]
    if as_json:
        print_json({"unit": unit.value, "anchors": docs})
        return
    if not found:
        typer.echo("no warm-ups with bar velocity yet: log some, or set an anchor")
    for a, d in zip(found, docs, strict=True):
        use = d["set"] if d["set"] is not None else d["from_history"]
        how = "set by you" if d["set"] is not None else "from your warm-ups"
        what = f"{use:g} {unit.value} ({how})" if use is not None else "none yet"
        typer.echo(f"{a.name}: {what}, {plural(a.days, 'day')} of warm-ups at it")


def _athlete_unit() -> Unit:
    """The unit of a bare load: the athlete's (a new athlete's is kilograms)."""
    return state.lifter_or_new()[0].default_unit


def load(
    day: DAY = None,
    days: Annotated[int, typer.Option("--days", min=1, max=180, help="Days to list.")] = 14,
    as_json: JSON = False,
) -> None:
    """Training load: session-RPE load per day, monotony, strain, ACWR, fitness-fatigue."""
    from replog.services.load import load_report

    r = load_report(state.uow(), state.lifter(), _day(day))
    if as_json:
        print_json(_load_doc(r, days))
        return
    _print_load(r, days)


def sleep_import(
    file: Annotated[Path, typer.Argument(help="A sleep CSV, or Apple Health export.zip/.xml.")],
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace the sleep a check-in already has (typed or imported before).",
        ),
    ] = False,
    as_json: JSON = False,
) -> None:
    """Import sleep history into your check-ins (importing it again changes nothing)."""
    from replog.io.sleep import read_sleep
    from replog.services.readiness import import_sleep

    if not file.is_file():
        raise typer.BadParameter(f"no such file: {file}", param_hint="FILE")
    nights = read_sleep(file)
    rows = [(n.day, n.asleep_h, n.quality) for n in nights]
    athlete, new = state.lifter_or_new()
    report = import_sleep(state.uow(), athlete, rows, overwrite=overwrite, new_athlete=new)
    doc = {
        "file": str(file),
        "nights": report.nights,
        "added": report.added,
        "updated": report.updated,
        "kept": report.kept,
        "first": nights[0].day.isoformat() if nights else None,
        "last": nights[-1].day.isoformat() if nights else None,
    }
    if as_json:
        print_json(doc)
        return
    span = f" ({doc['first']} to {doc['last']})" if nights else ""
    typer.echo(
        f"{report.nights} nights{span}: {report.added} new check-ins, {report.updated} "
        f"updated, {report.kept} kept the different sleep already there"
        + (" (--overwrite replaces it)" if report.kept else "")
    )


# --------------------------------------------------------------------------- documents


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def _in_unit(kg: float, unit: Unit) -> float:
    from replog.core.units import KG_PER_LB, Unit

    return round(kg if unit is Unit.KG else kg / float(KG_PER_LB), 1)


def _checkin_text(c: CheckIn) -> str:
    bits = [
        f"sleep {c.sleep_h:g} h" if c.sleep_h is not None else "",
        f"quality {c.sleep_quality}/5" if c.sleep_quality is not None else "",
        f"stress {c.stress}/5" if c.stress is not None else "",
        f"soreness {c.soreness}/5" if c.soreness is not None else "",
        f"resting HR {c.resting_hr:g}" if c.resting_hr is not None else "",
        f"HRV {c.hrv_ms:g} ms" if c.hrv_ms is not None else "",
    ]
    return ", ".join(b for b in bits if b) or "notes only"


def _print_readiness(doc: dict[str, Any]) -> None:
    """The readiness document (:func:`replog.services.documents.readiness_doc`) in words."""
    b, unit = doc["battery"], doc["unit"]
    typer.echo(f"{doc['athlete']}, {doc['day']}: {b['headline']}")
    for p in b["parts"]:
        typer.echo(f"  {p['text']}")
    for m in b["missing"]:
        typer.echo(f"  - {m}")
    if not b["reading"]:
        typer.echo("would give a reading: " + "; ".join(b["needs"]))
    *before, today = [d["score"] for d in doc["trend"]["days"]]
    spark = " ".join("-" if s is None else str(s) for s in before)
    now = "no reading" if today is None else str(today)
    typer.echo(f"last {len(before)} days: {spark} -> {now} ({doc['trend']['text']})")
    typer.echo(f"today: {b['advice']['text']}")
    if doc["plan"]:
        typer.echo("plan (your last top working set, after today's advice):")
    for p in doc["plan"]:
        last, load = p["last_load"], p["load"]
        change = "same load" if load == last else f"was {last:g}"
        cap = f", cap RPE {p['rpe_cap']:g}" if p["rpe_cap"] is not None else ""
        primer = "" if p["primer"] else ", no primer"
        name = p["exercise"].replace("-", " ")
        typer.echo(f"  {name}: {p['reps']} reps at {load:g} {unit} ({change}{cap}{primer})")


def _load_doc(r: LoadReport, days: int) -> dict[str, Any]:
    bs = r.banister
    return {
        "athlete": r.athlete.name,
        "day": r.day.isoformat(),
        "convention": "a day's load counts from the next day: figures are before today's "
        "training; session RPE = mean RPE of the rated non-warm-up sets x minutes",
        "weekly_srpe": _r(r.weekly, 1),
        "monotony": _r(r.monotony, 2),
        "strain": _r(r.strain, 1),
        "acwr": _r(r.acwr, 2),
        "sessions_with_default_rpe": r.rpe_estimated_sessions,
        "banister": {
            "fitted": bs.fitted,
            "exercise": bs.exercise,
            "params": {
                "p0": _r(bs.params.p0, 2),
                "k1": _r(bs.params.k1, 5),
                "k2": _r(bs.params.k2, 5),
                "tau1": _r(bs.params.tau1, 1),
                "tau2": _r(bs.params.tau2, 1),
            },
            "fitness": _r(bs.fitness, 1),
            "fatigue": _r(bs.fatigue, 1),
            "performance": _r(bs.performance, 1),
            "why": bs.why,
        },
        "days": [
            {"day": d.day.isoformat(), "srpe": d.srpe, "volume_kg": d.volume_kg}
            for d in r.days[-days:]
        ],
    }


def _print_load(r: LoadReport, days: int) -> None:
    def fmt(x: float | None, spec: str = ".2f") -> str:
        return "n/a" if x is None else format(x, spec)

    typer.echo(f"{r.athlete.name}, training load before {r.day} (session RPE x minutes, AU)")
    for d in r.days[-days:]:
        bar = "#" * round(d.srpe / 50)
        typer.echo(f"  {d.day}  {d.srpe:7.0f}  {bar}")
    typer.echo(
        f"last 7 days {r.weekly:.0f} AU, monotony {fmt(r.monotony)}, strain {fmt(r.strain, '.0f')}"
        f", acute:chronic {fmt(r.acwr)}"
    )
    bs = r.banister
    what = (
        f"predicted e1RM {bs.performance:.1f} kg"
        if bs.fitted
        else f"form {bs.performance:.0f} AU (fitness - {bs.params.k2:g} x fatigue)"
    )
    typer.echo(
        f"fitness {bs.fitness:.0f}, fatigue {bs.fatigue:.0f}, {what}; "
        f"tau1 {bs.params.tau1:.0f} d, tau2 {bs.params.tau2:.0f} d"
    )
    typer.echo(f"  {bs.why}")
