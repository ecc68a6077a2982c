"""A lifter's bar and plates: checked on construction, stored and exported as JSON by unit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.gear import (
    DEFAULT_GEAR,
    BarAndPlates,
    gear_from_dict,
    gear_to_dict,
    with_gear,
)
from replog.core.model import Athlete
from replog.core.units import Unit


def test_plates_are_kept_largest_first_as_floats() -> None:
    g = BarAndPlates(15, (1.25, 20, 2.5))
    assert (g.bar, g.plates) == (15.0, (20.0, 2.5, 1.25))


@pytest.mark.parametrize(
    ("bar", "plates", "field", "says"),
    [
        (-1, (20,), "bar", "0 to 60"),
        (61, (20,), "bar", "0 to 60"),
        (float("nan"), (20,), "bar", "0 to 60"),
        (True, (20,), "bar", "0 to 60"),
        (20, (), "plates", "at least one"),
        (20, (20, 0), "plates", "more than 0"),
        (20, (20, 61), "plates", "at most 60"),
        (20, (20, 20.0), "plates", "once"),
        (20, tuple(range(1, 17)), "plates", "at most 15"),
    ],
)
def test_impossible_gear_is_refused_naming_the_field(bar, plates, field, says) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        BarAndPlates(bar, plates)
    assert caught.value.field == field


def test_a_lifter_without_their_own_gear_loads_the_gym_defaults() -> None:
    a = Athlete("a", "ana")
    assert a.gear_for(Unit.KG) == BarAndPlates(20, (20, 15, 10, 5, 2.5, 1.25))
    assert a.gear_for(Unit.LB).bar == 45
    own = BarAndPlates(15, (20, 10, 5, 2.5, 1.25, 0.5))
    b = Athlete("b", "bo", gear=((Unit.KG, own),))
    assert b.gear_for(Unit.KG) == own
    assert b.gear_for(Unit.LB) == DEFAULT_GEAR[Unit.LB]
    hash(b)  # still a value: usable as a key


def test_one_gear_per_unit() -> None:
    g = DEFAULT_GEAR[Unit.KG]
    with pytest.raises(ValidationError, match="per unit") as caught:
        Athlete("a", "ana", gear=((Unit.KG, g), (Unit.KG, g)))
    assert caught.value.field == "gear"


def test_setting_and_resetting_a_unit_leaves_the_other_alone() -> None:
    kg, lb = BarAndPlates(15, (20,)), BarAndPlates(35, (45,))
    own = with_gear(with_gear((), Unit.LB, lb), Unit.KG, kg)
    assert own == ((Unit.KG, kg), (Unit.LB, lb))
    assert with_gear(own, Unit.KG, None) == ((Unit.LB, lb),)
    assert with_gear(own, Unit.KG, BarAndPlates(10, (5,)))[0][1].bar == 10


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([1], "gear"),
        ({"st": {"bar": 6, "plates": [1]}}, "gear"),
        ({"kg": {"bar": 20}}, "gear.kg"),
        ({"kg": {"bar": 20, "plates": "20,10"}}, "gear.kg"),
        ({"kg": {"bar": 99, "plates": [20]}}, "gear.kg.bar"),
        ({"lb": {"bar": 45, "plates": [45, -5]}}, "gear.lb.plates"),
    ],
)
def test_stored_or_imported_gear_that_is_wrong_names_where(doc, field) -> None:
    with pytest.raises(ValidationError) as caught:
        gear_from_dict(doc)
    assert caught.value.field == field


def test_no_own_gear_is_stored_as_nothing() -> None:
    assert gear_to_dict(()) is None
    assert gear_from_dict(None) == ()
    assert gear_from_dict({}) == ()


SIZES = [25, 20, 15, 10, 5, 2.5, 2, 1.25, 1, 0.5, 0.25, 45, 35]
GEAR = st.builds(
    BarAndPlates,
    st.floats(0, 60, allow_nan=False),
    st.lists(st.sampled_from(SIZES), min_size=1, max_size=13, unique=True).map(tuple),
)


@given(st.dictionaries(st.sampled_from(list(Unit)), GEAR, max_size=2))
def test_gear_survives_its_json_form(by_unit: dict[Unit, BarAndPlates]) -> None:
    own = tuple(sorted(by_unit.items()))
    assert gear_from_dict(gear_to_dict(own)) == own
