"""Reading Liftosaur's CSV export: what was done, what was prescribed, what was not done."""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replog.core.errors import ImportFormatError, ReplogError
from replog.core.exercise_match import match_exercise
from replog.core.exercises import Catalogue, Equipment
from replog.core.model import SetKind
from replog.core.units import Unit
from replog.io.liftosaur import NOT_COMPLETED, equipment_of, read_liftosaur
from replog.services.importing import refuse_unreadable

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EXAMPLE = SHARED / "imports" / "liftosaur" / "liftosaur_example.csv"

HEADER = (
    "Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required Reps,Completed Reps,"
    "Is AMRAP?,Required RPE,Completed RPE,Log RPE?,Required Weight Value,Required Weight Unit,"
    "Completed Weight Value,Completed Weight Unit,Ask Weight?,Completed Reps Time,"
    "Target Muscles,Synergist Muscles,Notes"
)
DAY1 = "2025-05-20T05:00:00.000Z,GZCLP,Day 1"
MUSCLES = '"Gluteus Maximus,Quadriceps","Adductor Magnus,Soleus"'
FILE = "\n".join(
    [
        HEADER,
        f"{DAY1},Squat,1,5,5,0,,,0,50,lb,50,lb,0,2025-05-20T13:15:52.559Z,{MUSCLES},",
        f"{DAY1},Squat,0,5,5,0,8,8.5,1,100,lb,102.5,lb,0,2025-05-20T13:18:00.000Z,{MUSCLES},"
        '"Deep, slow"',
        f"{DAY1},Squat,0,3,2,1,,,0,100,lb,100,lb,0,2025-05-20T13:20:00.000Z,{MUSCLES},",
        f"{DAY1},Squat,0,3,,0,,,0,100,lb,,lb,0,,{MUSCLES},",
        f'{DAY1},"Bench Press, Dumbbell",0,10,10,0,,,0,20,kg,,,0,,,,',
        "2025-05-19T05:00:00.000Z,Basic Beginner Routine,Week 1 - Workout B,Chin Up,0,5,5,1,"
        ",,0,0,lb,0,lb,0,2025-05-20T13:15:06.353Z,Latissimus Dorsi,Brachialis,",
    ]
)


def row(
    *,
    start: str = "2025-05-20T05:00:00.000Z",
    warmup: str = "0",
    required_reps: str = "5",
    reps: str = "5",
    amrap: str = "0",
    rpe: str = "",
    weight: str = "100",
    unit: str = "lb",
    time: str = "",
) -> str:
    return (
        f"{start},P,D,Squat,{warmup},{required_reps},{reps},{amrap},,{rpe},0,100,lb,"
        f"{weight},{unit},0,{time},,,"
    )


def one(text: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(read_liftosaur(f"{HEADER}\n{text}\n", tz=UTC), strict=True)
    return info.value


# ----------------------------------------------------------------------------- fixtures
def test_completed_values_are_the_set_and_the_prescription_is_in_the_notes() -> None:
    src = read_liftosaur(FILE, name="l.csv", tz=UTC)
    assert (src.format, src.name) == ("liftosaur", "l.csv")
    assert [s.line for s in src.sets] == [2, 3, 4, 6, 7]
    warm, heavy, amrap, _bench, chin = src.sets
    assert [s.kind for s in src.sets] == [
        SetKind.WARMUP,
        SetKind.WORKING,
        SetKind.AMRAP,
        SetKind.WORKING,
        SetKind.AMRAP,
    ]
    assert (heavy.load.value, heavy.load.unit, heavy.reps, heavy.rpe) == (
        Decimal("102.5"),
        Unit.LB,
        5,
        8.5,
    )
    assert heavy.notes == "prescribed 5 x 100 lb @ 8; Deep, slow"
    assert warm.notes == "prescribed 5 x 50 lb"
    assert (amrap.reps, amrap.notes) == (2, "prescribed 3 x 100 lb")
    assert (warm.rpe, amrap.rpe) == (None, None)
    assert heavy.session_key == "2025-05-20T05:00:00.000Z|Day 1"
    assert heavy.session_name == "GZCLP Day 1"
    assert heavy.started_at == datetime(2025, 5, 20, 5, 0, tzinfo=UTC)
    assert heavy.performed_at == datetime(2025, 5, 20, 13, 18, tzinfo=UTC)
    assert heavy.ended_at is None
    assert chin.session_key == "2025-05-19T05:00:00.000Z|Week 1 - Workout B"
    assert chin.session_name == "Basic Beginner Routine Week 1 - Workout B"
    assert (chin.load.value, chin.load.unit) == (0, Unit.LB)
    assert heavy.raw == FILE.splitlines()[2]


def test_a_set_not_done_is_skipped() -> None:
    src = read_liftosaur(FILE, tz=UTC)
    assert [(r.line, r.reason) for r in src.skipped] == [(5, NOT_COMPLETED)]


def test_empty_completed_weight_takes_the_required_weight() -> None:
    bench = read_liftosaur(FILE, tz=UTC).sets[3]
    assert (bench.load.value, bench.load.unit, bench.reps) == (Decimal(20), Unit.KG, 10)
    assert bench.performed_at is None
    assert bench.exercise == "Bench Press, Dumbbell"
    assert bench.equipment is Equipment.DUMBBELL


def test_equipment_after_the_comma() -> None:
    assert equipment_of("Squat, Smith Machine") is Equipment.MACHINE
    assert equipment_of("Deadlift, Trap Bar") is Equipment.BARBELL
    assert equipment_of("Squat") is None
    assert equipment_of("Press, Behind Neck") is None
    assert equipment_of("Squat", "barbell") is Equipment.BARBELL


@pytest.mark.parametrize(
    ("warmup", "amrap", "kind"),
    [
        ("1", "0", SetKind.WARMUP),
        ("1", "1", SetKind.WARMUP),
        ("0", "1", SetKind.AMRAP),
        ("true", "", SetKind.WARMUP),
        ("", "", SetKind.WORKING),
    ],
)
def test_flags(warmup: str, amrap: str, kind: SetKind) -> None:
    src = read_liftosaur(f"{HEADER}\n{row(warmup=warmup, amrap=amrap)}", tz=UTC)
    assert src.sets[0].kind is kind


@pytest.mark.parametrize(
    ("reps", "rpe", "weight", "unit", "notes"),
    [
        ("", "", "100", "lb", "prescribed 100 lb"),
        ("5", "", "", "", "prescribed 5"),
        ("", "9", "100", "kg", "prescribed 100 kg @ 9"),
        ("5", "9.5", "", "", "prescribed 5 @ 9.5"),
        ("", "8", "", "", "prescribed @ 8"),
        ("3", "", "102,5", "kg", "prescribed 3 x 102.5 kg"),
    ],
)
def test_prescription_leaves_out_what_the_program_did_not_say(
    reps: str, rpe: str, weight: str, unit: str, notes: str
) -> None:
    text = (
        f'2025-05-20T05:00:00.000Z,P,D,Squat,0,{reps},5,0,{rpe},,0,"{weight}",{unit},100,lb,0,,,,'
    )
    assert read_liftosaur(f"{HEADER}\n{text}", tz=UTC).sets[0].notes == notes


def test_nothing_prescribed_gives_no_prefix() -> None:
    text = "2025-05-20T05:00:00.000Z,P,D,Squat,0,,5,0,,,0,,,60,kg,0,,,,Just notes"
    assert read_liftosaur(f"{HEADER}\n{text}", tz=UTC).sets[0].notes == "Just notes"


def test_a_time_without_offset_is_in_the_given_zone() -> None:
    plus2 = timezone(timedelta(hours=2))
    text = row(start="2025-05-20T07:00:00", time="2025-05-20T07:30:00")
    item = read_liftosaur(f"{HEADER}\n{text}", tz=plus2).sets[0]
    assert item.started_at == datetime(2025, 5, 20, 5, 0, tzinfo=UTC)
    assert item.performed_at == datetime(2025, 5, 20, 5, 30, tzinfo=UTC)


# ------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"warmup": "2"}, "Is Warmup Set? (column 5)"),
        ({"amrap": "yes please"}, "Is AMRAP? (column 8)"),
        ({"reps": "five"}, "Completed Reps (column 7)"),
        ({"reps": "-1"}, "Completed Reps (column 7)"),
        ({"reps": "201"}, "Completed Reps (column 7)"),
        ({"rpe": "12"}, "Completed RPE (column 10)"),
        ({"rpe": "7.7"}, "Completed RPE (column 10)"),
        ({"weight": "heavy"}, "Completed Weight Value (column 14)"),
        ({"weight": "-10"}, "Completed Weight Value (column 14)"),
        ({"unit": "stone"}, "Completed Weight Unit (column 15)"),
        ({"unit": ""}, "Completed Weight Unit (column 15)"),
        ({"start": "20/05/2025"}, "Workout DateTime (column 1)"),
        ({"start": ""}, "Workout DateTime (column 1)"),
        ({"start": "0001-01-01T00:00:00Z"}, "Workout DateTime (column 1)"),
        ({"time": "soon"}, "Completed Reps Time (column 17)"),
        ({"required_reps": "x"}, "Required Reps (column 6)"),
    ],
)
def test_bad_cells_name_line_and_column(kw: dict[str, str], field: str) -> None:
    err = one(f"{row()}\n{row(**kw)}")
    assert (err.line, err.field) == (3, field)


def test_wrong_field_count_names_the_line() -> None:
    err = one(f"{row()}\n{row()}\n{row()[:-3]}")
    assert (err.line, err.field) == (4, "row")


def test_missing_columns() -> None:
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(
            read_liftosaur("Workout DateTime,Exercise\n2025-05-20T05:00:00Z,Squat\n"), strict=True
        )
    assert (info.value.line, info.value.field) == (1, "Completed Reps")


def test_missing_exercise() -> None:
    text = "2025-05-20T05:00:00.000Z,P,D,,0,5,5,0,,,0,100,lb,100,lb,0,,,,"
    assert one(text).field == "Exercise (column 4)"


# ---------------------------------------------------------------------------- real file
def test_real_example_file() -> None:
    # Counted independently with csv.DictReader: 34 rows, all with Completed Reps (so 0
    # skipped); sessions are distinct "Workout DateTime|Day Name" (3); every weight is in
    # lb, volume sum(round(Decimal(value) * 0.45359237, 3 places) * reps) = 5300.234 kg
    # (each load to the gram, as Load.kg); kinds from the two flags: 5 warm-ups (no
    # AMRAP among them), 8 AMRAP, 21 working.
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} is absent (the shared data folder is not here)")
    src = read_liftosaur(EXAMPLE.read_text(encoding="utf-8"), tz=UTC)
    assert len(src.sets) == 34
    assert len(src.skipped) == 0
    assert len({s.session_key for s in src.sets}) == 3
    days = sorted(s.started_at.date() for s in src.sets)
    assert (days[0], days[-1]) == (date(2025, 5, 15), date(2025, 5, 20))
    assert sum(s.load.kg * s.reps for s in src.sets) == pytest.approx(5300.234, abs=0.5)
    assert Counter(s.kind for s in src.sets) == {
        SetKind.WORKING: 21,
        SetKind.AMRAP: 8,
        SetKind.WARMUP: 5,
    }
    assert all(s.performed_at is not None for s in src.sets)
    assert src.sets[0].notes == "prescribed 5 x 50 lb"


# --------------------------------------------------------------------------------- fuzz
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_gives_only_replog_errors(text: str) -> None:
    with contextlib.suppress(ReplogError):
        read_liftosaur(text, tz=UTC)


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "replace"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from([*',"\n\r;.:-+0123456789 TZkglb\x00\ufeff', "", "true"]),
    ),
    min_size=1,
    max_size=8,
)


def mutate(text: str, edits: list[tuple[str, int, str]]) -> str:
    for op, at, char in edits:
        if not text:
            break
        i = at % len(text)
        if op == "delete":
            text = text[:i] + text[i + 1 :]
        elif op == "duplicate":
            text = text[: i + 1] + text[i] + text[i + 1 :]
        else:
            text = text[:i] + char + text[i + 1 :]
    return text


@settings(max_examples=200, deadline=None)
@given(_EDITS)
def test_mutated_files_give_only_replog_errors(edits: list[tuple[str, int, str]]) -> None:
    try:
        src = read_liftosaur(mutate(FILE, edits))
    except ReplogError:
        return
    for item in src.sets:
        assert item.started_at.tzinfo is not None
        assert 0 <= item.reps <= 200


def test_the_older_equipment_column_names_the_lift_as_newer_exports_do() -> None:
    older = (
        "Workout DateTime,Exercise,Equipment,Completed Reps,Completed Weight Value,"
        "Completed Weight Unit\n"
        "2021-03-01T07:00:00Z,Bench Press,dumbbell,10,20,kg\n"
        "2021-03-01T07:00:00Z,Bench Press,barbell,5,80,kg\n"
        "2021-03-01T07:00:00Z,Squat,,5,100,kg\n"
    )
    sets = read_liftosaur(older, tz=UTC).sets
    assert [s.exercise for s in sets] == ["Bench Press, Dumbbell", "Bench Press, Barbell", "Squat"]
    found = [match_exercise(s.exercise, Catalogue()) for s in sets]
    # a dumbbell press is not the barbell bench press: its loads are not comparable
    assert [f.key if f else None for f in found] == [
        "dumbbell-bench-press",
        "bench-press",
        "back-squat",
    ]
