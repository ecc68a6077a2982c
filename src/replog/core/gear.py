"""A lifter's bar and plates, per unit: what Drive's plate math loads the bar with.

By default a commercial gym's: a 20 kg or 45 lb bar and the common iron plates, without the
25 kg / 55 lb bumpers not every gym has. A lifter who trains with a 15 kg bar or owns
fractional plates sets their own, and it travels with their account.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from replog.core.errors import ValidationError
from replog.core.units import Unit

MAX_BAR = 60.0
"""Heaviest bar accepted, in either unit: a 45 kg safety-squat or a 55 lb trap bar fit."""
MAX_PLATE = 60.0
MAX_SIZES = 15


def _finite(x: object) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)


@dataclass(frozen=True, slots=True)
class BarAndPlates:
    """A bar's weight and the plate sizes to hand (largest first, each size once)."""

    bar: float
    plates: tuple[float, ...]

    def __post_init__(self) -> None:
        if not _finite(self.bar) or not 0 <= self.bar <= MAX_BAR:
            raise ValidationError(f"the bar weighs 0 to {MAX_BAR:g}, got {self.bar!r}", field="bar")
        plates = tuple(self.plates)
        if not plates:
            raise ValidationError("give at least one plate size", field="plates")
        if len(plates) > MAX_SIZES:
            raise ValidationError(f"at most {MAX_SIZES} plate sizes", field="plates")
        for p in plates:
            if not _finite(p) or not 0 < p <= MAX_PLATE:
                raise ValidationError(
                    f"a plate weighs more than 0 and at most {MAX_PLATE:g}, got {p!r}",
                    field="plates",
                )
        if len(set(plates)) != len(plates):
            raise ValidationError("each plate size once", field="plates")
        object.__setattr__(self, "bar", float(self.bar))
        object.__setattr__(self, "plates", tuple(sorted(map(float, plates), reverse=True)))

    def to_dict(self) -> dict[str, Any]:
        return {"bar": self.bar, "plates": list(self.plates)}


DEFAULT_GEAR: Mapping[Unit, BarAndPlates] = {
    Unit.KG: BarAndPlates(20.0, (20.0, 15.0, 10.0, 5.0, 2.5, 1.25)),
    Unit.LB: BarAndPlates(45.0, (45.0, 35.0, 25.0, 10.0, 5.0, 2.5)),
}


OwnGear = tuple[tuple[Unit, BarAndPlates], ...]
"""A lifter's own bar and plates by unit, in unit order; a unit not there uses the defaults."""


def with_gear(own: OwnGear, unit: Unit, gear: BarAndPlates | None) -> OwnGear:
    """``own`` with ``unit``'s gear set, or back to the defaults (None)."""
    kept = {u: g for u, g in own if u != unit}
    if gear is not None:
        kept[unit] = gear
    return tuple(sorted(kept.items()))


def gear_from_dict(doc: Mapping[str, Any] | None) -> OwnGear:
    """``{"kg": {"bar": 20, "plates": [...]}, ...}`` (as stored and exported) to gear by
    unit; a unit left out keeps the defaults. Errors name ``gear.<unit>.<field>``."""
    out: dict[Unit, BarAndPlates] = {}
    if not doc:
        return ()
    if not isinstance(doc, Mapping):
        raise ValidationError("expected an object keyed by unit (kg, lb)", field="gear")
    for key, value in doc.items():
        if key not in ("kg", "lb"):
            raise ValidationError(f"unknown unit {key!r}: kg or lb", field="gear")
        if not isinstance(value, Mapping) or not isinstance(value.get("plates"), list):
            raise ValidationError("expected {bar: number, plates: [numbers]}", field=f"gear.{key}")
        try:
            out[Unit(key)] = BarAndPlates(value.get("bar"), tuple(value["plates"]))  # type: ignore[arg-type]
        except ValidationError as e:
            raise e.located(field=f"gear.{key}") from None
    return tuple(sorted(out.items()))


def gear_to_dict(own: OwnGear) -> dict[str, Any] | None:
    """The lifter's own gear for storage and export; None when they use the defaults."""
    if not own:
        return None
    return {u.value: g.to_dict() for u, g in own}
