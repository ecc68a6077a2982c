"""The e1RM calculator: ``replog e1rm --load 100kg --reps 5 --rpe 8``.

A pure calculation over :mod:`replog.core.strength`: it reads no database, so it works
before anything is logged. Loads stay in the unit they were given in (a bare number is kg).
``--model`` uses one of STMr's reps-max models (Epley, modified Epley, linear; Jovanovic's
STMr package) on reps + RIR, with STMr's default parameter or ``--k``/``--kmod``/``--klin``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import print_json

if TYPE_CHECKING:
    from replog.core.units import Load

LABELS = {
    "rts": "RTS chart",
    "epley": "Epley",
    "brzycki": "Brzycki",
    "lander": "Lander",
    "lombardi": "Lombardi",
    "mayhew": "Mayhew et al.",
    "oconner": "O'Conner et al.",
    "wathan": "Wathan",
    "model_epley": "Epley model",
    "model_modified_epley": "Modified Epley",
    "model_linear": "Linear model",
}
MODEL_PREFIX = "model_"


def register(app: typer.Typer) -> None:
    app.command("e1rm")(e1rm)


@contextmanager
def _fields(**names: str) -> Iterator[None]:
    """Re-raise a core ValidationError under the command-line option's name."""
    from replog.core.errors import ValidationError

    try:
        yield
    except ValidationError as err:
        field = names.get(err.field or "", err.field)
        raise ValidationError(err.message, field) from None


def _reserve(rpe: float | None, rir: float | None, prefix: str = "") -> float | None:
    """Reps in reserve from an RPE (1-10, half points) or an RIR; None when neither is given."""
    from replog.core.errors import ValidationError
    from replog.core.model import check_rpe

    rpe_field, rir_field = f"{prefix}rpe", f"{prefix}rir"
    from_rpe = from_rir = None
    if rpe is not None:
        check_rpe(rpe, rpe_field)
        from_rpe = 10.0 - rpe
    if rir is not None:
        if not 0 <= rir <= 10 or rir * 2 != int(rir * 2):
            raise ValidationError(f"must be 0 to 10 in half reps, got {rir:g}", rir_field)
        from_rir = rir
    if from_rpe is not None and from_rir is not None and from_rpe != from_rir:
        raise ValidationError(
            f"RPE {rpe:g} and RIR {rir:g} disagree (RPE = 10 - RIR); give one", rir_field
        )
    return from_rpe if from_rpe is not None else from_rir


def _models(model: str, params: dict[str, float | None]) -> dict[str, dict[str, float]]:
    """The reps-max models asked for ('all' or one name), each with the parameters given."""
    from replog.core import strength

    given = {name: v for name, v in params.items() if v is not None}
    key = "_".join(model.strip().lower().replace("-", " ").split())
    if key == "all":
        names = list(strength.REPS_MAX_MODELS)
    elif key in strength.REPS_MAX_MODELS:
        names = [key]
    else:
        known = ", ".join(strength.REPS_MAX_MODELS)
        raise _error(f"unknown reps-max model {model!r}; one of {known} or all", "model")
    wanted = {strength.REPS_MAX_MODELS[name][0] for name in names}
    for name in given:
        if name not in wanted:
            raise _error(f"--{name} does not belong to the {key} model", name)
    out: dict[str, dict[str, float]] = {}
    for name in names:
        param, default = strength.REPS_MAX_MODELS[name]
        out[name] = {param: given.get(param, default)}
    return out


def _model_estimates(
    value: float, reps: int, reserve: float, models: dict[str, dict[str, float]]
) -> dict[str, float]:
    from replog.core import strength

    out: dict[str, float] = {}
    for name, params in models.items():
        with _fields(load_kg="load"):
            out[MODEL_PREFIX + name] = strength.e1rm_reps_rir(value, reps, reserve, name, **params)
    return out


def _estimates(
    value: float, reps: int, rpe: float | None, rir: float | None, formula: str | None
) -> tuple[str, dict[str, float]]:
    """The method behind the headline e1RM and every estimate asked for, in the load's unit."""
    from replog.core import strength

    reserve = _reserve(rpe, rir)
    if formula is None or formula.strip().lower() == "all":
        names = list(strength.E1RM_FORMULAS) if formula else []
        method = "rts" if reserve is not None else "epley"
    else:
        with _fields(formula="formula"):
            method = strength.formula_name(formula)
        names = [method]
    if method == "epley" and not names:
        names = ["epley"]
    out: dict[str, float] = {}
    if method == "rts":
        with _fields(load_kg="load"):
            out["rts"] = strength.e1rm_rpe(value, reps, rpe, rir=rir)
    to_failure = reps + (reserve or 0.0)
    if names and to_failure > strength.MAX_FORMULA_REPS:
        raise _error(
            f"the formulas stop at {strength.MAX_FORMULA_REPS} reps to failure; "
            f"reps + RIR is {to_failure:g}",
            "reps",
        )
    for name in names:
        with _fields(load_kg="load"):
            out[name] = strength.e1rm(value, to_failure, name)
    return method, out


def _target(
    e1rm_value: float,
    method: str,
    reps: int,
    rpe: float | None,
    rir: float | None,
    increment: str | None,
    entered: Load,
    models: dict[str, dict[str, float]] | None = None,
) -> dict[str, Any]:
    from replog.core import strength
    from replog.core.units import Unit, parse_load, round_to_increment

    names = {"reps": "target-reps", "rpe": "target-rpe", "rir": "target-rir"}
    with _fields(**names):
        reserve = _reserve(rpe, rir, "target-") or 0.0
        if method == "rts":
            exact = strength.load_for(e1rm_value, reps, rpe, rir=reserve if rpe is None else rir)
        elif method.startswith(MODEL_PREFIX):
            model = method.removeprefix(MODEL_PREFIX)
            params = models[model] if models else {}
            exact = e1rm_value * strength.percent_1rm(reps, reserve, model, **params)
        else:
            if reps < 1:
                raise _error("must be 1 or more", "reps")
            exact = strength.load_for_reps(e1rm_value, reps + reserve, method)
    unit = entered.unit
    with _fields(load="increment"):
        step = parse_load(increment, unit, "increment") if increment else None
    step_value = float(step.in_unit(unit)) if step else (2.5 if unit is Unit.KG else 5.0)
    with _fields(load="increment"):
        rounded = round_to_increment(exact, step_value)
    return {
        "reps": reps,
        "rpe": 10.0 - reserve,
        "rir": reserve,
        "percent_1rm": round(exact / e1rm_value, 4),
        "load": _text(rounded),
        "unit": unit.value,
        "load_kg": round(_kg(rounded, entered), 3),
        "exact": round(exact, 3),
        "increment": _text(step_value),
    }


def _error(message: str, field: str) -> Exception:
    from replog.core.errors import ValidationError

    return ValidationError(message, field)


def _kg(value: float, entered: Load) -> float:
    from replog.core.units import KG_PER_LB, Unit

    return value if entered.unit is Unit.KG else value * float(KG_PER_LB)


def _label(method: str, models: dict[str, dict[str, float]] | None) -> str:
    """The method's name; a reps-max model's with its parameter: "Modified Epley, kmod 0.0353"."""
    params = (models or {}).get(method.removeprefix(MODEL_PREFIX))
    if not method.startswith(MODEL_PREFIX) or not params:
        return LABELS[method]
    ((name, v),) = params.items()
    return f"{LABELS[method]}, {name} {v:g}"


def _text(value: float) -> str:
    from decimal import Decimal

    from replog.core.units import format_decimal

    return format_decimal(Decimal(repr(round(value, 6))).normalize())


def e1rm(
    load: Annotated[str, typer.Option("--load", "-l", help="Load lifted: 100kg, 225lb, 102.5.")],
    reps: Annotated[int, typer.Option("--reps", "-r", help="Reps done in the set.")],
    rpe: Annotated[
        float | None, typer.Option("--rpe", help="How hard it was: RPE (chart: 6.5 to 10).")
    ] = None,
    rir: Annotated[
        float | None, typer.Option("--rir", help="Reps in reserve, instead of --rpe.")
    ] = None,
    formula: Annotated[
        str | None,
        typer.Option(
            "--formula",
            "-f",
            help="A classic formula (epley, brzycki, lander, lombardi, mayhew, oconner, "
            "wathan) or 'all'. With an RPE the formulas take reps + RIR.",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="A reps-max model (epley, modified_epley, linear; STMr) on reps + RIR, or "
            "'all', instead of the chart or a formula.",
        ),
    ] = None,
    k: Annotated[float | None, typer.Option("--k", help="Epley model's k (0.0333).")] = None,
    kmod: Annotated[
        float | None, typer.Option("--kmod", help="Modified Epley's kmod (0.0353).")
    ] = None,
    klin: Annotated[float | None, typer.Option("--klin", help="Linear model's klin (33).")] = None,
    target_reps: Annotated[
        int | None, typer.Option("--target-reps", help="Suggest a load for this many reps.")
    ] = None,
    target_rpe: Annotated[
        float | None, typer.Option("--target-rpe", help="At this RPE (default 10).")
    ] = None,
    target_rir: Annotated[
        float | None, typer.Option("--target-rir", help="Or this many reps in reserve.")
    ] = None,
    increment: Annotated[
        str | None,
        typer.Option("--increment", help="Smallest load step: default 2.5 kg, or 5 lb."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Estimate a 1RM from one set, and the load for a target set.

    With --rpe or --rir it reads the RTS chart (Tuchscherer); without, Epley's formula.
    --formula names a classic formula instead, or `all` for every one; --model a reps-max
    model of STMr (epley, modified_epley, linear, or all) with --k/--kmod/--klin to set its
    parameter. A bare load is kg.
    Example: replog e1rm --load 100kg --reps 5 --rpe 8 --target-reps 3 --target-rpe 9
    """
    from replog.core.units import Unit, format_decimal, parse_load

    entered = parse_load(load, Unit.KG, "load")
    if reps < 1:
        raise _error(f"must be 1 or more, got {reps}", "reps")
    value = float(entered.value)
    models = None
    if model is None and (k, kmod, klin) != (None, None, None):
        raise _error("give --model with --k, --kmod or --klin", "model")
    if model is not None:
        if formula is not None:
            raise _error("give --formula or --model, not both", "model")
        models = _models(model, {"k": k, "kmod": kmod, "klin": klin})
        estimates = _model_estimates(value, reps, _reserve(rpe, rir) or 0.0, models)
        method = next(iter(estimates))
    else:
        method, estimates = _estimates(value, reps, rpe, rir, formula)
    headline = estimates[method]
    if target_reps is None and (target_rpe is not None or target_rir is not None):
        raise _error("give --target-reps with --target-rpe or --target-rir", "target-reps")
    target = None
    if target_reps is not None:
        target = _target(
            headline, method, target_reps, target_rpe, target_rir, increment, entered, models
        )
    reserve = _reserve(rpe, rir)
    unit = entered.unit.value
    if as_json:
        print_json(
            {
                "load": format_decimal(entered.value),
                "unit": unit,
                "load_kg": entered.kg,
                "reps": reps,
                "rpe": None if reserve is None else 10.0 - reserve,
                "rir": reserve,
                "method": method,
                "percent_1rm": round(value / headline, 4),
                "e1rm_kg": round(_kg(headline, entered), 3),
                "e1rm": round(headline, 3),
                "estimates": {name: round(v, 3) for name, v in estimates.items()},
                "models": models,
                "target": target,
            }
        )
        return
    effort = "" if reserve is None else f" @{10 - reserve:g}"
    typer.echo(
        f"{entered.text} x {reps}{effort}: e1RM {headline:.1f} {unit} "
        f"({_label(method, models)}, {value / headline:.1%} of 1RM)"
    )
    if len(estimates) > 1:
        labels = {name: _label(name, models) for name in estimates}
        width = max(16, *map(len, labels.values()))
        for name, v in estimates.items():
            typer.echo(f"  {labels[name]:<{width}} {v:6.1f} {unit}")
    if target:
        typer.echo(
            f"{target['reps']} @{target['rpe']:g}: {target['load']} {unit} "
            f"({target['percent_1rm']:.1%} of 1RM; exact {target['exact']:.1f} {unit}, "
            f"steps of {target['increment']} {unit})"
        )
