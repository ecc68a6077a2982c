"""Parse a set the way a lifter says it between sets.

``squat 200lb x5 @8``, ``bench press 100x5 @8.5``, ``deadlift 180 3x3 rir2``,
``pull-up bw x8``, ``ohp 60 kg x 5``. The exercise is the leading words; then a load
(a bare number takes the athlete's unit), reps after ``x`` (``3x5`` after a load means three
sets of five), RPE after ``@`` and RIR as ``rir2``. The exercise name is resolved later,
against the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replog.core.errors import ValidationError
from replog.core.units import Load, Unit, parse_load, to_decimal

_NUM = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?:kgs?|lbs?|#)"
_LOAD_X_REPS = re.compile(rf"^(?P<load>-?{_NUM}\s*{_UNIT}?|bw)x(?P<reps>\d+)$", re.I)
_SETS_X_REPS = re.compile(r"^(?P<sets>\d+)x(?P<reps>\d+)$", re.I)
_REPS = re.compile(r"^(?:x(?P<a>\d+)|(?P<b>\d+)(?:r|reps?))$", re.I)
_RPE = re.compile(rf"^(?:@|rpe)(?P<v>{_NUM})$", re.I)
_RIR = re.compile(rf"^(?:rir(?P<a>{_NUM})|(?P<b>{_NUM})rir)$", re.I)
_LOAD = re.compile(rf"^(?:-?{_NUM}\s*{_UNIT}?|bw|bodyweight)$", re.I)  # sign: to refuse it
_UNIT_ONLY = re.compile(rf"^{_UNIT}$", re.I)


@dataclass(frozen=True, slots=True)
class SetEntry:
    exercise: str
    load: Load | None
    reps: int
    sets: int = 1
    rpe: float | None = None
    rir: float | None = None


def _glue(words: list[str]) -> list[str]:
    """Join tokens split by spaces: ``225 lb`` -> ``225lb``, ``@ 8`` -> ``@8``, ``x 5``."""
    tokens = [t for w in words for t in w.split()]
    out: list[str] = []
    for tok in tokens:
        prev = out[-1] if out else ""
        unit_after_number = _UNIT_ONLY.match(tok) and re.fullmatch(_NUM, prev)
        if out and (unit_after_number or prev.lower() in {"@", "x", "rpe", "rir"}):
            out[-1] = prev + tok
        elif out and tok.lower() == "x" and re.fullmatch(rf"{_NUM}{_UNIT}?", prev, re.I):
            out[-1] = prev + "x"
        elif out and prev.lower().endswith("x") and re.fullmatch(r"\d+", tok) and prev[:-1]:
            out[-1] = prev + tok
        else:
            out.append(tok)
    return out


def _is_value_token(tok: str) -> bool:
    return any(
        p.match(tok) for p in (_LOAD_X_REPS, _SETS_X_REPS, _REPS, _RPE, _RIR, _LOAD)
    ) or tok in {"@", "x", "X"}


def parse_set_entry(words: list[str], default_unit: Unit) -> SetEntry:
    """Parse ``words`` (as typed, possibly one string) into a :class:`SetEntry`."""
    tokens = _glue(words)
    split = next((i for i, t in enumerate(tokens) if _is_value_token(t)), len(tokens))
    name = " ".join(tokens[:split]).strip()
    if not name:
        raise ValidationError("name the exercise first, e.g. 'squat 100kg x5'", field="exercise")
    load: Load | None = None
    reps: int | None = None
    sets = 1
    rpe: float | None = None
    rir: float | None = None
    for tok in tokens[split:]:
        if m := _LOAD_X_REPS.match(tok) if load is None else None:
            load = parse_load(m["load"], default_unit)
            reps = int(m["reps"])
        elif (m := _SETS_X_REPS.match(tok)) and load is not None:
            sets, reps = int(m["sets"]), int(m["reps"])
        elif m := _REPS.match(tok):
            reps = int(m["a"] or m["b"])
        elif m := _RPE.match(tok):
            rpe = float(to_decimal(m["v"].replace(",", "."), "rpe"))
        elif m := _RIR.match(tok):
            rir = float(to_decimal((m["a"] or m["b"]).replace(",", "."), "rir"))
        elif _LOAD.match(tok) and load is None:
            load = parse_load(tok, default_unit)
        else:
            raise ValidationError(
                f"did not understand {tok!r}; write e.g. 'squat 100kg x5 @8'", field="set"
            )
    if reps is None:
        raise ValidationError("how many reps? add e.g. 'x5'", field="reps")
    if not 1 <= sets <= 20:
        raise ValidationError(f"sets must be between 1 and 20, got {sets}", field="sets")
    return SetEntry(name, load, reps, sets, rpe, rir)
