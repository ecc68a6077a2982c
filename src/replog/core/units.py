"""Loads as lifters say them: kilograms and pounds, kept exactly as entered.

A load keeps the number the lifter typed (a :class:`~decimal.Decimal`, so ``102.5`` stays
``102.5``) and its unit; the normalised kilogram value is derived, using the international
pound of exactly 0.45359237 kg (International Yard and Pound Agreement, 1959).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum

from replog.core.errors import ValidationError

KG_PER_LB = Decimal("0.45359237")
MAX_LOAD_KG = Decimal(1000)
"""No barbell, dumbbell or plate-loaded lift logged by a person exceeds this; above it the
input is a typo (an extra zero) rather than a record."""


class Unit(StrEnum):
    KG = "kg"
    LB = "lb"


_UNIT_WORDS = {
    "kg": Unit.KG,
    "kgs": Unit.KG,
    "kilo": Unit.KG,
    "kilos": Unit.KG,
    "lb": Unit.LB,
    "lbs": Unit.LB,
    "pound": Unit.LB,
    "pounds": Unit.LB,
    "#": Unit.LB,
}

_LOAD_RE = re.compile(r"^\s*(?P<num>[+-]?(\d+(\.\d*)?|\.\d+))\s*(?P<unit>[a-z#]*)\s*$", re.I)


def parse_unit(text: str, field: str = "unit") -> Unit:
    unit = _UNIT_WORDS.get(text.strip().lower())
    if unit is None:
        raise ValidationError(f"expected a unit kg or lb, got {text!r}", field=field)
    return unit


@dataclass(frozen=True, slots=True)
class Load:
    """An external load: the value as entered and its unit."""

    value: Decimal
    unit: Unit
    kg: float = field(init=False, repr=False, compare=False)
    """Normalised kilograms, rounded to the gram (225 lb -> 102.058); computed once."""

    def __post_init__(self) -> None:
        value: object = self.value
        if not isinstance(value, Decimal):
            object.__setattr__(self, "value", to_decimal(value, "load"))
        unit: object = self.unit
        if not isinstance(unit, Unit):
            object.__setattr__(self, "unit", parse_unit(str(unit), "unit"))
        if not self.value.is_finite():
            raise ValidationError("load must be a finite number", field="load")
        if self.value < 0:
            raise ValidationError(f"load cannot be negative, got {self.text}", field="load")
        if self.value.adjusted() > 6:  # a million or more: 1e1000001 would overflow below
            raise ValidationError(f"load {self.value:.3g} is far over {MAX_LOAD_KG} kg", "load")
        if self.exact_kg > MAX_LOAD_KG:
            raise ValidationError(
                f"load {self.text} is over {MAX_LOAD_KG} kg; is there an extra digit?",
                field="load",
            )
        kg = float(self.exact_kg.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN))
        object.__setattr__(self, "kg", kg)

    @property
    def exact_kg(self) -> Decimal:
        return self.value if self.unit is Unit.KG else self.value * KG_PER_LB

    @property
    def text(self) -> str:
        return f"{format_decimal(self.value)} {self.unit.value}"

    def in_unit(self, unit: Unit) -> Decimal:
        """This load expressed in ``unit`` (exact, not rounded)."""
        if unit is self.unit:
            return self.value
        return self.exact_kg if unit is Unit.KG else self.exact_kg / KG_PER_LB


def to_decimal(value: object, field: str) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"expected a number, got {value!r}", field=field) from None
    if not result.is_finite():
        raise ValidationError(f"expected a finite number, got {value!r}", field=field)
    return result


def format_decimal(value: Decimal) -> str:
    """``Decimal('100.0')`` -> ``'100.0'``; never scientific notation."""
    return format(value, "f")


def parse_load(text: str, default_unit: Unit, field: str = "load") -> Load:
    """Parse a load the way lifters write it: ``100kg``, ``225lb``, ``225 lbs``, ``102.5``.

    A bare number takes the athlete's ``default_unit``; ``bw`` (body weight only) is 0.
    """
    raw = text.strip()
    if raw.lower() in {"bw", "bodyweight"}:
        return Load(Decimal(0), default_unit)
    match = _LOAD_RE.match(raw.replace(",", "."))
    if not match:
        raise ValidationError(
            f"expected a load like 100kg, 225lb or 102.5, got {text!r}", field=field
        )
    unit = parse_unit(match["unit"], field) if match["unit"] else default_unit
    return Load(to_decimal(match["num"], field), unit)


def round_to_increment(kg: float, increment_kg: float) -> float:
    """Round a load to what the plates allow (e.g. 2.5 kg with 1.25 kg change plates)."""
    if increment_kg <= 0:
        raise ValidationError("plate increment must be positive", field="increment")
    return round(round(kg / increment_kg) * increment_kg, 6)


_LB_MARKS = frozenset(Decimal(v) for v in (45, 95, 135, 185, 225, 275, 315, 365, 405, 455, 495))
"""The empty 45 lb bar and the bar with pairs of 25 and 45 lb plates: the loads pound
lifters log most, and rarely kilogram lifters."""


def plate_unit(values: list[Decimal]) -> tuple[Unit | None, int, int]:
    """Which unit a log's plain numbers look like, from how plates add up: ``(unit or None,
    pound evidence, kilogram evidence)``. Both units load in multiples of 5 often, so only
    what tells them apart counts: pound lifters' marks (45, 95, 135, 225, 315...: the bar
    and 25/45 lb plate pairs), and kilogram lifters' 2.5 and 1.25 kg steps (102.5, 61.25:
    a pound lifter's plates give multiples of 5 unless 2.5 lb plates are used). A unit is
    named only when its evidence is at least 5 and three times the other's; otherwise the
    numbers could be either, and nothing is claimed."""
    lb = sum(1 for v in values if v in _LB_MARKS)
    kg = sum(1 for v in values if v > 0 and v % 5 != 0 and (v * 4) % 5 == 0)
    if lb >= 5 and lb >= 3 * kg:
        return Unit.LB, lb, kg
    if kg >= 5 and kg >= 3 * lb:
        return Unit.KG, lb, kg
    return None, lb, kg
