"""Reading Hevy's CSV export: small fixtures for each variant, the real files when present,
and fuzzing that only ever gets RepLog's own errors back."""

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
from replog.core.exercises import Equipment
from replog.core.model import SetKind
from replog.core.units import Unit
from replog.io.hevy import (
    SKIP_DISTANCE,
    SKIP_DURATION,
    SKIP_EMPTY,
    month_number,
    parse_hevy_datetime,
    read_hevy,
)
from replog.services.imported import ImportedSet
from replog.services.importing import refuse_unreadable

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
HEVY = SHARED / "imports" / "hevy"

HEADER_KG = (
    '"title","start_time","end_time","description","exercise_title","superset_id",'
    '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
    '"duration_seconds","rpe"'
)
HEADER_LB = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,"
    "set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe"
)
START = '"7 Apr 2026, 10:14","7 Apr 2026, 11:14"'
KG_FILE = "\n".join(
    [
        HEADER_KG,
        f'"Push ☀️",{START},"Felt strong","Bench Press (Barbell)",,"",0,"warmup",60,8,,,',
        f'"Push ☀️",{START},"Felt strong","Bench Press (Barbell)",,"",1,"normal",102.5,5,,,8.5',
        f'"Push ☀️",{START},"Felt strong","Bench Press (Barbell)",,"",2,"failure",100,6,,,10',
        f'"Push ☀️",{START},"Felt strong","Pull Up",0,"slow, ""strict""",0,"normal",,10,,,',
        f'"Push ☀️",{START},"Felt strong","Triceps Pushdown (Cable)",0,"",0,"dropset",40.82,12,,,',
        f'"Push ☀️",{START},"Felt strong","Treadmill",,"",0,"normal",,,1.2,600,',
        f'"Push ☀️",{START},"Felt strong","Plank",,"",0,"normal",,,,60,',
        f'"Push ☀️",{START},"Felt strong","Empty",,"",0,"normal",,,,,',
        '"Legs","6 Apr 2026, 18:00","6 Apr 2026, 19:02","","Squat (Barbell)",,"",0,"normal",'
        "140,3,,,",
    ]
)
LB_FILE = "\n".join(
    [
        HEADER_LB,
        'Upper,"12 Sep 2024, 21:46","12 Sep 2024, 23:16",,Squat (Smith Machine),,,0,warmup,'
        "105,15,,,",
        'Upper,"12 Sep 2024, 21:46","12 Sep 2024, 23:16",,Squat (Smith Machine),,,1,normal,'
        "187.5,8,,,",
    ]
)


def hevy_row(
    *,
    start: str = "7 Apr 2026, 10:14",
    end: str = "7 Apr 2026, 11:14",
    set_type: str = "normal",
    weight: str = "100",
    reps: str = "5",
    rpe: str = "",
    superset: str = "",
    index: str = "0",
) -> str:
    return (
        f'"W","{start}","{end}","","Squat (Barbell)",{superset},"",{index},"{set_type}",'
        f"{weight},{reps},,,{rpe}"
    )


def one(row: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(read_hevy(f"{HEADER_KG}\n{row}\n", tz=UTC), strict=True)
    return info.value


# ----------------------------------------------------------------------------- fixtures
def test_kg_file_sets_in_order_with_everything_hevy_says() -> None:
    src = read_hevy(KG_FILE, name="w.csv", tz=UTC)
    assert (src.format, src.name) == ("hevy", "w.csv")
    assert [s.exercise for s in src.sets] == [
        "Bench Press (Barbell)",
        "Bench Press (Barbell)",
        "Bench Press (Barbell)",
        "Pull Up",
        "Triceps Pushdown (Cable)",
        "Squat (Barbell)",
    ]
    assert [s.line for s in src.sets] == [2, 3, 4, 5, 6, 10]
    warm, top, fail, pull, drop, squat = src.sets
    assert [s.kind for s in src.sets] == [
        SetKind.WARMUP,
        SetKind.WORKING,
        SetKind.FAILURE,
        SetKind.WORKING,
        SetKind.DROP,
        SetKind.WORKING,
    ]
    assert top.load.value == Decimal("102.5")
    assert top.load.unit is Unit.KG
    assert drop.load.value == Decimal("40.82")  # kept as written, not rounded
    assert (pull.load.value, pull.load.unit) == (0, Unit.KG)  # empty weight: body weight
    assert (top.reps, top.rpe, warm.rpe, fail.rpe) == (5, 8.5, None, 10.0)
    assert top.session_key == "7 Apr 2026, 10:14|Push ☀️"
    assert squat.session_key == "6 Apr 2026, 18:00|Legs"
    assert (top.session_name, top.session_notes) == ("Push ☀️", "Felt strong")
    assert top.started_at == datetime(2026, 4, 7, 10, 14, tzinfo=UTC)
    assert top.ended_at == datetime(2026, 4, 7, 11, 14, tzinfo=UTC)
    assert (pull.notes, top.notes) == ('slow, "strict"', "")
    assert [s.tags for s in src.sets] == [(), (), (), ("superset 0",), ("superset 0",), ()]
    assert (
        top.raw
        == f'"Push ☀️",{START},"Felt strong","Bench Press (Barbell)",,"",1,"normal",102.5,5,,,8.5'
    )
    assert (top.equipment, pull.equipment, drop.equipment) == (
        Equipment.BARBELL,
        None,
        Equipment.CABLE,
    )
    assert top.performed_at is None


def test_rows_without_reps_are_skipped_with_the_reason() -> None:
    src = read_hevy(KG_FILE, tz=UTC)
    assert [(r.line, r.reason) for r in src.skipped] == [
        (7, SKIP_DISTANCE),
        (8, SKIP_DURATION),
        (9, SKIP_EMPTY),
    ]


def test_lbs_file_keeps_pounds() -> None:
    src = read_hevy(LB_FILE, tz=UTC)
    assert [(s.load.value, s.load.unit) for s in src.sets] == [
        (Decimal("105"), Unit.LB),
        (Decimal("187.5"), Unit.LB),
    ]
    assert src.sets[1].load.kg == pytest.approx(85.049, abs=0.0005)  # 85.04857 to the gram
    assert src.sets[0].equipment is Equipment.MACHINE


def test_times_are_made_aware_in_the_given_zone_or_this_machines() -> None:
    plus2 = timezone(timedelta(hours=2))
    item = read_hevy(f"{HEADER_KG}\n{hevy_row()}", tz=plus2).sets[0]
    assert item.started_at == datetime(2026, 4, 7, 8, 14, tzinfo=UTC)
    local = read_hevy(f"{HEADER_KG}\n{hevy_row()}").sets[0]
    assert local.started_at.tzinfo is not None
    assert local.started_at.replace(tzinfo=None) == datetime(2026, 4, 7, 10, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 Apr 2026, 10:14", datetime(2026, 4, 7, 10, 14)),
        ("17 Dec 2025, 9:05", datetime(2025, 12, 17, 9, 5)),
        ("Apr 7, 2026, 10:14 AM", datetime(2026, 4, 7, 10, 14)),
        ("Apr 7, 2026, 10:14 PM", datetime(2026, 4, 7, 22, 14)),
        ("Apr 7, 2026, 12:05 AM", datetime(2026, 4, 7, 0, 5)),
        ("Apr 7, 2026, 12:05 PM", datetime(2026, 4, 7, 12, 5)),
        ("Apr 7, 2026, 10:14\u202fPM", datetime(2026, 4, 7, 22, 14)),
        ("2026-04-07 10:14:00", datetime(2026, 4, 7, 10, 14)),
        ("2026-04-07T10:14:00", datetime(2026, 4, 7, 10, 14)),
        # Spanish
        ("7 abr 2026, 10:14", datetime(2026, 4, 7, 10, 14)),
        ("7 ene. 2026, 10:14", datetime(2026, 1, 7, 10, 14)),
        ("7 sept 2026, 10:14", datetime(2026, 9, 7, 10, 14)),
        ("7 dic 2026, 10:14 p. m.", datetime(2026, 12, 7, 22, 14)),
        # German
        ("7. Apr. 2026, 10:14", datetime(2026, 4, 7, 10, 14)),
        ("7. März 2026, 10:14", datetime(2026, 3, 7, 10, 14)),
        ("7. Mrz. 2026, 10:14", datetime(2026, 3, 7, 10, 14)),
        ("7. Okt. 2026, 10:14", datetime(2026, 10, 7, 10, 14)),
        ("7. Dez. 2026 um 10:14", datetime(2026, 12, 7, 10, 14)),
        # French
        ("7 avr. 2026, 10:14", datetime(2026, 4, 7, 10, 14)),
        ("7 févr. 2026, 10:14", datetime(2026, 2, 7, 10, 14)),
        ("7 juil. 2026, 10:14", datetime(2026, 7, 7, 10, 14)),
        ("7 août 2026, 10:14", datetime(2026, 8, 7, 10, 14)),
        ("7 mai 2026", datetime(2026, 5, 7)),
        # Portuguese
        ("7 set 2026", datetime(2026, 9, 7)),
        ("7 de out. de 2026 10:14", datetime(2026, 10, 7, 10, 14)),
        ("7 fev 2026, 10:14", datetime(2026, 2, 7, 10, 14)),
        ("7 dez 2026, 10:14", datetime(2026, 12, 7, 10, 14)),
        # Italian
        ("7 gen 2026, 10:14", datetime(2026, 1, 7, 10, 14)),
        ("7 mag 2026, 10:14", datetime(2026, 5, 7, 10, 14)),
        ("7 giu 2026, 10:14", datetime(2026, 6, 7, 10, 14)),
        ("7 lug 2026, 10:14", datetime(2026, 7, 7, 10, 14)),
        ("7 ott 2026, 10:14", datetime(2026, 10, 7, 10, 14)),
        ("7 settembre 2026, 10:14", datetime(2026, 9, 7, 10, 14)),
    ],
)
def test_localised_dates(text: str, expected: datetime) -> None:
    assert parse_hevy_datetime(text) == expected
    src = read_hevy(f"{HEADER_KG}\n{hevy_row(start=text, end=text)}", tz=UTC)
    assert src.sets[0].started_at == expected.replace(tzinfo=UTC)
    assert src.sets[0].session_key == f"{text}|W"


@pytest.mark.parametrize(
    "text",
    [
        "7 jui 2026",  # juin or juillet?
        "7/4/2026 10:14",  # no month name: day or month first?
        "7 Apr 2026, 25:14",
        "31 Feb 2026, 10:14",
        "7 Apr 2026, 13:00 PM",
        "7 Apr 26, 10:14",
        "7 Apr Mai 2026",
        "Tuesday 7 Apr 2026",
        "7\u0663 Apr 2026",  # an Arabic-Indic digit glued to the day
        "7 Apr 2026 / 10:14",
        "7 Apr 0001, 10:14",
        "2026-13-07 10:14:00",
        "",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_hevy_datetime(text) is None


def test_month_names_are_unambiguous() -> None:
    assert [month_number(w) for w in ("Jan", "MAR", "mär", "Sept.", "déc.", "juin", "jui")] == [
        1,
        3,
        3,
        9,
        12,
        6,
        None,
    ]


def test_end_before_start_is_dropped_with_a_warning() -> None:
    early = hevy_row(end="6 Apr 2026, 10:14")
    src = read_hevy(f"{HEADER_KG}\n{early}\n{early}", tz=UTC)
    assert [s.ended_at for s in src.sets] == [None, None]
    assert len(src.warnings) == 1  # once per workout
    assert src.warnings[0].startswith("line 2: workout 'W' ends before it starts")


def test_empty_end_time_is_none() -> None:
    assert read_hevy(f"{HEADER_KG}\n{hevy_row(end='')}", tz=UTC).sets[0].ended_at is None


# ------------------------------------------------------------------------------- errors
def test_unknown_set_type_names_line_and_column() -> None:
    err = one(hevy_row(set_type="superset"))
    assert (err.line, err.field) == (2, "set_type (column 9)")
    assert "'superset'" in err.message


def test_bad_weight_names_line_and_column() -> None:
    err = one(hevy_row(weight="1OO"))
    assert (err.line, err.field) == (2, "weight_kg (column 10)")
    assert one(hevy_row(weight="-5")).field == "weight_kg (column 10)"
    assert one(hevy_row(weight="5000")).field == "weight_kg (column 10)"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"reps": "five"}, "reps (column 11)"),
        ({"reps": "2.5"}, "reps (column 11)"),
        ({"reps": "500"}, "reps (column 11)"),
        ({"rpe": "11"}, "rpe (column 14)"),
        ({"rpe": "8.3"}, "rpe (column 14)"),
        ({"rpe": "x"}, "rpe (column 14)"),
        ({"superset": "a"}, "superset_id (column 6)"),
        ({"superset": "99999999"}, "superset_id (column 6)"),
        ({"index": "-1"}, "set_index (column 8)"),
        ({"start": "yesterday"}, "start_time (column 2)"),
        ({"start": ""}, "start_time (column 2)"),
        ({"end": "7 Foo 2026, 10:14"}, "end_time (column 3)"),
    ],
)
def test_bad_cells(kw: dict[str, str], field: str) -> None:
    err = one(hevy_row(**kw))
    assert (err.line, err.field) == (2, field)


def test_error_on_a_later_line_names_that_line() -> None:
    text = f"{HEADER_KG}\n{hevy_row()}\n\n{hevy_row(reps='x')}\n"
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(read_hevy(text, tz=UTC), strict=True)
    assert info.value.line == 4


def test_wrong_field_count_names_the_line() -> None:
    text = f"{HEADER_KG}\n{hevy_row()}\n{hevy_row()},extra\n"
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(read_hevy(text, tz=UTC), strict=True)
    assert (info.value.line, info.value.field) == (3, "row")


def test_missing_columns() -> None:
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(
            read_hevy("title,start_time,exercise_title,set_type,reps\nW,x,y,normal,5\n"),
            strict=True,
        )
    assert (info.value.line, info.value.field) == (1, "weight_kg")
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(
            read_hevy("title,start_time,weight_kg,set_type,reps\nW,x,1,normal,5\n"), strict=True
        )
    assert info.value.field == "exercise_title"


def test_missing_exercise_name() -> None:
    row = '"W","7 Apr 2026, 10:14","","","",,"",0,"normal",100,5,,,'
    assert one(row).field == "exercise_title (column 5)"


# --------------------------------------------------------------------------- real files
def real(name: str) -> str:
    path = HEVY / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data folder is not here)")
    return path.read_text(encoding="utf-8")


def volume_kg(sets: list[ImportedSet]) -> float:
    return sum(s.load.kg * s.reps for s in sets)


def test_real_kg_file() -> None:
    # Counted independently with the csv module: csv.DictReader over the file; a set is a
    # row with reps (8,614 of 8,650 rows; the other 36 have a duration and, 12 of them, a
    # distance); sessions are distinct start_time|title among those rows; dates with
    # strptime("%d %b %Y, %H:%M"); volume is sum(Decimal(weight_kg or 0) * reps).
    src = read_hevy(real("hevy_kg.csv"), tz=UTC)
    assert len(src.sets) == 8614
    assert len(src.skipped) == 36
    assert Counter(r.reason for r in src.skipped) == {SKIP_DURATION: 24, SKIP_DISTANCE: 12}
    assert len({s.session_key for s in src.sets}) == 409  # 411 in the file: 2 cardio-only
    days = sorted(s.started_at.date() for s in src.sets)
    assert (days[0], days[-1]) == (date(2024, 8, 24), date(2026, 4, 7))
    assert volume_kg(src.sets) == pytest.approx(3284589.86, abs=0.5)
    assert Counter(s.kind for s in src.sets) == {
        SetKind.WORKING: 6956,
        SetKind.WARMUP: 1175,
        SetKind.DROP: 447,
        SetKind.FAILURE: 36,
    }
    assert {s.load.unit for s in src.sets} == {Unit.KG}
    assert src.warnings == []


def test_real_lbs_file() -> None:
    # Counted as for the kg file; volume is sum(round(Decimal(weight_lbs) * 0.45359237,
    # 3 places) * reps), each load rounded to the gram as Load.kg is (unrounded: 242947.93).
    src = read_hevy(real("hevy_lbs.csv"), tz=UTC)
    assert len(src.sets) == 681
    assert len(src.skipped) == 0
    assert len({s.session_key for s in src.sets}) == 32
    days = sorted(s.started_at.date() for s in src.sets)
    assert (days[0], days[-1]) == (date(2024, 7, 24), date(2024, 9, 12))
    assert volume_kg(src.sets) == pytest.approx(242948.868, abs=0.5)
    assert Counter(s.kind for s in src.sets) == {
        SetKind.WORKING: 646,
        SetKind.WARMUP: 32,
        SetKind.FAILURE: 3,
    }
    assert {s.load.unit for s in src.sets} == {Unit.LB}


# --------------------------------------------------------------------------------- fuzz
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_gives_only_replog_errors(text: str) -> None:
    with contextlib.suppress(ReplogError):
        read_hevy(text, tz=UTC)


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "replace"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from([*',"\n\r;.:-+0123456789 aAPMé\u202f\x00\ufeff', "", "Mrz"]),
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
@given(_EDITS, st.sampled_from([KG_FILE, LB_FILE]))
def test_mutated_files_give_only_replog_errors(
    edits: list[tuple[str, int, str]], base: str
) -> None:
    try:
        src = read_hevy(mutate(base, edits))
    except ReplogError:
        return
    for item in src.sets:
        assert item.started_at.tzinfo is not None
        assert 0 <= item.reps <= 200
