"""FitNotes CSV import: both header variants, unquoted commas in names, cardio rows."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replog.core.errors import ImportFormatError, ReplogError
from replog.core.exercises import Equipment
from replog.core.units import Load, Unit
from replog.io.fitnotes import fitnotes_equipment, read_fitnotes
from replog.services.imported import SourceFile
from replog.services.importing import refuse_unreadable

BERLIN = ZoneInfo("Europe/Berlin")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REAL = SHARED / "imports" / "fitnotes" / "fitnotes_unit_column.csv"

# The unit column (lbs and kgs), exercise names with an unquoted comma (one field too many),
# cardio and timed rows, an empty set, a body-weight set.
UNIT_COLUMN = (
    "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n"
    "2024-02-01,Bench Press (Barbell),Chest,135.0,lbs,8,,,\n"
    "2024-02-01,Overhead Press (Each Side, Dumbbells),Shoulders,25.0,lbs,10,,,\n"
    "2024-02-01,Treadmill,Cardio,,,,3.2,km,0:25:00\n"
    "2024-02-01,Plank,Core,,,,,,0:01:30\n"
    "2024-02-01,Bench Press (Barbell),Chest,0.0,lbs,0,,,\n"
    "2024-02-03,Squat (Smith Machine),Legs,60.0,kgs,5,,,\n"
    "2024-02-03,Pull Up,Back,0.0,lbs,12,,,\n"
    "2024-02-03,Rear Delt Pulling (Each Side, Cable In Front Of Eyes Area),Shoulders,2.5,kgs,"
    "12,,,\n"
)

# The unit in the header and a Comment column, itself holding an unquoted comma.
UNIT_IN_HEADER = (
    "Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment\n"
    "2024-03-01,Deadlift,Back,140.0,5,,,,felt good, fast\n"
    "2024-03-01,Row (Each Side, Dumbbells),Back,30.0,10,,,,\n"
    '2024-03-01,Curl,Biceps,12.5,12,,,,"quoted, comment"\n'
)


def _error(text: str) -> ImportFormatError:
    """The error a strict import gives: the first row the reader left out (or the file's)."""
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(read_fitnotes(text, tz=UTC), strict=True)
    return info.value


def test_unit_column_unquoted_commas_and_skipped_rows() -> None:
    source = read_fitnotes(UNIT_COLUMN, name="f.csv", tz=BERLIN)
    assert (source.format, source.name, source.warnings) == ("fitnotes", "f.csv", [])
    assert [(s.exercise, s.load, s.reps) for s in source.sets] == [
        ("Bench Press (Barbell)", Load(Decimal("135.0"), Unit.LB), 8),
        ("Overhead Press (Each Side, Dumbbells)", Load(Decimal("25.0"), Unit.LB), 10),
        ("Squat (Smith Machine)", Load(Decimal("60.0"), Unit.KG), 5),
        ("Pull Up", Load(Decimal("0.0"), Unit.LB), 12),
        (
            "Rear Delt Pulling (Each Side, Cable In Front Of Eyes Area)",
            Load(Decimal("2.5"), Unit.KG),
            12,
        ),
    ]
    assert [s.line for s in source.sets] == [2, 3, 7, 8, 9]
    assert source.sets[1].raw == (
        "2024-02-01,Overhead Press (Each Side, Dumbbells),Shoulders,25.0,lbs,10,,,"
    )
    assert [(r.line, r.reason) for r in source.skipped] == [
        (4, "no reps: a timed or distance entry"),
        (5, "no reps: a timed or distance entry"),
        (6, "empty set"),
    ]
    assert [s.session_key for s in source.sets] == ["2024-02-01"] * 2 + ["2024-02-03"] * 3
    assert source.sets[0].started_at == datetime(2024, 2, 1, 12, 0, tzinfo=BERLIN)
    assert source.sets[-1].started_at == datetime(2024, 2, 3, 12, 0, tzinfo=BERLIN)
    assert {s.session_name for s in source.sets} == {"FitNotes"}
    assert all(s.ended_at is None for s in source.sets)
    assert [s.tags for s in source.sets] == [
        ("chest",),
        ("shoulders",),
        ("legs",),
        ("back",),
        ("shoulders",),
    ]
    assert [s.equipment for s in source.sets] == [
        Equipment.BARBELL,
        Equipment.DUMBBELL,
        Equipment.MACHINE,
        None,
        Equipment.CABLE,
    ]


def test_unit_in_header_and_commas_in_the_comment() -> None:
    source = read_fitnotes(UNIT_IN_HEADER, tz=UTC)
    assert [(s.exercise, s.load, s.reps, s.notes) for s in source.sets] == [
        ("Deadlift", Load(Decimal("140.0"), Unit.KG), 5, "felt good, fast"),
        ("Row (Each Side, Dumbbells)", Load(Decimal("30.0"), Unit.KG), 10, ""),
        ("Curl", Load(Decimal("12.5"), Unit.KG), 12, "quoted, comment"),
    ]
    assert source.skipped == []


def test_pounds_in_the_header_and_no_unit_at_all() -> None:
    lbs = read_fitnotes("Date,Exercise,Category,Weight (lbs),Reps\n2024-01-01,Row,Back,95,8\n")
    assert lbs.sets[0].load == Load(Decimal("95"), Unit.LB)
    bare = read_fitnotes("Date,Exercise,Weight,Reps\n2024-01-01,Row,40,8\n", tz=UTC)
    assert bare.sets[0].load == Load(Decimal("40"), Unit.KG)
    assert bare.sets[0].tags == ()  # no Category column
    assert len(bare.warnings) == 1


@pytest.mark.parametrize(
    ("name", "equipment"),
    [
        ("Flat Barbell Bench Press (Each Side) (Smith Machine)", Equipment.MACHINE),
        ("Smith Machine Overhead Press", Equipment.MACHINE),
        ("Seated Incline Dumbbell Curl (Each Side)", Equipment.DUMBBELL),
        ("Triceps Pushdown (Easy Cable)", Equipment.CABLE),
        ("Barbell Squat (Each Side)", Equipment.BARBELL),
        ("Leg Extension Machine", Equipment.MACHINE),
        ("Kettlebell Swing", Equipment.KETTLEBELL),
        ("Lat Pulldown", None),
        ("Cablecar Crunch", None),  # a word, not a substring
    ],
)
def test_equipment_from_the_name(name: str, equipment: Equipment | None) -> None:
    assert fitnotes_equipment(name) is equipment


# -------------------------------------------------------------------------------- errors
_HEAD = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n"
_GOOD = "2024-01-01,Row,Back,50.0,kgs,10,,,\n"


@pytest.mark.parametrize(
    ("bad_row", "column"),
    [
        ("2024-02-30,Row,Back,50.0,kgs,10,,,", "Date (column 1)"),
        ("01/02/2024,Row,Back,50.0,kgs,10,,,", "Date (column 1)"),
        ("2024-01-01,Row,Back,heavy,kgs,10,,,", "Weight (column 4)"),
        ("2024-01-01,Row,Back,-50,kgs,10,,,", "Weight (column 4)"),
        ("2024-01-01,Row,Back,50.0,stone,10,,,", "Weight Unit (column 5)"),
        ("2024-01-01,Row,Back,50.0,,10,,,", "Weight Unit (column 5)"),
        ("2024-01-01,Row,Back,50.0,kgs,5.5,,,", "Reps (column 6)"),
        ("2024-01-01,Row,Back,50.0,kgs,999,,,", "Reps (column 6)"),
        ("2024-01-01,Row,Back,,,,far,km,", "Distance (column 7)"),
        ("2024-01-01,,Back,50.0,kgs,10,,,", "Exercise (column 2)"),
        ("2024-01-01,Row, Cable,Back,abc,kgs,10,,,", "Weight (column 4)"),  # after the join
    ],
)
def test_bad_values_name_line_and_column(bad_row: str, column: str) -> None:
    error = _error(_HEAD + _GOOD + bad_row + "\n")
    assert (error.line, error.field) == (3, column)


def test_short_rows_and_truncated_files_name_their_line() -> None:
    assert _error(_HEAD + _GOOD + _GOOD + "2024-01-01,Row,Back,50.0,kgs,10\n").line == 4
    assert _error(_HEAD + _GOOD + "2024-01-01,Row,Ba").line == 3


def test_missing_reps_column_is_refused_on_the_header() -> None:
    error = _error("Date,Exercise,Category,Weight,Weight Unit\n2024-01-01,Row,Back,5,kgs\n")
    assert (error.line, error.field) == (1, "Reps")


def test_huge_numbers_are_errors_not_crashes() -> None:
    huge = "9" * 5000  # past Python's 4300-digit limit on int <-> str conversion
    for row, column in [
        (f"2024-01-01,Row,Back,50.0,kgs,{huge},,,", "Reps (column 6)"),
        (f"2024-01-01,Row,Back,{huge},kgs,1,,,", "Weight (column 4)"),
    ]:
        error = _error(_HEAD + row + "\n")
        assert (error.line, error.field) == (2, column)
        assert len(error.message) < 200


# ----------------------------------------------------------------------------- real file
def test_real_export_with_unit_column() -> None:
    if not REAL.exists():
        pytest.skip(f"{REAL} is absent (../shared not checked out)")
    source: SourceFile = read_fitnotes(REAL.read_text(encoding="utf-8"), tz=BERLIN)
    # Counted with csv.reader: 1624 data rows (1525 of 9 fields, 99 of 10 where an
    # exercise name holds an unquoted comma), all with reps and unit "kgs", no distance or
    # time, so no skipped rows; 78 distinct dates from 2025-04-29 to 2025-09-16; the sum of
    # Weight x Reps, reading Weight one field later on the 10-field rows, is 256297.5 kg.
    keys = {s.session_key for s in source.sets}
    starts = sorted(s.started_at for s in source.sets)
    assert len(keys) == 78
    assert len(source.sets) == 1624
    assert starts[0] == datetime(2025, 4, 29, 12, 0, tzinfo=BERLIN)
    assert starts[-1] == datetime(2025, 9, 16, 12, 0, tzinfo=BERLIN)
    assert round(sum(s.load.kg * s.reps for s in source.sets), 1) == 256297.5
    assert source.skipped == []
    assert source.warnings == []
    joined = [s for s in source.sets if "," in s.exercise]
    assert len(joined) == 99
    assert {s.exercise for s in joined} == {
        "Overhead Press (Each Side, Dumbbells)",
        "Bench Press (With Bar, Each Side)",
        "Rear Delt Pulling (Each Side, Cable In Front Of Eyes Area)",
    }
    assert all(s.load.unit is Unit.KG for s in source.sets)


# ---------------------------------------------------------------------------------- fuzz
def _mutate(text: str, ops: list[tuple[int, int, str]]) -> str:
    for op, where, char in ops:
        if not text:
            break
        i = where % len(text)
        if op == 0:
            text = text[:i] + text[i + 1 :]
        elif op == 1:
            text = text[:i] + text[i] + text[i:]
        elif op == 2:
            swap = {",": ";", ";": ",", '"': "", "\n": ",", ".": ","}.get(text[i], char)
            text = text[:i] + swap + text[i + 1 :]
        else:
            text = text[:i] + char + text[i:]
    return text


_ops = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.sampled_from(list(',;"\n.-0129 :k'))),
    max_size=8,
)


def _read_or_replog_error(text: str) -> None:
    with contextlib.suppress(ReplogError):
        read_fitnotes(text, tz=UTC)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_arbitrary_text_raises_only_replog_errors(text: str) -> None:
    _read_or_replog_error(text)
    _read_or_replog_error(_HEAD + text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([UNIT_COLUMN, UNIT_IN_HEADER]), _ops)
def test_fuzz_mutated_fixtures_raise_only_replog_errors(
    text: str, ops: list[tuple[int, int, str]]
) -> None:
    _read_or_replog_error(_mutate(text, ops))
