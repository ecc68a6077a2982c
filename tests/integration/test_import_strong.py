"""Strong CSV import (every header variant) and the Strong-compatible writer."""

from __future__ import annotations

import contextlib
import csv
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replog.core.errors import ImportFormatError, ReplogError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import Athlete, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.io.strong import (
    STRONG_HEADER,
    equipment_hint,
    parse_duration,
    read_strong,
    stored_kg_load,
    write_strong,
)
from replog.services.exchange import AthleteData
from replog.services.imported import ImportedSet, SourceFile
from replog.services.importing import refuse_unreadable

BERLIN = ZoneInfo("Europe/Berlin")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
STRONG_DIR = SHARED / "imports" / "strong"

# `;`, every field quoted, "Workout #", "Duration (sec)", unit in the header, decimal comma,
# W/F/D markers and a rest timer.
SEMICOLON_LBS = (
    '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";'
    '"Weight (lbs)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"\n'
    '"7";"2024-03-01 18:00:00";"Push";"3900";"Bench Press (Barbell)";"W";"95";"8";"";"";"";"";'
    '"felt ok"\n'
    '"7";"2024-03-01 18:00:00";"Push";"3900";"Bench Press (Barbell)";"1";"225";"5";"8,5";"";"";'
    '"paused";"felt ok"\n'
    '"7";"2024-03-01 18:00:00";"Push";"3900";"Bench Press (Barbell)";"Rest Timer";"";"";"";"";'
    '"180";"";"felt ok"\n'
    '"7";"2024-03-01 18:00:00";"Push";"3900";"Bench Press (Barbell)";"F";"225";"3";"10";"";"";'
    '"";"felt ok"\n'
    '"7";"2024-03-01 18:00:00";"Push";"3900";"Bench Press (Barbell)";"D";"142,5";"12";"";"";"";'
    '"";"felt ok"\n'
)

# `,`, unquoted, no unit anywhere (the old export): lb users' weights are stored kg floats.
COMMA_NO_UNIT = (
    "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
    "2019-02-14 07:33:40,Phraks Wed,Bent Over Row (Barbell),1,6.80388555,5,0,0,,,\n"
    "2019-02-14 07:33:40,Phraks Wed,Bent Over Row (Barbell),2,61.2349699500,5,0,0,,,\n"
    "2019-02-14 07:33:40,Phraks Wed,Squat (Barbell),1,102.5,5,0,0,,,\n"
    "2019-02-14 07:33:40,Phraks Wed,Squat (Barbell),2,100.12345,5,0,0,,,\n"
    "2019-02-16 08:00:00,Phraks Fri,Pull Up,1,0,8,0,0,,,\n"
)

# `,` with a "Weight Unit" column (lbs and kg), humanised "Duration", RPE, a rest timer,
# cardio and plank rows, an empty set and a 0-rep miss.
UNIT_COLUMN = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Weight Unit,Reps,RPE,"
    "Distance,Distance Unit,Seconds,Notes,Workout Notes\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Squat (Barbell),1,315,lbs,5,9,,,,,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Squat (Barbell),Rest Timer,,,,,,,240,,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Squat (Barbell),2,315,lbs,0,,,,,missed,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Squat (Barbell),3,,lbs,0,,,,,,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Running,1,,,,,5,km,1800,,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Plank,1,,,,,,,60,,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Leg Press (Machine),1,140,kg,10,7.5,,,,,\n"
    "2024-05-02 07:10:00,Legs,1h 5m,Leg Press (Machine),Rest Timer,,,,,,,90,,\n"
    '2024-05-04 09:00:00,"Arms, light",45m,Curl (Dumbbell),1,12.5,kg,12,,,,,,"note, with comma"\n'
)


def _error(text: str) -> ImportFormatError:
    """The error a strict import gives: the first row the reader left out (or the file's)."""
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(read_strong(text, tz=UTC), strict=True)
    return info.value


def _sessions(source: SourceFile) -> dict[str, list[ImportedSet]]:
    out: dict[str, list[ImportedSet]] = {}
    for s in source.sets:
        out.setdefault(s.session_key, []).append(s)
    return out


# ------------------------------------------------------------------------------ variants
def test_semicolon_quoted_units_in_header_markers_and_rest() -> None:
    source = read_strong(SEMICOLON_LBS, name="s.csv", tz=BERLIN)
    assert source.format == "strong"
    assert source.name == "s.csv"
    assert [(s.kind, s.load, s.reps) for s in source.sets] == [
        (SetKind.WARMUP, Load(Decimal("95"), Unit.LB), 8),
        (SetKind.WORKING, Load(Decimal("225"), Unit.LB), 5),
        (SetKind.FAILURE, Load(Decimal("225"), Unit.LB), 3),
        (SetKind.DROP, Load(Decimal("142.5"), Unit.LB), 12),
    ]
    first, working = source.sets[0], source.sets[1]
    assert working.rpe == 8.5
    assert source.sets[2].rpe == 10
    assert working.rest_s == 180  # the rest timer after it
    assert first.rest_s is None
    assert [(r.line, r.reason) for r in source.skipped] == [(4, "rest timer")]
    assert working.session_key == "2024-03-01 18:00:00|Push"
    assert working.started_at == datetime(2024, 3, 1, 18, 0, tzinfo=BERLIN)
    assert working.ended_at == datetime(2024, 3, 1, 19, 5, tzinfo=BERLIN)  # 3900 s
    assert working.session_name == "Push"
    assert working.session_notes == "felt ok"
    assert working.notes == "paused"
    assert working.equipment is Equipment.BARBELL
    assert working.line == 3
    assert working.raw.startswith('"7";"2024-03-01 18:00:00";"Push"')
    assert source.warnings == []


def test_comma_no_unit_reads_pounds_stored_as_kilograms() -> None:
    source = read_strong(COMMA_NO_UNIT, tz=UTC)
    loads = [s.load for s in source.sets]
    assert loads == [
        Load(Decimal("15"), Unit.LB),  # 6.80388555 kg = 15 lb exactly
        Load(Decimal("135"), Unit.LB),  # 61.23496995 kg, written with trailing zeros
        Load(Decimal("102.5"), Unit.KG),  # one decimal: kilograms as written
        Load(Decimal("100.12345"), Unit.KG),  # 220.73 lb: not a quarter pound
        Load(Decimal("0"), Unit.KG),
    ]
    assert loads[0].value.as_tuple().exponent == 0  # "15", not "15.000"
    assert len(source.warnings) == 1
    assert "2 weight(s)" in source.warnings[0]
    assert len(_sessions(source)) == 2
    assert all(s.ended_at is None for s in source.sets)  # no duration column
    assert source.sets[-1].equipment is None


def test_stored_kg_rule_edges() -> None:
    assert stored_kg_load(Decimal("6.80388555")) == Load(Decimal("15"), Unit.LB)
    assert stored_kg_load(Decimal("0.1133980925")) == Load(Decimal("0.25"), Unit.LB)
    assert stored_kg_load(Decimal("6.940")) is None  # three decimals: kg
    assert stored_kg_load(Decimal("6.8039")) == Load(Decimal("15"), Unit.LB)  # 3e-5 lb off
    assert stored_kg_load(Decimal("6.8049")) is None  # 0.002 lb off a quarter: kg
    assert stored_kg_load(Decimal("0")) is None


def test_weight_unit_column_durations_cardio_and_empty_sets() -> None:
    source = read_strong(UNIT_COLUMN, tz=UTC)
    sets = source.sets
    assert [(s.exercise, s.load, s.reps) for s in sets] == [
        ("Squat (Barbell)", Load(Decimal("315"), Unit.LB), 5),
        ("Squat (Barbell)", Load(Decimal("315"), Unit.LB), 0),  # a miss with a weight: kept
        ("Leg Press (Machine)", Load(Decimal("140"), Unit.KG), 10),
        ("Curl (Dumbbell)", Load(Decimal("12.5"), Unit.KG), 12),
    ]
    assert [s.rest_s for s in sets] == [240, None, 90, None]
    assert [s.rpe for s in sets] == [9.0, None, 7.5, None]
    assert sets[1].notes == "missed"
    assert sets[0].ended_at == datetime(2024, 5, 2, 8, 15, tzinfo=UTC)  # 1h 5m
    assert sets[3].ended_at == datetime(2024, 5, 4, 9, 45, tzinfo=UTC)  # 45m
    assert sets[3].session_name == "Arms, light"
    assert sets[3].session_key == "2024-05-04 09:00:00|Arms, light"
    assert sets[3].session_notes == "note, with comma"
    assert [s.equipment for s in sets] == [
        Equipment.BARBELL,
        Equipment.BARBELL,
        Equipment.MACHINE,
        Equipment.DUMBBELL,
    ]
    assert [(r.line, r.reason) for r in source.skipped] == [
        (3, "rest timer"),
        (5, "empty set"),
        (6, "no reps: a timed or distance entry"),
        (7, "no reps: a timed or distance entry"),
        (9, "rest timer"),
    ]


def test_rest_timer_without_a_set_before_it_attaches_nothing() -> None:
    text = (
        "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Seconds\n"
        "2024-01-01 10:00:00,A,Row (Cable),Rest Timer,,,60\n"
        "2024-01-01 10:00:00,A,Row (Cable),1,50,10,0\n"
        "2024-01-01 10:00:00,A,Curl (Cable),Rest Timer,,,75\n"
    )
    source = read_strong(text, tz=UTC)
    assert [s.rest_s for s in source.sets] == [None]  # the second timer is another exercise
    assert [r.line for r in source.skipped] == [2, 4]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 5m", 3900),
        ("45m", 2700),
        ("1h", 3600),
        ("30s", 30),
        ("2h 0m", 7200),
        ("1h 2m 3s", 3723),
        ("90", 90),
        ("", None),
        ("1.5h", None),
        ("abc", None),
    ],
)
def test_parse_duration(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("duration", ["1h", "1h 0m", "60m", "3600s"])
def test_humanised_duration_columns(duration: str) -> None:
    for column in ("Duration", "Workout Duration"):
        text = (
            f"Date,Workout Name,{column},Exercise Name,Set Order,Weight,Weight Unit,Reps\n"
            f"2024-01-01 10:00:00,A,{duration},Row (Cable),1,50,kg,10\n"
        )
        (only,) = read_strong(text, tz=UTC).sets
        assert only.ended_at == datetime(2024, 1, 1, 11, 0, tzinfo=UTC)


def test_zero_duration_means_unknown_end_and_12_hour_dates() -> None:
    text = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Weight Unit,Reps\n"
        "2024-01-15 6:30:12\u202fPM,A,0m,Row (Cable),1,50,kg,10\n"
    )
    (only,) = read_strong(text, tz=UTC).sets
    assert only.started_at == datetime(2024, 1, 15, 18, 30, 12, tzinfo=UTC)
    assert only.ended_at is None


@pytest.mark.parametrize(
    ("name", "equipment"),
    [
        ("Bench Press (Barbell)", Equipment.BARBELL),
        ("Bench Press (Dumbbell)", Equipment.DUMBBELL),
        ("Shoulder Press (Machine)", Equipment.MACHINE),
        ("Bench Press (Smith Machine)", Equipment.MACHINE),
        ("Lat Pulldown (Cable)", Equipment.CABLE),
        ("Goblet Squat (Kettlebell)", Equipment.KETTLEBELL),
        ("Push Up (Bodyweight)", Equipment.BODYWEIGHT),
        ("Pull Up (Assisted)", Equipment.BODYWEIGHT),
        ("Chin Up (Weighted)", Equipment.BODYWEIGHT),
        ("bench press (BARBELL)", Equipment.BARBELL),
        ("Press (Each Side, Dumbbells)", Equipment.DUMBBELL),
        ("Bench (Each Side) (Smith Machine)", Equipment.MACHINE),
        ("Leg Press", None),
        ("Face Pull (Band)", None),
        ("Barbell Row", None),  # only the parenthesis counts
        ("Row (Barbell", None),
    ],
)
def test_equipment_hint(name: str, equipment: Equipment | None) -> None:
    assert equipment_hint(name) is equipment


# -------------------------------------------------------------------------------- errors
_HEAD = "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,RPE,Seconds\n"
_GOOD = "2024-01-01 10:00:00,A,Row (Cable),1,50,10,,\n"


@pytest.mark.parametrize(
    ("bad_row", "column"),
    [
        ("2024-13-01 10:00:00,A,Row (Cable),1,50,10,,", "Date (column 1)"),
        ("yesterday,A,Row (Cable),1,50,10,,", "Date (column 1)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,fifty,10,,", "Weight (column 5)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,-5,10,,", "Weight (column 5)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,5000,10,,", "Weight (column 5)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,50,ten,,", "Reps (column 6)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,50,2.5,,", "Reps (column 6)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,50,500,,", "Reps (column 6)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,50,10,11,", "RPE (column 7)"),
        ("2024-01-01 10:00:00,A,Row (Cable),1,50,10,8.3,", "RPE (column 7)"),
        ("2024-01-01 10:00:00,A,Row (Cable),X,50,10,,", "Set Order (column 4)"),
        ("2024-01-01 10:00:00,A,,1,50,10,,", "Exercise Name (column 3)"),
        ("2024-01-01 10:00:00,A,Row (Cable),Rest Timer,,,,-3", "Seconds (column 8)"),
    ],
)
def test_bad_values_name_line_and_column(bad_row: str, column: str) -> None:
    error = _error(_HEAD + _GOOD + bad_row + "\n")
    assert error.line == 3
    assert error.field == column


def test_bad_unit_and_duration_name_their_column() -> None:
    unit = _error(
        "Date,Workout Name,Exercise Name,Set Order,Weight,Weight Unit,Reps\n"
        "2024-01-01 10:00:00,A,Row (Cable),1,50,stone,10\n"
    )
    assert (unit.line, unit.field) == (2, "Weight Unit (column 6)")
    duration = _error(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps\n"
        "2024-01-01 10:00:00,A,an hour,Row (Cable),1,50,10\n"
    )
    assert (duration.line, duration.field) == (2, "Duration (column 3)")


def test_truncated_and_overlong_rows_name_their_line() -> None:
    cut = _error(_HEAD + _GOOD + _GOOD + "2024-01-01 10:00:00,A,Row (Cab")
    assert cut.line == 4
    extra = _error(_HEAD + _GOOD + "2024-01-01 10:00:00,A,Row, Cable,1,50,10,,\n")
    assert extra.line == 3


def test_huge_numbers_are_errors_not_crashes() -> None:
    huge = "9" * 5000  # past Python's 4300-digit limit on int <-> str conversion
    head = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Seconds\n"
    for row, column in [
        (f"2024-01-01 10:00:00,A,1h,X,1,1,{huge},", "Reps (column 7)"),
        (f"2024-01-01 10:00:00,A,1h,X,1,{huge},1,", "Weight (column 6)"),
        (f"2024-01-01 10:00:00,A,{huge},X,1,1,1,", "Duration (column 3)"),
        (f"2024-01-01 10:00:00,A,1h,X,Rest Timer,,,{huge}", "Seconds (column 8)"),
        ("9999-12-31 23:30:00,A,1h,X,1,1,1,", "Duration (column 3)"),
    ]:
        error = _error(head + row + "\n")
        assert (error.line, error.field) == (2, column)
        assert len(error.message) < 200


def test_missing_column_is_refused_on_the_header() -> None:
    error = _error("Date,Workout Name,Exercise Name,Weight,Reps\n2024-01-01 10:00:00,A,B,1,2\n")
    assert error.line == 1
    assert error.field == "Set Order"


# ----------------------------------------------------------------------------- real files
def _real(name: str) -> str:
    path = STRONG_DIR / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared not checked out)")
    return path.read_text(encoding="utf-8")


def _summary(source: SourceFile) -> tuple[int, int, str, str, float, int]:
    keys = {s.session_key for s in source.sets}
    starts = sorted(s.started_at for s in source.sets)
    volume = sum(s.load.kg * s.reps for s in source.sets)
    return (
        len(keys),
        len(source.sets),
        starts[0].strftime("%Y-%m-%d"),
        starts[-1].strftime("%Y-%m-%d"),
        round(volume, 1),
        len(source.skipped),
    )


def test_real_semicolon_quoted_units_in_header() -> None:
    source = read_strong(_real("strong_semicolon_quoted_units_in_header.csv"), tz=UTC)
    # Counted with csv.reader(delimiter=";"): 14 data rows, 2 distinct (Date, Workout Name),
    # dates 2019-03-28 and 2019-03-31, sum(Weight (kg) * Reps) = 10450.0, all Set Orders
    # numbers 1-5, no rest timers or cardio rows.
    assert _summary(source) == (2, 14, "2019-03-28", "2019-03-31", 10450.0, 0)
    ends = [s.ended_at for s in source.sets]
    assert None not in ends
    assert {end - s.started_at for s, end in zip(source.sets, ends, strict=True) if end} == {
        timedelta(seconds=1267),
        timedelta(seconds=4422),
    }
    assert all(s.load.unit is Unit.KG for s in source.sets)


def test_real_comma_no_duration_pounds_as_kilograms() -> None:
    source = read_strong(_real("strong_comma_no_duration.csv"), tz=UTC)
    # Counted with csv.reader: 9 data rows in one workout (2019-02-14 "Phraks Wed"), no
    # skipped rows; 3 x 5 reps each at 6.80388555 (15 lb), 15.0 and 11.33980925 (25 lb):
    # 15 x (6.804 + 15.0 + 11.340) = 497.16 kg with the pound loads to the gram (the raw
    # kg floats give 497.155).
    assert _summary(source) == (1, 9, "2019-02-14", "2019-02-14", 497.2, 0)
    assert [s.load.text for s in source.sets[::3]] == ["15 lb", "15.0 kg", "25 lb"]
    assert all(s.ended_at is None for s in source.sets)


def test_real_malformed_file_names_its_open_quote() -> None:
    # Line 2 stops after 4 of 13 fields; line 3 opens a quote the file never closes.
    error = _error(_real("strong_malformed.csv"))
    assert error.line == 3
    assert "quote" in error.message


# ---------------------------------------------------------------------------- round trip
_OFFSET = timezone(timedelta(hours=-5))
_NAMES = {
    "bench": "Bench Press (Barbell)",
    "curl": 'Curl, "EZ" Bar (Dumbbell)',
    "row": "Row; Seated (Cable)",
    "squat": "Squat",
}
_text = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=12
).map(str.strip)
_kg = st.decimals(min_value=0, max_value=400, places=2).map(lambda d: Load(d, Unit.KG))
_lb_quarters = st.integers(0, 2400).map(lambda q: Load(Decimal(q) / 4, Unit.LB))
_lb_tenths = st.integers(0, 9000).map(lambda t: Load(Decimal(t) / 10, Unit.LB))
_set = st.tuples(
    st.sampled_from(sorted(_NAMES)),
    st.one_of(_kg, _lb_quarters, _lb_tenths),
    st.integers(1, 30),
    st.sampled_from(list(SetKind)),
    st.one_of(st.none(), st.integers(2, 20).map(lambda h: h / 2)),
    _text,
)
_session = st.tuples(
    st.one_of(st.none(), st.integers(1, 300)), _text, _text, st.lists(_set, min_size=1, max_size=6)
)


def _athlete_data(specs: list[Any]) -> list[AthleteData]:
    start = datetime(2023, 1, 1, 7, 0, tzinfo=_OFFSET)
    sessions = []
    for n, (minutes, name, notes, set_specs) in enumerate(specs):
        began = start + timedelta(days=n, minutes=n * 7, seconds=n)
        sid = f"s{n}"
        records = [
            SetRecord(
                id=f"{sid}-{i}",
                session_id=sid,
                exercise=exercise,
                position=i + 1,
                load=load,
                reps=reps,
                performed_at=began,
                rpe=rpe,
                kind=kind,
                notes=set_notes,
            )
            for i, (exercise, load, reps, kind, rpe, set_notes) in enumerate(set_specs)
        ]
        ended = None if minutes is None else began + timedelta(minutes=minutes)
        sessions.append(Session(sid, "a1", began, ended, name, notes, tuple(records)))
    return [AthleteData(Athlete("a1", "Ann"), sessions=tuple(sessions))]


_KEPT = {SetKind.WARMUP, SetKind.FAILURE, SetKind.DROP}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_session, min_size=1, max_size=5))
def test_write_then_read_gives_the_same_sessions(specs: list[Any]) -> None:
    data = _athlete_data(specs)
    text = write_strong(data, _NAMES, _OFFSET)
    assert text.splitlines()[0] == ",".join(STRONG_HEADER)
    source = read_strong(text, tz=_OFFSET)
    assert source.skipped == []
    read = list(_sessions(source).values())
    written = data[0].sessions
    assert len(read) == len(written)
    for session, sets in zip(written, read, strict=True):
        assert {s.started_at for s in sets} == {session.started_at}
        assert {s.ended_at for s in sets} == {session.ended_at}
        assert {s.session_name for s in sets} == {session.name}
        assert {s.session_notes for s in sets} == {session.notes}
        assert len(sets) == len(session.sets)
        for record, got in zip(session.sets, sets, strict=True):
            assert got.exercise == _NAMES[record.exercise]
            assert got.load.kg == pytest.approx(record.load.kg, abs=1e-6)
            quarter_lb = record.load.unit is Unit.LB and record.load.value % Decimal("0.25") == 0
            if quarter_lb and record.load.value > 0:
                assert got.load == record.load  # pounds come back as pounds
            assert got.reps == record.reps
            assert got.kind == (record.kind if record.kind in _KEPT else SetKind.WORKING)
            assert got.rpe == record.rpe
            assert got.notes == record.notes


def test_writer_layout_set_order_and_duration() -> None:
    began = datetime(2024, 6, 1, 17, 30, 5, tzinfo=BERLIN)
    kinds = [SetKind.WARMUP, SetKind.WORKING, SetKind.WORKING, SetKind.DROP, SetKind.AMRAP]
    records = [
        SetRecord(f"x{i}", "s", "bench", i + 1, Load(Decimal("225"), Unit.LB), 5, began, kind=k)
        for i, k in enumerate(kinds)
    ]
    records.append(SetRecord("y", "s", "squat", 6, Load(Decimal("100"), Unit.KG), 3, began, rir=1))
    session = Session(
        "s", "a", began, began + timedelta(minutes=65), "Push, heavy", "", tuple(records)
    )
    text = write_strong([AthleteData(Athlete("a", "Ann"), sessions=(session,))], _NAMES, BERLIN)
    lines = text.splitlines()
    rows = list(csv.reader(lines))
    assert lines[0] == (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE"
    )
    assert lines[1] == (
        '2024-06-01 17:30:05,"Push, heavy",1h 5m,Bench Press (Barbell),W,102.05828325,5,0,0,,,'
    )
    assert [row[4] for row in rows[1:]] == ["W", "1", "2", "D", "3", "1"]
    assert lines[-1].endswith(",100,3,0,0,,,9")  # RPE 10 - RIR 1
    assert len(lines) == 7


def test_writer_refuses_an_exercise_without_a_name() -> None:
    began = datetime(2024, 6, 1, 17, 30, tzinfo=UTC)
    record = SetRecord("x", "s", "deadlift", 1, Load(Decimal("100"), Unit.KG), 5, began)
    session = Session("s", "a", began, sets=(record,))
    with pytest.raises(ValidationError):
        write_strong([AthleteData(Athlete("a", "Ann"), sessions=(session,))], _NAMES)


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
    st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.sampled_from(list(',;"\n.-0129 Wx'))),
    max_size=8,
)


def _read_or_replog_error(text: str) -> None:
    with contextlib.suppress(ReplogError):
        read_strong(text, tz=UTC)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_arbitrary_text_raises_only_replog_errors(text: str) -> None:
    _read_or_replog_error(text)
    _read_or_replog_error(_HEAD + text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([SEMICOLON_LBS, COMMA_NO_UNIT, UNIT_COLUMN]), _ops)
def test_fuzz_mutated_fixtures_raise_only_replog_errors(
    text: str, ops: list[tuple[int, int, str]]
) -> None:
    _read_or_replog_error(_mutate(text, ops))
