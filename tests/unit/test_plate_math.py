"""Loadable weights: the bar plus pairs of the plates to hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.gear import DEFAULT_GEAR, BarAndPlates
from replog.core.plate_math import loadable, plates_per_side, smallest_jump
from replog.core.units import Unit

KG, LB = DEFAULT_GEAR[Unit.KG], DEFAULT_GEAR[Unit.LB]


def test_rounding_to_the_default_plates() -> None:
    assert loadable(101.0, KG) == 100.0
    assert loadable(101.3, KG) == 102.5
    assert loadable(101.25, KG) == 100.0  # ties go lighter
    assert loadable(104.9, KG, "down") == 102.5
    assert loadable(100.1, KG, "up") == 102.5
    assert loadable(10.0, KG) == 20.0  # never below the bar
    assert loadable(226.0, LB) == 225.0
    assert smallest_jump(KG) == 2.5
    assert smallest_jump(LB) == 5.0


def test_odd_gear_is_handled_exactly() -> None:
    g = BarAndPlates(15, (10, 1))
    assert smallest_jump(g) == 2.0
    assert loadable(18.0, g) == 17.0 or loadable(18.0, g) == 19.0
    assert plates_per_side(37.0, g) == (10.0, 1.0)
    with pytest.raises(ValidationError):
        plates_per_side(36.0, g)


def test_plates_per_side_for_a_kilogram_total() -> None:
    assert plates_per_side(142.5, KG) == (20.0, 20.0, 20.0, 1.25)
    assert plates_per_side(20.0, KG) == ()


@given(target=st.floats(0, 500), unit=st.sampled_from([Unit.KG, Unit.LB]))
def test_loadable_is_makeable_and_close(target: float, unit: Unit) -> None:
    gear = DEFAULT_GEAR[unit]
    near = loadable(target, gear)
    down = loadable(target, gear, "down")
    up = loadable(target, gear, "up")
    assert down <= max(target, gear.bar) + 0.01  # plates are counted in hundredths
    assert max(target, gear.bar) <= up + 0.01
    assert near in (down, up)
    assert up - down <= smallest_jump(gear) + 1e-9
    plates_per_side(near, gear)  # makeable
