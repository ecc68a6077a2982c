"""Garmin FIT import: real watch files, tiny files built with the SDK's encoder, corruption."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from garmin_fit_sdk import CrcCalculator, Encoder
from garmin_fit_sdk.profile import Profile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replog.core.errors import ImportFormatError, ReplogError
from replog.core.exercises import Catalogue, Equipment
from replog.core.model import SetKind
from replog.core.units import Load, Unit
from replog.io.fit import UNKNOWN_EXERCISE, exercise_name, read_fit
from replog.services.imported import SkippedRow, SourceFile

FIT_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "imports" / "fit"
MESG = Profile["mesg_num"]
T0 = datetime(2024, 5, 1, 17, 0, tzinfo=UTC)
SMALLEST = "garmin_20748058539.fit"  # 32 kB: quick to decode in the fuzz test


def _real(name: str) -> bytes:
    path = FIT_DIR / name
    if not path.is_file():
        pytest.skip(f"shared data absent: {path}")
    return path.read_bytes()


# ---------------------------------------------------------------------- real files
@dataclass(frozen=True)
class Expected:
    sessions: list[str]
    sets: int
    skipped: list[int]  # lines
    first: datetime
    last: datetime
    volume_kg: float
    reps: int
    names: list[str]  # of the first sets


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Counted independently of replog (scratch script: the SDK's Decoder().read(), then a plain
# loop over set_mesgs: set_type 'active', start_time inside a session whose sub_sport is
# strength_training [start, start + total_elapsed_time], repetitions > 0; volume = sum of
# weight * repetitions). Names read off each set's category/category_subtype by hand with
# the FIT profile's tables (e.g. triceps_extension/0 = bench_dip, total_body/0 = burpee).
REAL = {
    "garmin_20474406937.fit": Expected(
        sessions=["2025-09-23T10:08:29+00:00"],
        sets=38,
        skipped=[],
        first=_utc("2025-09-23 10:08:29"),
        last=_utc("2025-09-23 10:42:42"),
        volume_kg=572.0,
        reps=279,
        names=[
            UNKNOWN_EXERCISE,  # ['unknown', ...]
            "Sit Up",  # ['sit_up', 'squat', 'triceps_extension'], no subtype
            UNKNOWN_EXERCISE,
            UNKNOWN_EXERCISE,
            UNKNOWN_EXERCISE,
            "Row (unspecified)",  # ['row', 'shrug', 'shrug'], subtypes [None, 24, None]
            "Burpee",  # total_body / 0
            "Triceps Extension",
        ],
    ),
    # a run between two strength sessions; the 0-rep set at line 26 is skipped
    "garmin_20555050352.fit": Expected(
        sessions=["2025-10-01T09:10:26+00:00", "2025-10-01T09:41:37+00:00"],
        sets=19,
        skipped=[26],
        first=_utc("2025-10-01 09:10:26"),
        last=_utc("2025-10-01 10:00:10"),
        volume_kg=500.0,
        reps=178,
        names=["Jump Rope", UNKNOWN_EXERCISE, "Bench Dip", UNKNOWN_EXERCISE, UNKNOWN_EXERCISE],
    ),
    # indoor cycling, then strength
    "garmin_20744294788.fit": Expected(
        sessions=["2025-10-20T10:21:30+00:00"],
        sets=41,
        skipped=[],
        first=_utc("2025-10-20 10:21:34"),
        last=_utc("2025-10-20 11:23:33"),
        volume_kg=7961.0,
        reps=376,
        names=[
            UNKNOWN_EXERCISE,
            "Bench Dip",
            "Triceps Extension",  # subtypes [None, None, 6]: the first has none
            UNKNOWN_EXERCISE,
            "Sit Up",
            UNKNOWN_EXERCISE,
        ],
    ),
    "garmin_20748058539.fit": Expected(
        sessions=["2025-10-20T17:44:06+00:00"],
        sets=13,
        skipped=[27],
        first=_utc("2025-10-20 17:44:06"),
        last=_utc("2025-10-20 18:05:24"),
        volume_kg=336.0,
        reps=74,
        names=["Pull Up", "Bench Dip", "Shrug", UNKNOWN_EXERCISE],
    ),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_files_sets_sessions_totals(name: str) -> None:
    want = REAL[name]
    got = read_fit(_real(name), name=name)
    assert (got.format, got.name) == ("fit", name)
    assert sorted({s.session_key for s in got.sets}) == want.sessions
    assert len(got.sets) == want.sets
    assert [row.line for row in got.skipped] == want.skipped
    assert all("without repetitions" in row.reason for row in got.skipped)
    assert got.sets[0].performed_at == want.first
    assert got.sets[-1].performed_at == want.last
    assert sum(s.load.kg * s.reps for s in got.sets) == pytest.approx(want.volume_kg)
    assert sum(s.reps for s in got.sets) == want.reps
    assert [s.exercise for s in got.sets[: len(want.names)]] == want.names
    assert {s.session_name for s in got.sets} == {"Strength training (Garmin fr965)"}
    for s in got.sets:
        assert s.started_at.isoformat() == s.session_key
        assert s.started_at - timedelta(seconds=5) <= s.performed_at <= s.ended_at
        assert json.loads(s.raw)["set_type"] == "active"


def test_real_file_rests_go_to_the_next_set() -> None:
    got = read_fit(_real("garmin_20474406937.fit"))
    # set messages 1 active, 2 rest 31.599 s, 3 active, 4 rest 11.237 s, 5 active ...
    assert [s.line for s in got.sets[:3]] == [1, 3, 5]
    assert [s.rest_s for s in got.sets[:3]] == [None, 32, 11]
    # 38 rest messages: 37 before a set, the last (293 s, until the watch stopped) after none
    assert "37 rest period(s) attached to the set after them" in got.warnings[0]
    assert "1 rest period(s) left out" in got.warnings[1]
    assert json.loads(got.sets[1].raw) == {  # the whole message; "2" and "14" are unnamed
        "2": [132, 70, 50],
        "14": 1,
        "timestamp": "2025-09-23T10:08:29+00:00",
        "category": ["sit_up", "squat", "triceps_extension"],
        "duration": 42.221,
        "message_index": 2,
        "repetitions": 10,
        "set_type": "active",
        "start_time": "2025-09-23T10:10:01+00:00",
        "weight": 0.0,
    }


def test_real_file_two_strength_sessions_around_a_run() -> None:
    got = read_fit(_real("garmin_20555050352.fit"))
    first, second = got.sets[3], got.sets[4]
    # the run's elapsed time (09:21:51 + 1282 s) runs past the second session's start
    # (09:41:37): the set at 09:41:42 still belongs to the strength session
    assert (first.line, second.line) == (7, 10)
    assert second.session_key == "2025-10-01T09:41:37+00:00"
    assert second.ended_at == _utc("2025-10-01 10:01:20.760")
    assert second.rest_s == 5  # the 5.0 s rest that opens the second session
    assert first.ended_at == _utc("2025-10-01 09:20:12.131")
    assert got.skipped == [SkippedRow(26, "active set without repetitions")]
    assert any("18 rest period(s) attached" in w for w in got.warnings)
    assert any("3 rest period(s) left out" in w for w in got.warnings)
    assert any("running at 2025-10-01 09:21 UTC" in w for w in got.warnings)


def test_real_file_loads_names_and_equipment() -> None:
    got = read_fit(_real("garmin_20744294788.fit"))
    by_line = {s.line: s for s in got.sets}
    deadlift = by_line[36]  # ['deadlift', 'lunge', 'squat'], subtype 0 = barbell_deadlift
    assert (deadlift.exercise, deadlift.equipment) == ("Deadlift", Equipment.BARBELL)
    assert (deadlift.load, deadlift.reps) == (Load(Decimal(76), Unit.KG), 6)
    assert by_line[20].exercise == "Seated Cable Row"  # row / 18
    assert by_line[20].equipment is Equipment.CABLE
    assert by_line[62].exercise == "Snatch"  # olympic_lift / 28
    assert by_line[38].exercise == "Squat"  # category only
    assert by_line[58].load.kg == 136.0
    assert any("indoor cycling at 2025-10-20 10:09 UTC" in w for w in got.warnings)


def test_volleyball_file_has_no_sets_and_says_why() -> None:
    got = read_fit(_real("garmin_20548472357.fit"), name="v.fit")
    assert got == SourceFile(
        "fit", "v.fit", warnings=["no strength sets: the file holds a volleyball activity"]
    )


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_files_truncated_or_bit_flipped_are_refused(name: str) -> None:
    data = _real(name)
    for broken in (data[: len(data) // 2], data[:-1], data[:13]):
        with pytest.raises(ImportFormatError, match=r"truncated or corrupt|not a FIT file"):
            read_fit(broken)
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0x10
    with pytest.raises(ImportFormatError, match="truncated or corrupt"):
        read_fit(bytes(flipped))


# ---------------------------------------------------------------------- encoded files
def _encode(*mesgs: tuple[str, dict[str, Any]]) -> bytes:
    encoder = Encoder()
    encoder.on_mesg(
        MESG["FILE_ID"],
        {"type": "activity", "manufacturer": "garmin", "product": 4315, "time_created": T0},
    )
    for kind, mesg in mesgs:
        encoder.on_mesg(MESG[kind], mesg)
    return bytes(encoder.close())


def _session(
    start: datetime, seconds: float, sport: str = "training", sub: str = "strength_training"
) -> tuple[str, dict[str, Any]]:
    return "SESSION", {
        "timestamp": start,
        "start_time": start,
        "total_elapsed_time": seconds,
        "sport": sport,
        "sub_sport": sub,
    }


def _active(
    index: int,
    at: float,
    reps: int,
    weight: float,
    category: list[str] | None = None,
    subtype: list[int] | None = None,
) -> tuple[str, dict[str, Any]]:
    mesg: dict[str, Any] = {
        "timestamp": T0,
        "start_time": T0 + timedelta(seconds=at),
        "duration": 30.0,
        "set_type": "active",
        "repetitions": reps,
        "weight": weight,
        "message_index": index,
    }
    if category is not None:
        mesg["category"] = category
    if subtype is not None:
        mesg["category_subtype"] = subtype
    return "SET", mesg


def _rest(index: int, at: float, seconds: float) -> tuple[str, dict[str, Any]]:
    return "SET", {
        "timestamp": T0,
        "start_time": T0 + timedelta(seconds=at),
        "duration": seconds,
        "set_type": "rest",
        "message_index": index,
    }


def test_encoded_workout_all_fields() -> None:
    data = _encode(
        _active(0, 0, 10, 20.0, ["warm_up"]),
        _rest(1, 30, 90.4),
        _active(2, 120, 5, 102.5, ["bench_press", "squat"], [1, 0]),
        _rest(3, 150, 100.0),
        _rest(4, 250, 20.6),  # two rests in a row add up
        _active(5, 300, 0, 40.0, ["row"]),  # no reps: skipped, its rest dropped
        _rest(6, 330, 60.0),
        _active(7, 400, 8, 30.0625, ["suspension"], [24]),
        _active(8, 500, 12, 0.0, ["row"]),
        _active(9, 600, 3, 1.0, ["unknown"]),
        _rest(10, 630, 300.0),  # after the last set: left out
        _session(T0, 1000.0),
    )
    got = read_fit(data, name="tiny.fit")
    assert [s.line for s in got.sets] == [1, 3, 8, 9, 10]
    assert got.skipped == [SkippedRow(6, "active set without repetitions")]
    warm, bench, suspension, row, unknown = got.sets
    assert (warm.exercise, warm.kind, warm.rest_s) == ("Warm Up", SetKind.WARMUP, None)
    assert bench.exercise == "Barbell Bench Press"
    assert (bench.kind, bench.equipment, bench.rest_s) == (SetKind.WORKING, Equipment.BARBELL, 90)
    assert bench.load == Load(Decimal("102.5"), Unit.KG)
    assert bench.load.text == "102.5 kg"
    assert (bench.reps, bench.performed_at) == (5, T0 + timedelta(seconds=120))
    assert (suspension.exercise, suspension.rest_s) == ("Suspension Row", 60)
    assert suspension.load.value == Decimal("30.063")  # 1/16 kg steps, rounded to the gram
    assert (row.exercise, row.rest_s, row.load.text) == ("Row (unspecified)", None, "0 kg")
    assert (unknown.exercise, unknown.equipment) == (UNKNOWN_EXERCISE, None)
    assert {(s.session_key, s.started_at, s.ended_at) for s in got.sets} == {
        (T0.isoformat(), T0, T0 + timedelta(seconds=1000))
    }
    assert got.warnings == [
        "2 rest period(s) attached to the set after them (rest_s is the rest before a set)",
        "3 rest period(s) left out: no set followed them in their strength workout (e.g. the "
        "time after the last set)",
    ]
    assert json.loads(bench.raw)["category"] == ["bench_press", "squat"]


def test_encoded_sets_outside_strength_sessions_are_skipped() -> None:
    data = _encode(
        _session(T0, 100.0, "running", "generic"),
        _active(0, 10, 5, 0.0),
        _session(T0 + timedelta(seconds=200), 100.0),
        _active(1, 210, 6, 50.0, ["deadlift"], [0]),
        _active(2, 400, 7, 50.0),  # after both sessions
    )
    got = read_fit(data)
    assert [(s.line, s.exercise) for s in got.sets] == [(2, "Deadlift")]
    assert got.skipped == [
        SkippedRow(1, "set in the Running session, not strength training"),
        SkippedRow(3, "set outside every session, not strength training"),
    ]


def test_encoded_file_without_session_is_one_workout() -> None:
    got = read_fit(_encode(_active(0, 60, 5, 60.0), _active(1, 200, 5, 60.0)))
    assert {s.session_key for s in got.sets} == {(T0 + timedelta(seconds=60)).isoformat()}
    assert {s.ended_at for s in got.sets} == {None}
    assert "no session message" in got.warnings[0]


def test_not_fit_or_corrupt_bytes_are_import_errors() -> None:
    good = _encode(_active(0, 0, 5, 60.0), _session(T0, 100.0))
    assert len(read_fit(good).sets) == 1
    with pytest.raises(ImportFormatError, match="not a FIT file"):
        read_fit(b"date,exercise\n2024-01-01,squat\n")
    with pytest.raises(ImportFormatError, match="not a FIT file"):
        read_fit(b"")
    with pytest.raises(ImportFormatError, match="truncated or corrupt"):
        read_fit(good[:-3])
    with pytest.raises(
        ImportFormatError, match=r"could not be decoded at byte \d+: The file is not a fit file"
    ):
        read_fit(good + b"\x00")  # bytes after the file's CRC: not a second FIT file
    flipped = bytearray(good)
    flipped[20] ^= 0xFF
    with pytest.raises(ImportFormatError, match="truncated or corrupt"):
        read_fit(bytes(flipped))


def test_a_corrupt_record_with_a_valid_crc_is_an_import_error() -> None:
    data = bytearray(_encode(_active(0, 0, 5, 60.0), _session(T0, 100.0)))
    data[14] = 0x0F  # the first record: data of local message 15, which was never defined
    with pytest.raises(ImportFormatError, match="could not be decoded"):
        read_fit(_fix_crc(data))


def test_exercise_names_keep_garmins_meaning() -> None:
    catalogue = Catalogue()

    def key(category: str, subtype: int | None) -> str | None:
        found = catalogue.find(exercise_name(category, subtype)[0])
        return None if found is None else found.key

    assert exercise_name("bench_press", 1) == ("Barbell Bench Press", Equipment.BARBELL)
    assert exercise_name("bench_press", None) == ("Bench Press", None)
    assert exercise_name("shoulder_press", 9999) == ("Overhead Press", None)  # unknown subtype
    assert exercise_name("pull_up", None) == ("Pull Up", None)
    assert exercise_name("triceps_extension", None) == ("Triceps Extension", None)
    assert exercise_name("curl", 19) == ("EZ Bar Preacher Curl", Equipment.BARBELL)
    assert exercise_name(None, 1) == (UNKNOWN_EXERCISE, None)
    assert exercise_name(65534, None) == (UNKNOWN_EXERCISE, None)
    assert key("bench_press", 1) == "bench-press"
    assert key("deadlift", 0) == "deadlift"
    assert key("squat", 6) == "back-squat"  # barbell_back_squat
    assert key("pull_up", 13) == "lat-pulldown"
    assert key("triceps_extension", 39) == "triceps-pushdown"  # triceps_pressdown
    assert key("shoulder_press", None) == "overhead-press"
    # generic families and other contexts do not land on one specific catalogue lift
    assert key("row", None) is None
    assert key("curl", None) is None
    assert key("lunge", None) is None
    assert exercise_name("suspension", 24)[0] == "Suspension Row"
    assert key("suspension", 24) != "barbell-row"
    assert key("sandbag", 1) != "back-squat"  # "Sandbag Back Squat"
    assert key("crunch", 33) != "leg-extension"  # an ab exercise
    assert key("banded_exercises", 42) != "back-squat"


# ---------------------------------------------------------------------- fuzz
def _fix_crc(data: bytearray) -> bytes:
    """Make a mutated file pass the integrity check, so the decoder reads the mutation."""
    struct.pack_into("<H", data, 12, CrcCalculator.calculate_crc(data, 0, 12))
    struct.pack_into("<H", data, len(data) - 2, CrcCalculator.calculate_crc(data, 0, len(data) - 2))
    return bytes(data)


def _tiny() -> bytes:
    return _encode(
        _active(0, 0, 10, 20.0, ["warm_up"], [3]),
        _rest(1, 30, 90.0),
        _active(2, 120, 5, 102.5, ["bench_press", "squat", "row"], [1, 0, 2]),
        _session(T0, 1000.0),
    )


def _read_or_replog_error(data: bytes) -> None:
    try:
        got = read_fit(data)
    except ReplogError:
        return
    assert isinstance(got, SourceFile)
    for s in got.sets:
        assert s.reps > 0
        assert s.started_at.tzinfo is not None


mutations = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8)


def _mutate(data: bytes, changes: list[tuple[int, int]], fix: bool) -> bytes:
    out = bytearray(data)
    for pos, value in changes:
        out[14 + pos % (len(out) - 16)] = value  # the records, not the header or the CRC
    return _fix_crc(out) if fix else bytes(out)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data: bytes) -> None:
    _read_or_replog_error(data)
    _read_or_replog_error(b"\x0e\x20\x00\x00" + data)  # a plausible header start


@settings(max_examples=100, deadline=None)
@given(mutations, st.booleans())
def test_fuzz_mutated_tiny_file(changes: list[tuple[int, int]], fix: bool) -> None:
    _read_or_replog_error(_mutate(_tiny(), changes, fix))


@pytest.mark.skipif(not (FIT_DIR / SMALLEST).is_file(), reason="shared data absent")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations, st.booleans())
def test_fuzz_mutated_real_file(changes: list[tuple[int, int]], fix: bool) -> None:
    _read_or_replog_error(_mutate(_real(SMALLEST), changes, fix))
