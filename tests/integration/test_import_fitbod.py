"""Fitbod CSV import: both layouts, pounds stored as kilograms, Sets > 1, warm-ups, cardio,
assisted sets, malformed rows; the real export through the reader, the import and the CLI."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from replog.core.exercises import Equipment
from replog.core.model import SetKind
from replog.core.units import Load, Unit
from replog.io.fitbod import read_fitbod, stored_pounds
from replog.io.formats import detect, read_source
from replog.services.importing import import_source
from replog.services.ports import UnitOfWork
from tests.support import for_name

BERLIN = ZoneInfo("Europe/Berlin")
REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "imports" / "fitbod"
REAL_FILE = REAL / "fitbod_workouts.csv"

# The older layout, a pound lifter's file: 15 lb, 25 lb and 135 lb as Fitbod writes them
# (lb / 2.20462), a row of 3 identical sets, a warm-up, a run and a plank (0 reps), an
# assisted chin-up (negative weight) and a body-weight set.
OLD_POUNDS = (
    "Date,Exercise,Sets,Reps,Weight,isWarmup,Note\n"
    "2019-02-13,Dumbbell Row,1,12,6.803893642,TRUE,\n"
    "2019-02-13,Dumbbell Row,3,10,11.33982274,,slow\n"
    "2019-02-13,Barbell Bench Press,1,5,61.23504278,,\n"
    "2019-02-13,Running - Treadmill,1,0,0,,\n"
    "2019-02-12,Side Bridge,1,0,0,,\n"
    "2019-02-12,Assisted Chin Up,2,8,-36.28743275,,\n"
    "2019-02-12,Chin Up,1,6,0,,\n"
)

# The newer layout: kg stated in the header, start times with an offset, a workout name,
# numbers with a leading space, a timed hold and a run (duration / distance, no reps).
NEW_KG = (
    "Date,Workout Name,Exercise,Sets,Reps,Weight(kg),Duration(s),Distance(m),Incline,"
    "Resistance,isWarmup,Note,multiplier\n"
    "2024-11-26 17:18:41 +0000,Legs,Back Squat,1, 5,60.0,0.0,0.0,0.0,0.0,true,, 1.0\n"
    "2024-11-26 17:18:41 +0000,Legs,Back Squat,2, 5,102.5,0.0,0.0,0.0,0.0,false,top, 1.0\n"
    "2024-11-26 17:18:41 +0000,Legs,Dead Hang,1, 0,0.0,30.0,0.0,0.0,0.0,false,, 0.0\n"
    "2024-11-26 17:18:41 +0000,Legs,Running - Treadmill,1, 0,0.0,240.0,1000.0,0.0,0.0,false"
    ",, 0.0\n"
    "2024-11-28 06:05:00 +0000,Upper,Dumbbell Bench Press,1, 8,22.5,0.0,0.0,0.0,0.0,false,"
    ", 2.0\n"
)


def test_old_layout_pound_file_sets_warmups_cardio_and_assistance() -> None:
    source = read_fitbod(OLD_POUNDS, name="fb.csv", tz=BERLIN)
    assert (source.format, source.name, source.rejected) == ("fitbod", "fb.csv", [])
    assert [(s.exercise, s.load, s.reps, s.kind) for s in source.sets] == [
        ("Dumbbell Row", Load(Decimal(15), Unit.LB), 12, SetKind.WARMUP),
        *[("Dumbbell Row", Load(Decimal(25), Unit.LB), 10, SetKind.WORKING)] * 3,
        ("Barbell Bench Press", Load(Decimal(135), Unit.LB), 5, SetKind.WORKING),
        *[("Assisted Chin Up", Load(Decimal(0), Unit.LB), 8, SetKind.WORKING)] * 2,
        ("Chin Up", Load(Decimal(0), Unit.KG), 6, SetKind.WORKING),
    ]
    # a row of 3 sets: three sets, each with the row's line and text
    rows = [s for s in source.sets if s.line == 3]
    assert len(rows) == 3
    assert {s.raw for s in rows} == {"2019-02-13,Dumbbell Row,3,10,11.33982274,,slow"}
    assert {s.notes for s in rows} == {"slow"}
    # one workout per day, at noon in the zone asked for; no time per set
    assert [(s.session_key, s.started_at) for s in source.sets][::4] == [
        ("2019-02-13", datetime(2019, 2, 13, 12, tzinfo=BERLIN)),
        ("2019-02-13", datetime(2019, 2, 13, 12, tzinfo=BERLIN)),
    ]
    assert {s.session_name for s in source.sets} == {"Fitbod"}
    assert all(s.performed_at is None and s.unit_stated for s in source.sets)
    assert [(r.line, r.reason) for r in source.skipped] == [
        (5, "no reps recorded"),
        (6, "no reps recorded"),
    ]
    assisted = [s for s in source.sets if s.exercise == "Assisted Chin Up"]
    assert {(s.notes, s.tags, s.equipment) for s in assisted} == {
        ("assistance 80 lb", ("assisted",), Equipment.BODYWEIGHT)
    }
    assert source.sets[0].equipment is Equipment.DUMBBELL
    assert source.sets[4].equipment is Equipment.BARBELL
    assert len(source.warnings) == 2
    assert "4 weight(s) read as pounds" in source.warnings[0]
    assert "2 assisted set(s)" in source.warnings[1]


def test_new_layout_kg_stated_times_workout_names_and_timed_rows() -> None:
    source = read_fitbod(NEW_KG, tz=UTC)
    assert (source.rejected, source.warnings) == ([], [])
    assert [(s.session_key, s.session_name, s.exercise, s.load, s.reps, s.kind, s.notes)
            for s in source.sets] == [
        ("2024-11-26|Legs", "Legs", "Back Squat", Load(Decimal("60.0"), Unit.KG), 5,
         SetKind.WARMUP, ""),
        ("2024-11-26|Legs", "Legs", "Back Squat", Load(Decimal("102.5"), Unit.KG), 5,
         SetKind.WORKING, "top"),
        ("2024-11-26|Legs", "Legs", "Back Squat", Load(Decimal("102.5"), Unit.KG), 5,
         SetKind.WORKING, "top"),
        ("2024-11-28|Upper", "Upper", "Dumbbell Bench Press", Load(Decimal("22.5"), Unit.KG),
         8, SetKind.WORKING, ""),
    ]  # fmt: skip
    start = datetime(2024, 11, 26, 17, 18, 41, tzinfo=UTC)
    assert {(s.started_at, s.performed_at) for s in source.sets[:3]} == {(start, start)}
    assert [(r.line, r.reason) for r in source.skipped] == [
        (4, "no reps: a timed or distance entry"),
        (5, "no reps: a timed or distance entry"),
    ]


def test_a_workout_starts_at_its_earliest_time_in_the_zone_asked_for() -> None:
    text = (
        "Date,Exercise,Reps,Weight(kg),isWarmup\n"
        "2024-03-01 18:40:00 +0000,Deadlift,3,140,false\n"
        "2024-03-01 18:00:00 +0000,Deadlift,5,60,true\n"
        "2024-03-01 23:30:00 +0000,Deadlift,5,100,false\n"  # 00:30 in Berlin: the next day
    )
    source = read_fitbod(text, tz=BERLIN)
    assert [s.session_key for s in source.sets] == ["2024-03-01", "2024-03-01", "2024-03-02"]
    assert source.sets[0].started_at == datetime(2024, 3, 1, 19, 0, tzinfo=BERLIN)
    assert source.sets[0].performed_at == datetime(2024, 3, 1, 19, 40, tzinfo=BERLIN)


def test_a_kilogram_lifters_file_keeps_every_weight_as_written() -> None:
    # one converted-looking weight among kilogram ones: the file is no pound lifter's
    text = (
        "Date,Exercise,Sets,Reps,Weight,isWarmup,Note\n"
        "2020-01-02,Back Squat,1,5,100,,\n"
        "2020-01-02,Back Squat,1,5,102.5,,\n"
        "2020-01-02,Curl,1,10,6.803893642,,\n"
    )
    source = read_fitbod(text)
    assert [s.load for s in source.sets] == [
        Load(Decimal(100), Unit.KG),
        Load(Decimal("102.5"), Unit.KG),
        Load(Decimal("6.803893642"), Unit.KG),
    ]
    assert source.warnings == []


def test_a_pound_lifters_other_weights_stay_kilograms_with_a_warning() -> None:
    text = (
        "Date,Exercise,Sets,Reps,Weight,isWarmup,Note\n"
        "2020-01-02,Curl,1,10,6.803893642,,\n"
        "2020-01-02,Curl,1,10,9.071858189,,\n"
        "2020-01-02,Row,1,10,15.8,,\n"
    )
    source = read_fitbod(text, name="x.csv")
    assert [s.load for s in source.sets] == [
        Load(Decimal(15), Unit.LB),
        Load(Decimal(20), Unit.LB),
        Load(Decimal("15.8"), Unit.KG),
    ]
    assert source.warnings[1].startswith("x.csv: 1 weight(s) in this pound lifter's file")
    assert "(lines 4)" in source.warnings[1]


@pytest.mark.parametrize(
    ("kg", "pounds"),
    [
        ("6.803893642", Decimal(15)),  # Fitbod: 15 / 2.20462
        ("11.339822735890994", Decimal(25)),  # the newer export's full float
        ("6.80388555", Decimal(15)),  # the exact factor, as Strong writes it
        ("-36.28743275", Decimal(80)),  # an assisted machine's help
        ("1.1339806", Decimal("2.5")),
        ("102.5", None),  # plate-made kilograms: at most 3 decimals
        ("1.125", None),
        ("0", None),
        ("6.8123", None),  # 15.0185 lb: no quarter pound
        ("45.359237", Decimal(100)),  # 100 lb at the exact factor
    ],
)
def test_stored_pounds(kg: str, pounds: Decimal | None) -> None:
    assert stored_pounds(Decimal(kg)) == pounds


def test_malformed_cells_are_left_out_and_listed_while_the_rest_reads() -> None:
    text = (
        "Date,Exercise,Sets,Reps,Weight,isWarmup,Note\n"
        "2020-01-02,Squat,1,5,100,,\n"
        "2020-01-02,Squat,1,five,100,,\n"
        "2020-13-02,Squat,1,5,100,,\n"
        "2020-01-02,Squat,0,5,100,,\n"
        "2020-01-02,Squat,1,5,heavy,,\n"
        "2020-01-02,Squat,1,5,100,maybe,\n"
        "2020-01-02,,1,5,100,,\n"
        "2020-01-02,Squat,1,5,100,,\n"
    )
    source = read_fitbod(text, name="bad.csv")
    assert [s.line for s in source.sets] == [2, 9]
    assert [(r.line, r.column, r.value) for r in source.rejected] == [
        (3, "Reps (column 4)", "five"),
        (4, "Date (column 1)", "2020-13-02"),
        (5, "Sets (column 3)", "0"),
        (6, "Weight (column 5)", "heavy"),
        (7, "isWarmup (column 6)", "maybe"),
        (8, "Exercise (column 2)", ""),
    ]
    assert "expected a number, found 'five'" in source.rejected[0].reason
    assert "sets must be 1 to 100" in source.rejected[2].reason


def test_a_file_without_the_exercise_column_is_refused() -> None:
    from replog.core.errors import ImportFormatError

    with pytest.raises(ImportFormatError, match="no 'Exercise' column"):
        read_fitbod("Date,Sets,Reps,Weight,isWarmup\n2020-01-02,1,5,100,\n")


def test_detect_both_layouts_without_taking_other_apps() -> None:
    assert detect(OLD_POUNDS.encode(), "a.csv") == "fitbod"
    assert detect(NEW_KG.encode(), "b.csv") == "fitbod"
    fitnotes = b"Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n"
    assert detect(fitnotes, "c.csv") == "fitnotes"
    strong = b"Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds\n"
    assert detect(strong, "d.csv") == "strong"


# ------------------------------------------------------------------------- the real file
needs_real = pytest.mark.skipif(not REAL_FILE.exists(), reason=f"{REAL_FILE} is absent")


@dataclass(frozen=True)
class Counted:
    sets: int
    workouts: int
    first: str
    last: str
    volume: float  # kg, exact
    skipped: int
    warmups: int
    converted: int  # sets whose load is pounds stored as kilograms
    pound_share: float  # of the non-zero weights, those with more than 3 decimals


def _counted() -> Counted:
    """The real file read with plain csv, apart from the reader: a row with reps > 0 is
    ``Sets`` sets; a weight with more than 3 decimals is pounds Fitbod stored as kg
    (kg x 2.20462, to the half pound), any other weight kilograms as written; a negative
    weight (assistance) lifts nothing."""
    with REAL_FILE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    done = [r for r in rows if int(r["Reps"]) > 0]

    def kg(weight: str) -> float:
        value = float(weight)
        if value <= 0:
            return 0.0
        if len(weight.partition(".")[2]) > 3:
            return round(value * 2.20462 * 2) / 2 * 0.45359237
        return value

    def volume() -> float:
        return sum(kg(r["Weight"]) * int(r["Reps"]) * int(r["Sets"]) for r in done)

    nonzero = [r["Weight"] for r in rows if float(r["Weight"]) != 0]
    return Counted(
        sets=sum(int(r["Sets"]) for r in done),
        workouts=len({r["Date"] for r in done}),
        first=min(r["Date"] for r in done),
        last=max(r["Date"] for r in done),
        volume=volume(),
        skipped=len(rows) - len(done),
        warmups=sum(int(r["Sets"]) for r in done if r["isWarmup"].upper() == "TRUE"),
        converted=sum(int(r["Sets"]) for r in done if len(r["Weight"].partition(".")[2]) > 3),
        pound_share=sum(len(w.partition(".")[2]) > 3 for w in nonzero) / len(nonzero),
    )


@needs_real
def test_real_file_read_against_an_independent_count() -> None:
    want = _counted()
    source = read_fitbod(REAL_FILE.read_text(encoding="utf-8"), name=REAL_FILE.name, tz=UTC)
    days = sorted({s.started_at.date().isoformat() for s in source.sets})
    assert source.rejected == []
    assert len(source.sets) == want.sets == 2986
    assert len({s.session_key for s in source.sets}) == want.workouts == 141
    assert (days[0], days[-1]) == (want.first, want.last) == ("2018-05-16", "2019-02-13")
    assert len(source.skipped) == want.skipped == 17
    assert sum(s.kind is SetKind.WARMUP for s in source.sets) == want.warmups == 125
    assert want.pound_share > 0.5  # a pound lifter's file
    exact = float(sum(s.load.exact_kg * s.reps for s in source.sets))
    assert exact == pytest.approx(want.volume, abs=0.01)
    assert exact == pytest.approx(459635.70, abs=0.01)
    assert sum(s.load.unit is Unit.LB for s in source.sets) == want.converted == 2490


@needs_real
def test_real_file_is_detected_and_read_by_its_format() -> None:
    data = REAL_FILE.read_bytes()
    assert detect(data, REAL_FILE.name) == "fitbod"
    assert len(read_source(data, REAL_FILE.name, "fitbod", UTC).sets) == 2986


@needs_real
def test_real_file_imports_once_through_the_service(uow: UnitOfWork) -> None:
    want = _counted()
    source = read_fitbod(REAL_FILE.read_text(encoding="utf-8"), name=REAL_FILE.name, tz=UTC)
    summary = for_name(import_source, uow, "fb", source)
    assert (summary.sessions_created, summary.sets_created) == (want.workouts, want.sets)
    assert summary.rows_skipped == want.skipped
    assert (str(summary.first_day), str(summary.last_day)) == (want.first, want.last)
    assert summary.volume_kg == pytest.approx(want.volume, abs=0.01)
    assert summary.unit_note is None  # every load's unit is stated
    again = for_name(import_source, uow, "fb", source)
    assert (again.sessions_created, again.sessions_skipped) == (0, want.workouts)


@needs_real
def test_real_file_through_the_command_line(tmp_path: Path) -> None:
    from tests.e2e.conftest import REPLOG, Cli

    if not REPLOG.exists():
        pytest.skip(f"{REPLOG} is not installed")
    want = _counted()
    cli = Cli(tmp_path / "r.db")
    doc = cli("import", str(REAL_FILE), "--tz", "UTC", "--json").json()
    assert doc["format"] == "fitbod"
    assert doc["sessions"]["created"] == want.workouts
    assert doc["sets"]["created"] == want.sets
    assert (doc["first_day"], doc["last_day"]) == (want.first, want.last)
    assert doc["volume_kg"] == pytest.approx(want.volume, abs=0.01)
    assert doc["rows_skipped"] == want.skipped
    assert any("read as pounds" in w for w in doc["warnings"])
