"""RepLog's CSV exports (per set, per rep) and the per-rep velocity CSV read back."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replog.core.errors import ImportFormatError, ReplogError
from replog.core.ids import new_id
from replog.core.model import Athlete, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.io.rep_csv import REP_COLUMNS, read_rep_csv, write_reps_csv, write_sets_csv
from replog.services.exchange import AthleteData

BERLIN = ZoneInfo("Europe/Berlin")
NAMES = {"back_squat": "Back Squat", "bench_press": 'Bench, "paused"', "row": "Rudern ü"}


def _error(text: str, **kwargs: object) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        read_rep_csv(text, **kwargs)  # type: ignore[arg-type]
    return info.value


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _athlete(*sessions: Session, name: str = "Ada") -> AthleteData:
    return AthleteData(
        Athlete(sessions[0].athlete_id if sessions else new_id(), name), (), sessions
    )


def _session(
    start: datetime, sets: list[dict[str, object]], name: str = "", aid: str = "a"
) -> Session:
    sid = new_id()
    records = [
        SetRecord(
            **{
                "id": new_id(),
                "session_id": sid,
                "exercise": "back_squat",
                "position": i + 1,
                "load": Load(Decimal("100"), Unit.KG),
                "reps": 3,
                "performed_at": start,
                **fields,
            }
        )
        for i, fields in enumerate(sets)
    ]
    return Session(sid, aid, start, name=name, sets=tuple(records))


START = datetime(2026, 1, 31, 18, 5, tzinfo=BERLIN)


def _example() -> AthleteData:
    reps = (
        Rep(1, 0.52, 0.6, 0.98, 0.61, 0.9, 1.4, RepSource.LPT),
        Rep(2, 0.48, source=RepSource.LPT),
        Rep(3, None, source=RepSource.MANUAL),
    )
    return _athlete(
        _session(
            START,
            [
                {"load": Load(Decimal("102.50"), Unit.KG), "rpe": 8.5, "rep_data": reps},
                {
                    "exercise": "bench_press",
                    "load": Load(Decimal("225"), Unit.LB),
                    "reps": 5,
                    "rir": 2.0,
                    "kind": SetKind.BACKOFF,
                    "tags": ("paused", "belt"),
                    "notes": "felt ok,\nno pain",
                },
            ],
            name="Heavy, day",
        )
    )


# ---------------------------------------------------------------------------- writing
def test_reps_csv_writes_a_row_per_rep_and_one_for_a_set_without_reps() -> None:
    text = write_reps_csv([_example()], NAMES)
    assert text.splitlines()[0] == ",".join(REP_COLUMNS)
    rows = _rows(text)
    assert len(rows) == 4
    first, last = rows[0], rows[3]
    assert first["session_start"] == "2026-01-31T18:05:00+01:00"
    assert (first["exercise"], first["exercise_key"]) == ("Back Squat", "back_squat")
    assert (first["load"], first["unit"], first["reps"], first["rpe"]) == (
        "102.50",
        "kg",
        "3",
        "8.5",
    )
    assert [first[k] for k in ("rep", "mcv", "mpv", "peak_velocity", "rom", "source")] == [
        "1", "0.52", "0.6", "0.98", "0.61", "lpt",
    ]  # fmt: skip
    assert (rows[2]["rep"], rows[2]["mcv"], rows[2]["source"]) == ("3", "", "manual")
    assert (last["exercise"], last["set"], last["kind"], last["load"], last["unit"]) == (
        'Bench, "paused"', "2", "backoff", "225", "lb",
    )  # fmt: skip
    assert (last["rep"], last["mcv"], last["source"], last["reps"], last["rir"]) == (
        "",
        "",
        "",
        "5",
        "2.0",
    )
    assert last["session_name"] == "Heavy, day"


def test_small_floats_are_written_without_an_exponent() -> None:
    data = _athlete(
        _session(
            START,
            [
                {
                    "rep_data": (Rep(1, 1e-05, peak_velocity=2.5e-7 + 1),),
                }
            ],
        )
    )
    row = _rows(write_reps_csv([data], {}))[0]
    assert row["mcv"] == "0.00001"
    assert float(row["peak_velocity"]) == 2.5e-7 + 1
    assert row["exercise"] == "back_squat"  # no display name: the key


def test_sets_csv_one_row_per_set_with_a_velocity_summary() -> None:
    text = write_sets_csv([_example()], NAMES)
    assert text.splitlines()[0] == (
        "athlete,session_id,session_start,session_name,set_id,position,exercise_key,exercise,"
        "kind,load,unit,load_kg,reps,rpe,rir,rest_s,tags,notes,performed_at,mean_velocity,"
        "best_velocity,velocity_loss_pct"
    )
    squat, bench = _rows(text)
    assert squat["athlete"] == "Ada"
    assert (squat["load"], squat["unit"], squat["load_kg"]) == ("102.50", "kg", "102.5")
    assert squat["mean_velocity"] == "0.5"  # (0.52 + 0.48) / 2; rep 3 was not measured
    assert squat["best_velocity"] == "0.52"
    assert squat["velocity_loss_pct"] == "7.69"  # 100 * (0.52 - 0.48) / 0.52
    assert squat["performed_at"] == "2026-01-31T18:05:00+01:00"
    assert (bench["load_kg"], bench["tags"], bench["notes"]) == (
        "102.058",
        "belt;paused",
        "felt ok,\nno pain",
    )
    assert bench["mean_velocity"] == bench["velocity_loss_pct"] == ""
    assert (bench["position"], bench["rir"], bench["rpe"]) == ("2", "2.0", "")


def test_reading_the_export_back_gives_the_sets() -> None:
    data = _example()
    out = read_rep_csv(write_reps_csv([data], NAMES), name="ada.csv")
    assert (out.format, out.name, out.warnings) == ("velocity-csv", "ada.csv", [])
    squat, bench = out.sets
    original = data.sessions[0].sets
    assert squat.session_key == bench.session_key
    assert squat.started_at == START
    assert squat.session_name == "Heavy, day"
    assert (squat.exercise, str(squat.load.value), squat.reps, squat.rpe) == (
        "Back Squat",
        "102.50",
        3,
        8.5,
    )
    assert squat.rep_data == original[0].rep_data
    assert (squat.line, squat.raw.count("\n")) == (2, 2)
    assert (bench.exercise, bench.load, bench.reps, bench.rir, bench.kind) == (
        'Bench, "paused"', Load(Decimal(225), Unit.LB), 5, 2.0, SetKind.BACKOFF,
    )  # fmt: skip
    assert bench.rep_data == ()
    assert bench.line == 5


# ---------------------------------------------------------------------------- round trip
_TIMEZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=7)), BERLIN]
)
_NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12).map(
    str.strip
)
_HALF = st.integers(2, 20).map(lambda n: n / 2)


@st.composite
def _reps(draw: st.DrawFn, count: int) -> tuple[Rep, ...]:
    indexes = sorted(draw(st.sets(st.integers(1, count), max_size=count))) if count else []
    out = []
    for i in indexes:
        speed = st.none() | st.floats(0, 3)
        mcv = draw(speed)
        peak = draw(st.none() | st.floats(mcv or 0, 10))
        out.append(
            Rep(
                i,
                mcv,
                draw(speed),
                peak,
                draw(st.none() | st.floats(0, 3)),
                draw(st.none() | st.floats(0, 120)),
                draw(st.none() | st.floats(0, 120)),
                draw(st.sampled_from(RepSource)),
            )
        )
    return tuple(out)


@st.composite
def _set(draw: st.DrawFn, sid: str, position: int, start: datetime) -> SetRecord:
    whole, digits = draw(st.integers(0, 900)), draw(st.text("0123456789", max_size=3))
    reps = draw(st.integers(0, 12))
    rpe = draw(st.none() | _HALF)
    rir = draw(st.none() | st.integers(0, 20).map(lambda n: n / 2)) if rpe is None else None
    if rpe is not None and draw(st.booleans()):
        rir = 10 - rpe
    return SetRecord(
        new_id(),
        sid,
        draw(st.sampled_from(sorted(NAMES))),
        position,
        Load(Decimal(f"{whole}.{digits}" if digits else str(whole)), draw(st.sampled_from(Unit))),
        reps,
        start,
        rpe,
        rir,
        draw(st.sampled_from(SetKind)),
        rep_data=draw(_reps(reps)),
    )


@st.composite
def _sessions(draw: st.DrawFn) -> list[Session]:
    starts = draw(
        st.lists(
            st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=_TIMEZONES),
            min_size=1,
            max_size=3,
            unique_by=lambda d: d.timestamp(),
        )
    )
    sessions = []
    for start in starts:
        sid = new_id()
        positions = sorted(draw(st.sets(st.integers(1, 40), min_size=1, max_size=4)))
        sets = [draw(_set(sid, p, start)) for p in reversed(positions)]  # written in order
        sessions.append(Session(sid, "a", start, name=draw(_NAME), sets=tuple(sets)))
    return sessions


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sessions())
def test_round_trip_keeps_every_set_and_rep(sessions: list[Session]) -> None:
    data = AthleteData(Athlete("a", "Ada"), (), tuple(sessions))
    out = read_rep_csv(write_reps_csv([data], NAMES))
    originals = [(ses, s) for ses in sessions for s in sorted(ses.sets, key=lambda x: x.position)]
    assert len(out.sets) == len(originals)
    keys: dict[str, str] = {}
    for got, (ses, want) in zip(out.sets, originals, strict=True):
        assert keys.setdefault(got.session_key, ses.id) == ses.id  # one key per session
        assert got.started_at.timestamp() == ses.started_at.timestamp()
        assert got.session_name == ses.name
        assert got.exercise == NAMES[want.exercise]
        assert (got.kind, got.reps, got.rpe, got.rir) == (want.kind, want.reps, want.rpe, want.rir)
        assert (str(got.load.value), got.load.unit) == (str(want.load.value), want.load.unit)
        assert got.rep_data == want.rep_data
    assert len(set(keys.values())) == len(sessions)
    assert out.warnings == []


# ---------------------------------------------------------------------------- generic files
def test_without_a_set_column_sets_split_on_repeats_and_changes() -> None:
    text = (
        "date,exercise,load,unit,rep,mcv\n"
        "2026-02-02,Deadlift,180,kg,1,0.45\n"
        "2026-02-02,Deadlift,180,kg,2,0.41\n"
        "2026-02-02,Deadlift,180,kg,1,0.44\n"  # rep number goes back: a new set
        "2026-02-02,Deadlift,190,kg,2,0.38\n"  # load changes: a new set
        "2026-02-02,Deadlift,190,kg,3,0.35\n"
        "2026-02-02,Squat,190,kg,4,0.5\n"  # exercise changes
        "2026-02-03,Squat,190,kg,5,0.5\n"  # session changes
    )
    sets = read_rep_csv(text, tz=BERLIN).sets
    assert [
        (s.exercise, str(s.load.value), s.reps, [r.index for r in s.rep_data]) for s in sets
    ] == [
        ("Deadlift", "180", 2, [1, 2]),
        ("Deadlift", "180", 1, [1]),
        ("Deadlift", "190", 3, [2, 3]),  # reps default to the highest rep number
        ("Squat", "190", 4, [4]),
        ("Squat", "190", 5, [5]),
    ]
    assert [s.line for s in sets] == [2, 4, 5, 7, 8]
    assert sets[0].started_at == datetime(2026, 2, 2, tzinfo=BERLIN)
    assert sets[0].session_key == sets[3].session_key != sets[4].session_key
    assert {r.source for s in sets for r in s.rep_data} == {RepSource.DEVICE}


@pytest.mark.parametrize(
    ("header", "cell", "load"),
    [
        ("load_kg", "100", Load(Decimal(100), Unit.KG)),
        ("Load (kg)", "102.5", Load(Decimal("102.5"), Unit.KG)),
        ("load_lb", "225", Load(Decimal(225), Unit.LB)),
        ("load", "100kg", Load(Decimal(100), Unit.KG)),
        ("weight", "225 lbs", Load(Decimal(225), Unit.LB)),
        ("load_kg", "60KG", Load(Decimal(60), Unit.KG)),
    ],
)
def test_the_unit_in_the_header_or_the_cell(header: str, cell: str, load: Load) -> None:
    out = read_rep_csv(f"date,exercise,{header},rep,velocity\n2026-02-02,Bench,{cell},1,0.7\n")
    assert out.sets[0].load == load
    assert str(out.sets[0].load.value) == str(load.value)


def test_missing_velocities_leave_the_rep_unmeasured() -> None:
    text = (
        "date;exercise;load;rep;mean_velocity\n2026-02-02;Row;80kg;1;0,81\n2026-02-02;Row;80kg;2;\n"
    )
    (s,) = read_rep_csv(text).sets
    assert [(r.index, r.mcv) for r in s.rep_data] == [(1, 0.81), (2, None)]
    assert s.reps == 2


def test_a_velocity_in_mm_per_s_is_refused_with_line_column_and_hint() -> None:
    err = _error(
        "date,exercise,load_kg,rep,mcv\n2026-02-02,Squat,100,1,0.5\n2026-02-02,Squat,100,2,250\n"
    )
    assert err.line == 3
    assert err.field == "mcv (column 5)"
    assert "mm/s" in err.message
    assert "250" in err.message


@pytest.mark.parametrize(
    ("column", "value", "hint"),
    [("peak_velocity", "1200", "mm/s"), ("rom", "45", "cm"), ("concentric_s", "900", "ms")],
)
def test_other_unit_slips_are_named(column: str, value: str, hint: str) -> None:
    err = _error(f"date,exercise,load_kg,rep,mcv,{column}\n2026-02-02,Squat,100,1,0.5,{value}\n")
    assert (err.line, err.field) == (2, f"{column} (column 6)")
    assert hint in err.message


def test_a_set_column_gathers_rows_anywhere_and_orders_sets() -> None:
    text = (
        "session_start,session_name,exercise,set,load,unit,rep,mcv,rpe\n"
        "2026-02-02T10:00:00+00:00,A,Squat,2,100,kg,1,0.5,\n"
        "2026-02-02T10:00:00+00:00,A,Squat,1,90,kg,1,0.6,\n"
        "2026-02-02T10:00:00+00:00,A,Squat,2,100,kg,2,0.45,8\n"
        "2026-02-02T10:00:00+00:00,B,Squat,1,90,kg,1,0.6,\n"
    )
    sets = read_rep_csv(text).sets
    assert [(s.session_name, str(s.load.value), len(s.rep_data), s.rpe) for s in sets] == [
        ("A", "90", 1, None),
        ("A", "100", 2, 8.0),  # the RPE given on one row is the set's
        ("B", "90", 1, None),
    ]
    assert sets[1].raw.splitlines() == text.splitlines()[1:4:2]
    assert sets[0].session_key != sets[2].session_key


def test_a_set_that_changes_load_under_one_number_is_refused() -> None:
    err = _error(
        "date,exercise,set,load_kg,rep,mcv\n2026-02-02,Squat,1,100,1,0.5\n2026-02-02,Squat,1,105,2,0.5\n"
    )
    assert (err.line, err.field) == (3, "load_kg (column 4)")
    assert "line 2" in err.message


def test_a_rep_twice_in_one_numbered_set_is_refused() -> None:
    err = _error(
        "date,exercise,set,load_kg,rep,mcv\n2026-02-02,Squat,1,100,1,0.5\n2026-02-02,Squat,1,100,1,0.4\n"
    )
    assert (err.line, err.field) == (3, "rep (column 5)")


def test_conflicting_set_values_are_refused() -> None:
    err = _error(
        "date,exercise,load_kg,rep,mcv,rpe\n2026-02-02,Squat,100,1,0.5,8\n2026-02-02,Squat,100,2,0.4,9\n"
    )
    assert (err.line, err.field) == (3, "rpe (column 6)")


def test_a_row_without_a_rep_is_a_set_without_rep_data() -> None:
    text = (
        "date,exercise,load_kg,reps,rep,mcv\n2026-02-02,Squat,100,5,,\n2026-02-02,Squat,100,5,,\n"
    )
    sets = read_rep_csv(text).sets
    assert [(s.reps, s.rep_data) for s in sets] == [(5, ()), (5, ())]
    err = _error("date,exercise,load_kg,rep,mcv\n2026-02-02,Squat,100,,\n")
    assert (err.line, err.field) == (2, "reps")
    err = _error("date,exercise,load_kg,rep,mcv\n2026-02-02,Squat,100,,0.5\n")
    assert (err.line, err.field) == (2, "mcv (column 5)")


def test_reps_fewer_than_the_rep_numbers_is_refused() -> None:
    err = _error("date,exercise,load_kg,reps,rep,mcv\n2026-02-02,Squat,100,2,3,0.5\n")
    assert (err.line, err.field) == (2, "reps (column 4)")


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("2026-02-02,Squat,100,1,0.5,", "load (column 3)", "no unit"),
        ("2026-02-02,Squat,100lb,1,0.5,kg", "load (column 3)", "both kg and lb"),
        ("2026-02-02,Squat,100,1,0.5,stone", "unit (column 6)", "kg or lb"),
        ("2026-02-02,Squat,-5,1,0.5,kg", "load (column 3)", "negative"),
        ("2026-02-02,,100,1,0.5,kg", "exercise (column 2)", "exercise name"),
        ("02/02/2026,Squat,100,1,0.5,kg", "date (column 1)", "expected a date"),
        ("1066-10-14,Squat,100,1,0.5,kg", "date (column 1)", "1066"),
        ("2026-02-02,Squat,100,0,0.5,kg", "rep (column 4)", "whole number"),
        ("2026-02-02,Squat,100,1.5,0.5,kg", "rep (column 4)", "whole number"),
        ("2026-02-02,Squat,100,1,-0.5,kg", "mcv (column 5)", "between 0"),
        ("2026-02-02,Squat,100,1,fast,kg", "mcv (column 5)", "a number"),
    ],
)
def test_bad_cells_name_line_and_column(row: str, field: str, words: str) -> None:
    err = _error(f"date,exercise,load,rep,mcv,unit\n2026-02-02,Squat,100,1,0.5,kg\n{row}\n")
    assert (err.line, err.field) == (3, field)
    assert words in err.message


def test_peak_below_mean_velocity_and_bad_kind_or_rpe() -> None:
    base = "date,exercise,load_kg,rep,mcv,peak_velocity,kind,rpe\n"
    err = _error(base + "2026-02-02,Squat,100,1,0.5,0.4,,\n")
    assert (err.line, err.field) == (2, "peak_velocity (column 6)")
    err = _error(base + "2026-02-02,Squat,100,1,0.5,,sideways,\n")
    assert (err.line, err.field) == (2, "kind (column 7)")
    err = _error(base + "2026-02-02,Squat,100,1,0.5,,,8.3\n")
    assert (err.line, err.field) == (2, "rpe (column 8)")
    ok = read_rep_csv(base + "2026-02-02,Squat,100,1,0.5,,Warmup,\n")
    assert ok.sets[0].kind is SetKind.WARMUP


def test_missing_required_columns_are_named() -> None:
    err = _error("date,exercise,load_kg,rep\n2026-02-02,Squat,100,1\n")
    assert (err.line, err.field) == (1, "mcv")
    err = _error("date,exercise,rep,mcv\n2026-02-02,Squat,1,0.5\n")
    assert (err.line, err.field) == (1, "load")


def test_times_without_offset_are_in_the_given_zone() -> None:
    text = (
        "date,exercise,load_kg,rep,mcv\n"
        "2026-07-01 18:30,Squat,100,1,0.5\n"
        "2026-07-01T18:30Z,Squat,100,1,0.5\n"
    )
    first, second = read_rep_csv(text, tz=BERLIN).sets
    assert first.started_at == datetime(2026, 7, 1, 16, 30, tzinfo=UTC)
    assert second.started_at == datetime(2026, 7, 1, 18, 30, tzinfo=UTC)
    assert first.session_key != second.session_key


def test_unknown_columns_and_several_athletes_are_warned_about() -> None:
    text = (
        "athlete,date,exercise,exercise_key,load_kg,rep,mcv,mvc\n"
        "Ada,2026-02-02,Squat,back_squat,100,1,0.5,x\n"
        "Bob,2026-02-02,Squat,back_squat,100,2,0.5,y\n"
    )
    out = read_rep_csv(text, name="f.csv")
    assert len(out.sets) == 1
    assert out.warnings == [
        "f.csv: ignored columns 'mvc'",
        "f.csv: rows of 2 athletes (Ada, Bob); all go to the athlete the import is for",
    ]


# ---------------------------------------------------------------------------- fuzz
_VALID = write_reps_csv([_example()], NAMES)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_replog_errors(text: str) -> None:
    with contextlib.suppress(ReplogError):
        read_rep_csv(text)


_CHUNK = st.text(st.sampled_from(list(',;"\n\r.-+0123456789kglbZT:|e ')), max_size=8) | st.text(
    max_size=4
)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_exports_raise_only_replog_errors(data: st.DataObject) -> None:
    text = _VALID
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(at, min(len(text), at + 12)))
        text = text[:at] + data.draw(_CHUNK) + text[end:]
    try:
        out = read_rep_csv(text, tz=BERLIN)
    except ReplogError:
        return
    for s in out.sets:  # what is read is a valid set
        SetRecord(
            "x",
            "x",
            s.exercise,
            1,
            s.load,
            s.reps,
            s.started_at,
            s.rpe,
            s.rir,
            s.kind,
            rep_data=s.rep_data,
        )
