"""Other apps' exercise names onto the catalogue: the lift and its equipment must agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replog.core.exercise_match import match_exercise
from replog.core.exercises import Catalogue, Equipment, Exercise, Pattern


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Bench Press (Barbell)", "bench-press"),  # Strong / Hevy
        ("Bench Press (Dumbbell)", "dumbbell-bench-press"),
        ("Bench Press - Close Grip (Barbell)", "close-grip-bench-press"),
        ("Squat (Barbell)", "back-squat"),
        ("Squat (Smith Machine)", "smith-machine-squat"),
        ("Pull Up (Weighted)", "pull-up"),
        ("Lat Pulldown (Machine)", "lat-pulldown"),  # machine and cable are one family
        ("Leg Press Machine", "leg-press"),  # FitNotes: the equipment as a word
        ("Dumbbell Curl (Each Side)", "dumbbell-curl"),  # per dumbbell: the usual load
        ("Squat", "back-squat"),  # Liftosaur
        ("Bent Over Row", "barbell-row"),
    ],
)
def test_names_that_mean_a_catalogue_lift(name: str, key: str) -> None:
    found = match_exercise(name, Catalogue())
    assert found is not None
    assert found.key == key


@pytest.mark.parametrize(
    "name",
    [
        "Deadlift (Dumbbell)",  # not the barbell deadlift
        "Lateral Raise (Cable)",  # the catalogue's lateral raise is with dumbbells
        "Pull Up (Assisted)",  # the load is help, not resistance
        "Barbell Squat (Each Side)",  # plates on one side: half the bar's load
        "Overhead Press (Each Side, Dumbbells)",
        "Underwater Basket Weaving",
        "",
    ],
)
def test_names_that_match_nothing_for_sure(name: str) -> None:
    assert match_exercise(name, Catalogue()) is None


def test_the_lifters_own_exercise_matches_by_its_name() -> None:
    cat = Catalogue()
    cat.add(Exercise("zercher-x", "Zercher Squat", Equipment.BARBELL, Pattern.SQUAT, custom=True))
    found = match_exercise("zercher squat", cat)
    assert found is not None
    assert found.key == "zercher-x"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_name_gives_a_lift_or_none_and_never_fails(name: str) -> None:
    found = match_exercise(name, Catalogue())
    assert found is None or found.key in Catalogue()
