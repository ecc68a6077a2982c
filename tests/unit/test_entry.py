from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.entry import parse_set_entry
from replog.core.errors import ValidationError
from replog.core.units import Unit


@pytest.mark.parametrize(
    ("text", "exercise", "load", "unit", "reps", "sets", "rpe", "rir"),
    [
        ("squat 200lb x5 @8", "squat", "200", "lb", 5, 1, 8.0, None),
        ("bench press 100x5 @8.5", "bench press", "100", "kg", 5, 1, 8.5, None),
        ("deadlift 180 3x3 rir2", "deadlift", "180", "kg", 3, 3, None, 2.0),
        ("ohp 60 kg x 5", "ohp", "60", "kg", 5, 1, None, None),
        ("sq 100 x 5 @ 9", "sq", "100", "kg", 5, 1, 9.0, None),
        ("squat 102.5kg 5reps", "squat", "102.5", "kg", 5, 1, None, None),
        ("pull-up bw x8", "pull-up", "0", "kg", 8, 1, None, None),
        ("Bench 225lbsx3 rpe9", "Bench", "225", "lb", 3, 1, 9.0, None),
    ],
)
def test_sets_parse_as_said(text, exercise, load, unit, reps, sets, rpe, rir):
    e = parse_set_entry(text.split(), Unit.KG)
    assert e.exercise == exercise
    assert e.load is not None
    assert e.load.value == Decimal(load)
    assert e.load.unit.value == unit
    assert (e.reps, e.sets, e.rpe, e.rir) == (reps, sets, rpe, rir)


def test_a_load_is_optional_for_the_parser():
    e = parse_set_entry(["chin-up", "x10"], Unit.KG)
    assert e.load is None
    assert e.reps == 10


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("squat 100kg", "reps"),
        ("squat 100kg x5 please", "set"),
        ("x5", "exercise"),
        ("squat 100 25x5", "sets"),
    ],
)
def test_unclear_entries_name_what_is_missing(text, field):
    with pytest.raises(ValidationError) as err:
        parse_set_entry(text.split(), Unit.KG)
    assert err.value.field == field


@given(
    load=st.decimals(min_value=0, max_value=999, places=1),
    reps=st.integers(1, 50),
    rpe=st.sampled_from([None, *[x / 2 for x in range(2, 21)]]),
    unit=st.sampled_from(["kg", "lb", ""]),
)
def test_any_well_formed_entry_round_trips(load, reps, rpe, unit):
    text = f"back squat {load}{unit} x{reps}" + (f" @{rpe:g}" if rpe is not None else "")
    e = parse_set_entry(text.split(), Unit.LB)
    assert e.load is not None
    assert e.load.value == load
    assert e.load.unit is (Unit.KG if unit == "kg" else Unit.LB)
    assert e.reps == reps
    assert e.rpe == rpe
