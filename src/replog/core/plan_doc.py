"""Plans as documents: JSON-compatible dicts in, frozen plans out, and back.

The schema (``docs/programs.md`` has it with examples) of a program document::

    {"schema": "replog.program/1", "name": str, "goal": GOAL?, "description": str?,
     "source": str?, "tags": [str]?, "weeks": [{"days": [DAY, ...]}, ...]}
    DAY      = {"name": str, "exercises": [EXERCISE, ...]}
    EXERCISE = {"exercise": catalogue key, "sets": [SET, ...], "rest_s": int?,
                "group": str?, "progression": PROGRESSION?, "notes": str?}
    SET      = {"reps": int | null, "count": int?, "reps_max": int?, "kind": SETKIND?,
                "load": LOAD?, "percent_e1rm": 20-105?, "rpe": 5-10?, "rir": 0-5?,
                "velocity": m/s?, "zone": ZONE?, "velocity_loss_pct": 1-60?}
    PROGRESSION = {"rule": "linear"|"double"|"rpe"|"velocity", "increment": LOAD?,
                   "deload_after": int?, "deload_pct": number?}
    LOAD     = "100 kg" | "225lb" | {"value": number, "unit": "kg"|"lb"}

A day alone (a template, a routine) is ``{"schema": "replog.template/1", "name": ...,
"exercises": [...]}``. Unknown keys are refused (a typo must not silently drop a rule), and
every error names its path from the document's root, e.g.
``weeks[0].days[1].exercises[2].sets[0].rpe: expected 5-10, got 12``.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from typing import Any, TypeVar

from replog.core.errors import ReplogError, ValidationError
from replog.core.exercises import BUILTIN
from replog.core.plan import PlannedExercise, Program, Progression, SetPrescription, Template, Week
from replog.core.units import Load, parse_unit, to_decimal

PROGRAM_SCHEMA = "replog.program/1"
TEMPLATE_SCHEMA = "replog.template/1"
BUILTIN_KEYS = frozenset(e.key for e in BUILTIN)

T = TypeVar("T")
_SET_KEYS = {
    "reps",
    "count",
    "reps_max",
    "kind",
    "load",
    "percent_e1rm",
    "rpe",
    "rir",
    "velocity",
    "zone",
    "velocity_loss_pct",
}
_EXERCISE_KEYS = {"exercise", "sets", "rest_s", "group", "progression", "notes"}
_PROGRESSION_KEYS = {"rule", "increment", "deload_after", "deload_pct"}
_DAY_KEYS = {"schema", "name", "exercises"}
_PROGRAM_KEYS = {"schema", "name", "goal", "description", "source", "tags", "weeks"}


def _join(path: str, key: str) -> str:
    return key if not path else (path + key if key.startswith("[") else f"{path}.{key}")


def _at(path: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except ReplogError as e:
        raise e.located(field=path or None) from None


def _object(doc: object, path: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping):
        raise ValidationError(f"expected an object, got {type(doc).__name__}", path or None)
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise ValidationError(
            f"unknown key {unknown[0]!r}; expected {', '.join(sorted(allowed))}",
            field=_join(path, str(unknown[0])),
        )
    return doc


def _list(doc: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = doc.get(key)
    if not isinstance(value, list) or not value:
        raise ValidationError("expected a non-empty list", field=_join(path, key))
    return value


def _text(doc: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
    value = doc.get(key, default)
    if not isinstance(value, str):
        raise ValidationError(f"expected text, got {value!r}", field=_join(path, key))
    return value


def load_from_doc(value: object, field: str) -> Load:
    """A load as written in a plan: ``"100 kg"``, ``"225lb"`` or ``{"value", "unit"}``;
    the unit is required (a plan is shared between kilogram and pound lifters)."""
    if isinstance(value, str):
        text = value.strip().lower()
        number = text.rstrip("abcdefghijklmnopqrstuvwxyz# ")
        unit = text[len(number) :].strip()
        if not unit:
            raise ValidationError(f"give the unit, e.g. '{text} kg'", field=field)
        try:
            return Load(to_decimal(number, field), parse_unit(unit, field))
        except ReplogError as e:
            raise e.located(field=field) from None
    if isinstance(value, Mapping) and set(value) == {"value", "unit"}:
        if isinstance(value["value"], bool) or not isinstance(value["value"], int | float | str):
            raise ValidationError(f"expected a number, got {value['value']!r}", f"{field}.value")
        number_ = to_decimal(value["value"], f"{field}.value")
        return _at(field, lambda: Load(number_, parse_unit(str(value["unit"]))))
    raise ValidationError(f'expected "100 kg" or {{"value", "unit"}}, got {value!r}', field)


def load_to_doc(load: Load) -> str:
    return load.text


def set_from_dict(doc: object, path: str = "") -> SetPrescription:
    d = _object(doc, path, _SET_KEYS)
    if "reps" not in d:
        raise ValidationError(
            "required (a number, or null for as many as allowed)", _join(path, "reps")
        )
    load = None if d.get("load") is None else load_from_doc(d["load"], _join(path, "load"))
    kwargs = {k: d[k] for k in _SET_KEYS - {"load"} if k in d}
    return _at(path, lambda: SetPrescription(load=load, **kwargs))


def progression_from_dict(doc: object, path: str) -> Progression:
    d = _object(doc, path, _PROGRESSION_KEYS)
    inc = d.get("increment")
    increment = None if inc is None else load_from_doc(inc, _join(path, "increment"))
    kwargs = {k: d[k] for k in ("deload_after", "deload_pct") if k in d}
    return _at(path, lambda: Progression(d.get("rule", ""), increment, **kwargs))


def exercise_from_dict(
    doc: object, path: str = "", known: Container[str] = BUILTIN_KEYS
) -> PlannedExercise:
    d = _object(doc, path, _EXERCISE_KEYS)
    key = d.get("exercise")
    if not isinstance(key, str) or key not in known:
        raise ValidationError(
            f"expected an exercise key of the catalogue (e.g. 'back-squat'), got {key!r}",
            field=_join(path, "exercise"),
        )
    sets = tuple(
        set_from_dict(s, _join(path, f"sets[{i}]")) for i, s in enumerate(_list(d, "sets", path))
    )
    prog = d.get("progression")
    progression = None if prog is None else progression_from_dict(prog, _join(path, "progression"))
    return _at(
        path,
        lambda: PlannedExercise(
            key, sets, d.get("rest_s"), d.get("group"), progression, _text(d, "notes", "")
        ),
    )


def template_from_dict(
    doc: object, path: str = "", known: Container[str] = BUILTIN_KEYS
) -> Template:
    """A day (template, routine) from its document; ``known``: the exercise keys allowed
    (the catalogue's built-ins by default; pass the lifter's catalogue for custom lifts)."""
    d = _object(doc, path, _DAY_KEYS)
    if not path and d.get("schema", TEMPLATE_SCHEMA) != TEMPLATE_SCHEMA:
        raise ValidationError(f"expected {TEMPLATE_SCHEMA!r}", field="schema")
    exercises = tuple(
        exercise_from_dict(e, _join(path, f"exercises[{i}]"), known)
        for i, e in enumerate(_list(d, "exercises", path))
    )
    return _at(path, lambda: Template(_text(d, "name", path), exercises))


def program_from_dict(doc: object, known: Container[str] = BUILTIN_KEYS) -> Program:
    """A program from its document (see the module docstring); errors name the path."""
    d = _object(doc, "", _PROGRAM_KEYS)
    if d.get("schema") != PROGRAM_SCHEMA:
        raise ValidationError(f"expected {PROGRAM_SCHEMA!r}, got {d.get('schema')!r}", "schema")
    weeks = []
    for w, week in enumerate(_list(d, "weeks", "")):
        wpath = f"weeks[{w}]"
        wd = _object(week, wpath, {"days"})
        days = tuple(
            template_from_dict(day, f"{wpath}.days[{i}]", known)
            for i, day in enumerate(_list(wd, "days", wpath))
        )
        weeks.append(Week(days))
    tags = d.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("expected a list of text", field="tags")
    return _at(
        "",
        lambda: Program(
            _text(d, "name", ""),
            tuple(weeks),
            d.get("goal"),
            _text(d, "description", ""),
            _text(d, "source", ""),
            tuple(tags),
        ),
    )


def _number_out(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def set_to_dict(p: SetPrescription) -> dict[str, Any]:
    out: dict[str, Any] = {"reps": p.reps}
    if p.count != 1:
        out["count"] = p.count
    if p.reps_max is not None:
        out["reps_max"] = p.reps_max
    if p.kind.value != "working":
        out["kind"] = p.kind.value
    if p.load is not None:
        out["load"] = load_to_doc(p.load)
    for key in ("percent_e1rm", "rpe", "rir", "velocity", "zone", "velocity_loss_pct"):
        value = getattr(p, key)
        if value is not None:
            out[key] = value if isinstance(value, str) else _number_out(value)
    return out


def exercise_to_dict(e: PlannedExercise) -> dict[str, Any]:
    out: dict[str, Any] = {"exercise": e.exercise, "sets": [set_to_dict(s) for s in e.sets]}
    if e.rest_s is not None:
        out["rest_s"] = e.rest_s
    if e.group is not None:
        out["group"] = e.group
    if e.progression is not None:
        g = e.progression
        prog: dict[str, Any] = {"rule": g.rule}
        if g.increment is not None:
            prog["increment"] = load_to_doc(g.increment)
        prog["deload_after"], prog["deload_pct"] = g.deload_after, _number_out(g.deload_pct)
        out["progression"] = prog
    if e.notes:
        out["notes"] = e.notes
    return out


def template_to_dict(t: Template, *, schema: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": TEMPLATE_SCHEMA} if schema else {}
    out["name"] = t.name
    out["exercises"] = [exercise_to_dict(e) for e in t.exercises]
    return out


def program_to_dict(p: Program) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": PROGRAM_SCHEMA, "name": p.name}
    if p.goal is not None:
        out["goal"] = p.goal
    for key in ("description", "source"):
        if getattr(p, key):
            out[key] = getattr(p, key)
    if p.tags:
        out["tags"] = list(p.tags)
    out["weeks"] = [{"days": [template_to_dict(d, schema=False) for d in w.days]} for w in p.weeks]
    return out
