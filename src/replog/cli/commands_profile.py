"""``replog profile``: a load-velocity profile and the 1RM it predicts, from the log or from
points given on the command line. Takes --json."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from replog.cli.context import console, print_json, state

if TYPE_CHECKING:
    from replog.services.profiles import ProfileReport


class Method(StrEnum):
    OLS = "ols"
    TWO_POINT = "two-point"


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)


def parse_point(text: str) -> tuple[float, float]:
    """``80kg:0.50`` -> (80.0, 0.5): a load as lifters write it (default kg) and m/s."""
    from replog.core.errors import ValidationError
    from replog.core.units import Unit, parse_load

    load_text, sep, velocity_text = text.rpartition(":")
    if not sep or not load_text.strip() or not velocity_text.strip():
        raise ValidationError(f"expected LOAD:VELOCITY like 80kg:0.50, got {text!r}", "point")
    try:
        load = parse_load(load_text, Unit.KG, field="point")
    except ValidationError as exc:
        raise ValidationError(f"{text!r}: {exc.message}", field="point") from None
    try:
        velocity = float(velocity_text)
    except ValueError:
        raise ValidationError(
            f"{text!r}: velocity {velocity_text.strip()!r} is not a number of m/s", "point"
        ) from None
    if not math.isfinite(velocity) or velocity <= 0:
        raise ValidationError(f"{text!r}: velocity must be a positive number of m/s", "point")
    return load.kg, velocity


def profile(
    exercise: Annotated[
        list[str] | None, typer.Argument(help="Exercise name or alias (from your log).")
    ] = None,
    point: Annotated[
        list[str] | None,
        typer.Option(
            "--point",
            "-p",
            help="LOAD:VELOCITY, e.g. 80kg:0.50 (kg unless a unit is given); repeatable. "
            "Uses these points instead of the log.",
        ),
    ] = None,
    method: Annotated[
        Method, typer.Option("--method", help="ols (all points) or two-point.")
    ] = Method.OLS,
    days: Annotated[
        int, typer.Option("--days", min=0, help="Use the last N days of the log (0: all).")
    ] = 56,
    mvt: Annotated[
        float | None,
        typer.Option("--mvt", help="Velocity at 1RM, m/s (default: learned, else literature)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Load-velocity profile of a lift, the 1RM it predicts, and the lift's e1RM.

    `replog profile squat` fits your logged sets (fastest rep per set, one point per load
    and day, last 8 weeks); `replog profile --point 40kg:1.00 --point 80kg:0.50` fits the
    points given, without a database. The e1RM is the one `replog history`, `replog pap`
    and the app show: this profile's when it is good enough (with the default options),
    else Epley with reps in reserve from your best recent working set.
    """
    from replog.services import profiles

    if point:
        from replog.core.exercises import Catalogue

        ex = Catalogue().resolve(" ".join(exercise)) if exercise else None
        report = profiles.profile_from_points(
            [parse_point(p) for p in point], exercise=ex, method=method.value, mvt=mvt
        )
    elif exercise:
        report = profiles.build_profile(
            state.uow(),
            state.lifter(),
            " ".join(exercise),
            method=method.value,
            days=days or None,
            mvt=mvt,
        )
    else:
        raise typer.BadParameter("give an EXERCISE, or points with --point LOAD:VELOCITY")
    if as_json:
        from replog.services.documents import profile_doc

        print_json(profile_doc(report))
    else:
        _print(report)


_REASONS = {
    "sets_outside_window": "sets before the window",
    "sets_without_velocity": "sets without velocity",
    "reps_velocity_out_of_range": "reps with implausible velocity",
    "reps_rom_outlier": "reps with an outlying range of motion",
    "sets_without_usable_rep": "sets with no usable rep",
    "sets_slower_at_same_load_and_day": "slower sets at the same load that day",
}


def _print(report: ProfileReport) -> None:
    from rich import box
    from rich.table import Table

    out = console()
    p = report.profile
    name = report.exercise.name if report.exercise else "Points given"
    method = "two-point" if report.method == "two_point" else "least squares"
    window = (
        f", last {report.days} day{'' if report.days == 1 else 's'}"
        if report.days
        else (", all history" if report.athlete else "")
    )
    out.print(f"[bold]{name}[/bold] · load-velocity profile ({method}{window})")
    if p is not None:
        sign = "-" if p.slope_ < 0 else "+"
        out.print(f"v = {p.intercept_:.3f} {sign} {abs(p.slope_):.5f} x load   (m/s, load in kg)")
        see = f"{p.see_:.3f} m/s" if math.isfinite(p.see_) else "n/a"
        out.print(f"n {p.n_} · r² {p.r2_:.3f} · SEE {see} · v0 {p.v0_:.2f} m/s · L0 {p.l0_:.1f} kg")
    source = {
        "given": "given",
        "learned": f"learned from your last {report.mvt_samples} max efforts",
        "literature": "literature value for the lift",
        "default": "generic default",
    }.get(report.mvt_source, report.mvt_source)
    out.print(f"MVT {report.mvt:.2f} m/s ({source})")
    _print_e1rm(report)
    for note in report.notes:
        out.print(f"note: {note}")
    from replog.services.documents import profile_table

    rows = profile_table(report)
    if rows:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        first = "%1RM" if report.e1rm is not None else "% of load at MVT"
        for col in (first, "load", "velocity"):
            table.add_column(col, justify="right")
        for row in rows:
            table.add_row(
                f"{row['percent_1rm']}%", f"{row['load_kg']:.1f} kg", f"{row['velocity']:.2f} m/s"
            )
        out.print(table)
    if report.points:
        used = Table(
            title=f"Points used: {len(report.points)}",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            header_style="bold",
            pad_edge=False,
        )
        dated = any(x.day for x in report.points)
        for col in ("date", "load", "velocity") if dated else ("load", "velocity"):
            used.add_column(col, justify="right" if col != "date" else "left")
        for x in report.points:
            cells = [f"{x.load_kg:g} kg", f"{x.velocity:.2f} m/s"]
            used.add_row(*([x.day.isoformat() if x.day else ""] if dated else []), *cells)
        out.print(used)
    dropped = [(k, n) for k, n in report.dropped.items() if n]
    if dropped:
        out.print(
            "Left out: "
            + "; ".join(f"{n} {_REASONS.get(k, k.replace('_', ' '))}" for k, n in dropped)
        )


def _print_e1rm(report: ProfileReport) -> None:
    """The load where the line meets the MVT (unless it is the e1RM), then the e1RM."""
    from replog.core.e1rm import PROFILE, profile_shortfall

    out = console()
    p, e = report.profile, report.e1rm
    same = e is not None and e.source == PROFILE and p is not None and e.value_kg == p.e1rm_
    if p is not None and not same:
        interval = p.e1rm_interval_
        ci = (
            f" ({p.confidence:.0%} interval {interval[0]:.1f}-{interval[1]:.1f} kg, Fieller)"
            if interval
            else " (no interval: "
            + ("two-point fit)" if report.method == "two_point" else "too few points)")
        )
        out.print(f"load at MVT {p.e1rm_:.1f} kg{ci}: not your e1RM")
    elif p is None and report.population is not None:
        out.print(
            f"load at MVT ~{report.population.e1rm_kg:.1f} kg by the population table "
            "(see note): not your e1RM"
        )
    if e is None:
        fit = report.fit
        why = profile_shortfall(fit) if fit is not None else None
        out.print("[bold]no e1RM[/bold]" + (f": {why}" if why else ""))
        return
    out.print(f"[bold]e1RM {e.value_kg:.1f} kg[/bold] · {e.method}", soft_wrap=True)
    if e.interval_kg is not None and e.confidence is not None:
        low, high = e.interval_kg
        out.print(f"  {e.confidence:.0%} interval {low:.1f}-{high:.1f} kg (Fieller)")
    out.print(f"  from {e.basis}")
    if e.source != PROFILE:
        out.print(f"  why: {e.why}")
