"""Other apps' exercise names onto the catalogue: the lift and its equipment must agree."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replog.core.exercise_match import match_exercise
from replog.core.exercise_names import APP_NAMES, DROPPABLE, english_words
from replog.core.exercises import BUILTIN, Catalogue, Equipment, Exercise, Pattern

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "imports"


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


# the apps' default libraries: the main barbell, dumbbell and machine lifts
FITNOTES = [
    ("Flat Barbell Bench Press", "bench-press"),
    ("Incline Barbell Bench Press", "incline-bench-press"),
    ("Close Grip Barbell Bench Press", "close-grip-bench-press"),
    ("Flat Dumbbell Bench Press", "dumbbell-bench-press"),
    ("Incline Dumbbell Bench Press", "dumbbell-incline-press"),
    ("Barbell Back Squat", "back-squat"),
    ("Barbell Squat", "back-squat"),
    ("Barbell Front Squat", "front-squat"),
    ("Deadlift", "deadlift"),
    ("Romanian Deadlift", "romanian-deadlift"),
    ("Overhead Press", "overhead-press"),
    ("Standing Military Press", "overhead-press"),
    ("Barbell Row", "barbell-row"),
    ("Pendlay Row", "pendlay-row"),
    ("Seated Dumbbell Press", "seated-dumbbell-press"),
    ("Lateral Dumbbell Raise", "lateral-raise"),
    ("Front Dumbbell Raise", "front-raise"),
    ("Lat Pulldown", "lat-pulldown"),
    ("Seated Cable Row", "seated-cable-row"),
    ("Leg Press", "leg-press"),
    ("Leg Extension Machine", "leg-extension"),
    ("Lying Leg Curl Machine", "leg-curl"),
    ("Standing Calf Raise Machine", "calf-raise"),
    ("Seated Calf Raise Machine", "seated-calf-raise"),
    ("Dumbbell Curl", "dumbbell-curl"),
    ("Barbell Curl", "barbell-curl"),
    ("EZ-Bar Curl", "barbell-curl"),
    ("EZ-Bar Skullcrusher", "skull-crusher"),
    ("Rope Push Down", "triceps-pushdown"),
    ("V-Bar Push Down", "triceps-pushdown"),
    ("Cable Face Pull", "face-pull"),
    ("Smith Machine Squat", "smith-machine-squat"),
]
FITBOD = [
    ("Barbell Bench Press", "bench-press"),
    ("Back Squat", "back-squat"),
    ("Deadlift", "deadlift"),
    ("Barbell Shoulder Press", "overhead-press"),
    ("Dumbbell Bench Press", "dumbbell-bench-press"),
    ("Romanian Deadlift", "romanian-deadlift"),
    ("Bent Over Barbell Row", "barbell-row"),
    ("Barbell Incline Bench Press", "incline-bench-press"),
    ("Leg Press", "leg-press"),
    ("Machine Leg Press", "leg-press"),
    ("Lat Pulldown", "lat-pulldown"),
    ("Wide Grip Lat Pulldown", "lat-pulldown"),
    ("Cable Row", "seated-cable-row"),
    ("Stiff-Legged Deadlift", "stiff-leg-deadlift"),
    ("Dumbbell Shoulder Press", "seated-dumbbell-press"),
]
JEFIT = [
    ("Barbell Bench Press", "bench-press"),
    ("Barbell Squat", "back-squat"),
    ("Barbell Deadlift", "deadlift"),
    ("Barbell Shoulder Press", "overhead-press"),
    ("Barbell Bent Over Row", "barbell-row"),
    ("Barbell Romanian Deadlift", "romanian-deadlift"),
    ("Dumbbell Bench Press", "dumbbell-bench-press"),
    ("Dumbbell Seated Shoulder Press", "seated-dumbbell-press"),
    ("Dumbbell One Arm Row", "dumbbell-row"),
    ("Dumbbell Alternate Bicep Curl", "dumbbell-curl"),
    ("Machine Leg Extension", "leg-extension"),
    ("Machine Seated Leg Curl", "leg-curl"),
    ("Cable Seated Row", "seated-cable-row"),
]
STRONG_HEVY = [
    ("Bench Press (Barbell)", "bench-press"),
    ("Squat (Barbell)", "back-squat"),
    ("Deadlift (Barbell)", "deadlift"),
    ("Overhead Press (Barbell)", "overhead-press"),
    ("Bent Over Row (Barbell)", "barbell-row"),
    ("Front Squat (Barbell)", "front-squat"),
    ("Romanian Deadlift (Barbell)", "romanian-deadlift"),
    ("Incline Bench Press (Barbell)", "incline-bench-press"),
    ("Incline Bench Press (Dumbbell)", "dumbbell-incline-press"),
    ("Seated Overhead Press (Dumbbell)", "seated-dumbbell-press"),
    ("Bent Over One Arm Row (Dumbbell)", "dumbbell-row"),
    ("Deadlift (Trap bar)", "trap-bar-deadlift"),  # a variant before the lift, too
    ("Lat Pulldown - Wide Grip (Cable)", "lat-pulldown"),
    ("Triceps Pushdown (Cable - Straight Bar)", "triceps-pushdown"),
    ("Bicep Curl (Barbell)", "barbell-curl"),
    ("Butterfly (Pec Deck)", "pec-deck"),  # the variant names the same lift
    ("Chest Fly (Machine)", "pec-deck"),
    ("Straight Leg Deadlift", "stiff-leg-deadlift"),
    ("EZ Bar Biceps Curl", "barbell-curl"),
]
LIFTOSAUR = [
    ("Romanian Deadlift, Barbell", "romanian-deadlift"),
    ("Incline Bench Press, Dumbbell", "dumbbell-incline-press"),
    ("Bench Press Close Grip", "close-grip-bench-press"),
    ("Squat, Smith Machine", "smith-machine-squat"),
    ("Standing Calf Raise, Leverage Machine", "calf-raise"),
    ("Chest Press, Leverage Machine", "chest-press-machine"),
    ("Bicep Curl, EZ Bar", "barbell-curl"),
    ("Bent Over One Arm Row", "dumbbell-row"),
]
GYMBOOK_ITALIAN = [
    ("Panca piana con bilanciere", "bench-press"),
    ("Distensioni su Panca Piana con Bilanciere", "bench-press"),
    ("Distensioni su Panca Piana con Bilanciere a Presa Stretta", "close-grip-bench-press"),
    ("Distensioni su Panca Inclinata con Bilanciere", "incline-bench-press"),
    ("Panca inclinata con manubri", "dumbbell-incline-press"),
    ("Squat con bilanciere", "back-squat"),
    ("Squat frontale", "front-squat"),
    ("Squat alla Smith Machine", "smith-machine-squat"),
    ("Hack Squat alla Macchina", "hack-squat"),
    ("Stacco da terra", "deadlift"),
    ("Stacco da terra con bilanciere", "deadlift"),
    ("Stacco Rumeno con Bilanciere", "romanian-deadlift"),
    ("Stacco con Bilanciere a Gambe Tese", "stiff-leg-deadlift"),
    ("Lento avanti", "overhead-press"),
    ("Lento Frontale Con Asta", "overhead-press"),
    ("Rematore con bilanciere", "barbell-row"),
    ("Rematore a Una Mano con Manubrio", "dumbbell-row"),
    ("Rematore al Cavo da Seduti", "seated-cable-row"),
    ("Lat Pull-Downs al Cavo Alto a Presa Larga", "lat-pulldown"),
    ("Distensioni Sopra la Testa alla Macchina", "shoulder-press-machine"),
    ("Distensioni delle Gambe", "leg-press"),
    ("Estensioni delle Gambe", "leg-extension"),
    ("Flessioni delle Gambe da Seduti", "leg-curl"),
    ("Curl con bilanciere", "barbell-curl"),
    ("Curls Alternati con Manubri", "dumbbell-curl"),
    ("Curls al Cavo Basso", "cable-curl"),
    ("French Presses con Barra EZ da Sdraiati", "skull-crusher"),
    ("Trazioni alla Sbarra", "pull-up"),
    ("Dips alle Parallele", "dip"),
    ("Panca piana al multipower", "smith-machine-bench-press"),
]


@pytest.mark.parametrize(
    ("name", "key"), FITNOTES + FITBOD + JEFIT + STRONG_HEVY + LIFTOSAUR + GYMBOOK_ITALIAN
)
def test_the_apps_names_for_the_main_lifts(name: str, key: str) -> None:
    found = match_exercise(name, Catalogue())
    assert found is not None, name
    assert found.key == key


@pytest.mark.parametrize(
    "name",
    [
        "Flat Barbell Bench Press (Each Side) (Smith Machine)",  # two kinds of equipment
        "Incline Bench Press (Smith Machine)",  # a Smith machine is not the barbell
        "Smith Machine Overhead Press",
        "Smith Machine Calf Raise",  # nor any other machine
        "Hack Squat, Smith Machine",
        "Bench Press (With Bar, Each Side)",  # plates on one side
        "Seated Barbell Shoulder Press",  # seated changes the overhead press
        "Seated Overhead Press (Barbell)",
        "Lento avanti da seduto",
        "Seated Leg Press",  # not the sled leg press
        "Distensioni delle Gambe da Seduti",
        "Leg Press Horizontal (Machine)",
        "Dumbbell Bent Over Row",  # two dumbbells, unsupported: not the one-arm row
        "Bent Over Row (Dumbbell)",
        "Romanian Deadlift (Dumbbell)",
        "Stacco con Manubri",
        "Affondi con Bilanciere",  # the catalogue's lunge is with dumbbells
        "Decline Barbell Bench Press",
        "Machine Bench Press",
        "Chest Press (Cable)",  # a cable press is not the chest press machine
        "Bicep Curl",  # barbell in Strong, dumbbell in Liftosaur: no one lift
        "Shoulder Press",
        "Standing Dumbbell Shoulder Press",  # the catalogue's dumbbell press is seated
        "Seated Calf Raise Machine (Each Side)",
        "Military Press Con Elastico",  # a band's load
        "Assisted Pull Up",
        "Tricipiti al Cavo",  # triceps on a cable: which exercise is not said
        "Lat Pull-Downs al Cavo Alto a Presa Inversa",
        "Barbell Dumbbell Row",
        "Triceps Pushdown (Easy Cable)",  # the lifter keeps two cable stacks apart
    ],
)
def test_names_that_are_not_a_catalogue_lift_stay_unmatched(name: str) -> None:
    assert match_exercise(name, Catalogue()) is None


@pytest.mark.parametrize(
    ("italian", "english"),
    [
        ("squat con bilanciere", "squat barbell"),
        ("flessioni delle gambe da seduti", "seated leg curl"),  # modifiers go first
        ("curls concentrati", "concentration curl"),
        ("stretching con asta a terra", "stretching barbell a terra"),  # unknown words stay
    ],
)
def test_italian_is_read_into_english_words(italian: str, english: str) -> None:
    assert english_words(italian.split()) == english.split()


def test_the_name_tables_name_catalogue_lifts() -> None:
    keys = {e.key for e in BUILTIN}
    assert set(APP_NAMES.values()) <= keys
    assert all(allowed <= keys for allowed in DROPPABLE.values())
    cat = Catalogue()
    assert all(cat.find(name) is None for name in APP_NAMES)  # not already an alias


# real exports: each app's name as it is in the file -> the lift it means (None: no lift)
REAL_FILES: list[tuple[str, str, dict[str, str | None]]] = [
    (
        "fitnotes/fitnotes_unit_column.csv",
        "Exercise",
        {
            "Lat Pulldown": "lat-pulldown",
            "Seated Cable Row": "seated-cable-row",
            "Leg Press Machine": "leg-press",
            "Romanian Deadlift": "romanian-deadlift",
            "Sumo Deadlift": "sumo-deadlift",
            "Barbell Curl": "barbell-curl",
            "Incline Dumbbell Bench Press": "dumbbell-incline-press",
            "Lying Leg Curl Machine": "leg-curl",
            "Standing Calf Raise Machine": "calf-raise",
            "Rope Push Down": "triceps-pushdown",
            "Cable Face Pull": "face-pull",
            "Chest Press Machine": "chest-press-machine",
            "Flat Barbell Bench Press (Each Side) (Smith Machine)": None,
            "Barbell Squat (Each Side)": None,
            "Bench Press (With Bar, Each Side)": None,
            "Overhead Press (Each Side, Dumbbells)": None,
            "Smith Machine Overhead Press": None,
            "Squat Machine (Each Side)": None,
        },
    ),
    (
        "fitbod/fitbod_workouts.csv",
        "Exercise",
        {
            "Barbell Bench Press": "bench-press",
            "Back Squat": "back-squat",
            "Front Squat": "front-squat",
            "Deadlift": "deadlift",
            "Romanian Deadlift": "romanian-deadlift",
            "Bent Over Barbell Row": "barbell-row",
            "Barbell Shoulder Press": "overhead-press",
            "Barbell Incline Bench Press": "incline-bench-press",
            "Dumbbell Bench Press": "dumbbell-bench-press",
            "Dumbbell Incline Bench Press": "dumbbell-incline-press",
            "Machine Leg Press": "leg-press",
            "Lat Pulldown": "lat-pulldown",
            "Wide Grip Lat Pulldown": "lat-pulldown",
            "EZ-Bar Curl": "barbell-curl",
            "Seated Barbell Shoulder Press": None,
            "Dumbbell Bent Over Row": None,
            "Dumbbell Stiff Legged Deadlift": None,
            "Machine Bench Press": None,
            "Smith Machine Bent Over Row": None,
            "Hammerstrength Chest Press": None,
        },
    ),
    (
        "gymbook/gymbook_italian.csv",
        "Esercizio",
        {
            "Distensioni su Panca Piana con Bilanciere": "bench-press",
            "Distensioni su Panca Piana con Bilanciere a Presa Stretta": "close-grip-bench-press",
            "Distensioni su Panca Inclinata con Bilanciere": "incline-bench-press",
            "Distensioni su Panca Inclinata con Manubri": "dumbbell-incline-press",
            "Squat con Bilanciere": "back-squat",
            "Hack Squat alla Macchina": "hack-squat",
            "Squat alla Smith Machine": "smith-machine-squat",
            "Lento Frontale Con Asta": "overhead-press",
            "Stacco Rumeno con Bilanciere": "romanian-deadlift",
            "Stacco con Bilanciere a Gambe Tese": "stiff-leg-deadlift",
            "Rematore a Una Mano con Manubrio": "dumbbell-row",
            "Rematore al Cavo da Seduti": "seated-cable-row",
            "Lat Pull-Downs al Cavo Alto a Presa Larga": "lat-pulldown",
            "Distensioni delle Gambe": "leg-press",
            "Estensioni delle Gambe": "leg-extension",
            "Flessioni delle Gambe da Sdraiati": "leg-curl",
            "Curls con Bilanciere": "barbell-curl",
            "Trazioni alla Sbarra": "pull-up",
            "Stacco con Manubri": None,
            "Affondi con Bilanciere": None,
            "Lento Dietro La Nuca Con Asta": None,
            "Distensioni su Panca Inclinata alla Smith Machine": None,
            "Distensioni delle Gambe da Seduti": None,
            "Distensioni Sopra la Testa con Manubri in Piedi": None,
        },
    ),
    (
        "hevy/hevy_kg.csv",
        "exercise_title",
        {
            "Bench Press (Barbell)": "bench-press",
            "Squat (Barbell)": "back-squat",
            "Overhead Press (Barbell)": "overhead-press",
            "Deadlift (Barbell)": "deadlift",
            "Bent Over Row (Barbell)": "barbell-row",
            "Incline Bench Press (Barbell)": "incline-bench-press",
            "Romanian Deadlift (Barbell)": "romanian-deadlift",
            "Leg Press (Machine)": "leg-press",
            "Seated Cable Row - V Grip (Cable)": "seated-cable-row",
            "Straight Leg Deadlift": "stiff-leg-deadlift",
            "Bench Press (Smith Machine)": "smith-machine-bench-press",
            "Seated Overhead Press (Barbell)": None,
            "Deadlift (Smith Machine)": None,
            "Leg Press Horizontal (Machine)": None,
            "Pull Up (Assisted)": None,
        },
    ),
    (
        "hevy/hevy_lbs.csv",
        "exercise_title",
        {
            "Squat (Barbell)": "back-squat",
            "Incline Bench Press (Dumbbell)": "dumbbell-incline-press",
            "Standing Calf Raise (Smith)": None,
            "Romanian Deadlift (Dumbbell)": None,
        },
    ),
    (
        "strong/strong_2016_kg_km_header.csv",
        "Exercise Name",
        {
            "Squat": "back-squat",
            "Bench Press": "bench-press",
            "Deadlift": "deadlift",
            "Bent Over Row": "barbell-row",
            "Front Squat": "front-squat",
            "Deadlift Hex": "trap-bar-deadlift",
            "Shoulder Press": None,
            "Bent Over Row (Dumbbell)": None,
        },
    ),
    (
        "strong/strong_french_headers.csv",
        "Nom de l'exercice",
        {
            "Bench Press (Barbell)": "bench-press",
            "Incline Bench Press (Barbell)": "incline-bench-press",
            "Seated Overhead Press (Dumbbell)": "seated-dumbbell-press",
            "Triceps Pushdown (Cable - Straight Bar)": "triceps-pushdown",
            "Seated Leg Press (Machine)": None,
        },
    ),
    (
        "liftosaur/liftosaur_not_done_rows.csv",
        "Exercise",
        {
            "Squat": "back-squat",
            "Bench Press": "bench-press",
            "Deadlift": "deadlift",
            "Overhead Press": "overhead-press",
            "Romanian Deadlift, Barbell": "romanian-deadlift",
            "Incline Bench Press, Dumbbell": "dumbbell-incline-press",
            "Squat, Smith Machine": "smith-machine-squat",
            "Bench Press, Smith Machine": "smith-machine-bench-press",
            "Standing Calf Raise, Leverage Machine": "calf-raise",
            "Hack Squat, Smith Machine": None,
            "Romanian Deadlift, Leverage Machine": None,
            "Overhead Press, Dumbbell": None,
            "Seated Leg Press": None,
        },
    ),
]


def _names_in(path: Path, column: str) -> set[str]:
    """The column's names; an unquoted comma in a name (FitNotes) joins its fields back."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    i = header.index(column)
    return {",".join(r[i : i + len(r) - len(header) + 1]).strip() for r in rows[1:] if r}


@pytest.mark.skipif(not DATA.is_dir(), reason="the shared real exports are not here")
@pytest.mark.parametrize(
    ("path", "column", "expected"), REAL_FILES, ids=[f for f, *_ in REAL_FILES]
)
def test_main_lifts_in_real_exports(
    path: str, column: str, expected: dict[str, str | None]
) -> None:
    names = _names_in(DATA / path, column)
    cat = Catalogue()
    for name, key in expected.items():
        assert name in names, f"{name!r} is not in {path}"
        found = match_exercise(name, cat)
        assert (found.key if found else None) == key, name
