import pytest

from replog.core.errors import UnknownExerciseError, ValidationError
from replog.core.exercises import BUILTIN, Catalogue, Equipment, Exercise, Pattern


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("squat", "back-squat"),
        ("Back Squat", "back-squat"),
        ("OHP", "overhead-press"),
        ("bench", "bench-press"),
        ("Pull-Ups", "pull-up"),
        ("rdl", "romanian-deadlift"),
        ("deadlifts", "deadlift"),
        ("back-squat", "back-squat"),
    ],
)
def test_names_and_aliases_resolve(name, key):
    assert Catalogue().resolve(name).key == key


def test_unknown_name_suggests_the_nearest():
    with pytest.raises(UnknownExerciseError) as err:
        Catalogue().resolve("sqaut")
    assert "Back Squat" in err.value.suggestions
    assert "did you mean" in str(err.value)


def test_catalogue_covers_the_families_the_issue_names():
    equipment = {e.equipment for e in BUILTIN}
    assert {
        Equipment.BARBELL,
        Equipment.DUMBBELL,
        Equipment.MACHINE,
        Equipment.BODYWEIGHT,
    } <= equipment
    assert len(BUILTIN) >= 40
    assert len({e.key for e in BUILTIN}) == len(BUILTIN)


def test_velocity_defaults_follow_the_literature_ordering():
    cat = Catalogue()
    # bench press has the lowest velocity at 1RM of the big lifts, the squat a higher one
    assert cat.get("bench-press").mvt < cat.get("back-squat").mvt
    assert cat.get("deadlift").concentric_first


def test_custom_exercise_joins_without_stealing_builtin_names():
    cat = Catalogue()
    cat.add(
        Exercise(
            "zercher-squat", "Zercher Squat", "barbell", Pattern.SQUAT, ("squat", "zs"), custom=True
        )
    )
    assert cat.resolve("zs").key == "zercher-squat"
    assert cat.resolve("squat").key == "back-squat"


def test_bad_keys_are_refused():
    with pytest.raises(ValidationError):
        Exercise("Bad Key", "x", Equipment.OTHER, Pattern.OTHER)
