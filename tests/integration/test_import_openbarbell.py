"""OpenBarbell import: the app's JSON as training sets with device rep velocities."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replog.core.errors import ImportFormatError, ReplogError
from replog.core.model import Rep, RepSource, SetKind
from replog.core.units import Load, Unit
from replog.io.openbarbell_import import UNKNOWN_EXERCISE, read_openbarbell_sets
from replog.services.imported import SkippedRow, SourceFile

OPENBARBELL = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "velocity"
    / "openbarbell_device_reps.json"
)
NEW_YORK = ZoneInfo("America/New_York")


def _data(rep: int, mcv: float, rom_mm: float, peak: float) -> list[str]:
    """A complete v2 transmission: flag, rep number, mcv, ROM, peak, location, -2121,
    duration (us), padding up to the end flag at position 18."""
    head = ["-2345.0", str(rep), str(mcv), str(rom_mm), str(peak), "80.0", "-2121.0", "900000.0"]
    return head + ["0.0"] * 10 + ["-9999.0"]


def _rep(time: object, mcv: float = 0.5, rom: float = 700.0, peak: float = 1.0) -> dict[str, Any]:
    return {"isValid": True, "removed": False, "time": time, "data": _data(1, mcv, rom, peak)}


def _small() -> dict[str, Any]:
    return {
        "a": {
            "setID": "a",
            "workoutID": "w1",
            "exercise": " Squat ",
            "weight": "225.0",
            "metric": "lbs",
            "rpe": "8.5",
            "tags": ["Belt", "warmup"],
            "initialStartTime": "2024-03-01T17:58:00.000Z",
            "removed": False,
            "reps": [
                _rep("2024-03-01T18:00:05.000Z", 0.61, 702.0, 1.21),
                _rep("2024-03-01T18:00:00.000Z", "Infinity"),  # rejected, still dates the set
                _rep("2024-03-01T18:00:10.000Z", 0.55, 698.0, 1.1),
            ],
        },
        "b": {
            "setID": "b",
            "workoutID": "w1",
            "exercise": "",
            "weight": 100,
            "metric": "kg",
            "rpe": "0.0",
            "removed": False,
            "reps": [_rep("2024-03-01T18:10:00.000Z", 0.4, 650.0, 0.35)],  # peak < mean
        },
        "c": {"setID": "c", "exercise": "Bench", "removed": True, "reps": []},
        "d": {  # no workout: grouped by time; milliseconds since 1970
            "setID": "d",
            "exercise": "Bench Press",
            "weight": "60",
            "metric": "kg",
            "rpe": "12",
            "reps": [_rep(1709316000000.0)],  # 2024-03-01T18:00:00Z
        },
        "e": {  # 3 h 1 min after d: a new workout; a time without offset is in tz
            "setID": "e",
            "exercise": "Bench Press",
            "weight": "60",
            "metric": "kg",
            "initialStartTime": "2024-03-01T16:01:00",
            "reps": [{"isValid": True, "data": _data(1, 0.5, 500.0, 0.9)}],
        },
        "f": {
            "setID": "f",
            "exercise": "Squat",
            "metric": "stone",
            "weight": "5",
            "reps": [_rep(1.7e12)],
        },
    }


def _read(doc: dict[str, Any], tz: Any = NEW_YORK) -> SourceFile:
    return read_openbarbell_sets(json.dumps(doc), name="ob.json", tz=tz)


def test_small_file_all_fields() -> None:
    doc = _small()
    got = _read(doc)
    assert (got.format, got.name) == ("openbarbell", "ob.json")
    assert [s.line for s in got.sets] == [1, 2, 4, 5]
    assert got.skipped == [
        SkippedRow(3, "set marked removed in the app"),
        SkippedRow(6, "weight '5' stone: metric: expected a unit kg or lb, got 'stone'"),
    ]
    a, b, d, e = got.sets
    assert (a.exercise, a.load, a.reps, a.rpe) == ("Squat", Load(Decimal("225.0"), Unit.LB), 2, 8.5)
    assert (a.tags, a.kind) == (("belt", "warmup"), SetKind.WARMUP)
    assert a.rep_data == (
        Rep(1, mcv=0.61, peak_velocity=1.21, rom=0.702, source=RepSource.DEVICE),
        Rep(2, mcv=0.55, peak_velocity=1.1, rom=0.698, source=RepSource.DEVICE),
    )
    assert a.performed_at == datetime(2024, 3, 1, 18, 0, tzinfo=UTC)  # the rejected rep's
    assert a.raw == json.dumps(doc["a"], sort_keys=True)
    assert (b.exercise, b.load, b.rpe, b.kind) == (
        UNKNOWN_EXERCISE,
        Load(Decimal(100), Unit.KG),
        None,
        SetKind.WORKING,
    )
    assert b.rep_data == (Rep(1, mcv=0.4, rom=0.65, source=RepSource.DEVICE),)
    assert a.session_key == b.session_key == "w1"
    assert a.started_at == b.started_at == datetime(2024, 3, 1, 17, 58, tzinfo=UTC)
    assert a.ended_at == b.ended_at == datetime(2024, 3, 1, 18, 10, tzinfo=UTC)
    assert {a.session_name, d.session_name} == {"OpenBarbell workout"}
    assert d.session_key == "2024-03-01T18:00:00+00:00"
    assert (d.performed_at, d.rpe) == (datetime(2024, 3, 1, 18, 0, tzinfo=UTC), None)
    assert e.performed_at == datetime(2024, 3, 1, 21, 1, tzinfo=UTC)  # 16:01 in New York
    assert e.session_key == "2024-03-01T21:01:00+00:00"
    assert (e.started_at, e.ended_at) == (e.performed_at, e.performed_at)
    warnings = "\n".join(got.warnings)
    assert "set a rep[1]: skipped, average velocity (data[2]) is Infinity" in warnings
    assert "set b rep[0]: peak velocity 0.35 m/s is below the average 0.4 m/s" in warnings
    assert "set d: RPE '12' is not an RPE" in warnings
    assert "skipped 1 set(s) marked removed" in warnings
    assert len(got.warnings) == 4


def test_sets_up_to_three_hours_apart_are_one_workout() -> None:
    doc = _small()
    doc["e"]["initialStartTime"] = "2024-03-01T15:59:00"  # 20:59Z: 2 h 59 min after d
    got = _read(doc)
    assert got.sets[-2].session_key == got.sets[-1].session_key == "2024-03-01T18:00:00+00:00"
    assert got.sets[-1].ended_at == datetime(2024, 3, 1, 20, 59, tzinfo=UTC)


def test_a_set_without_any_time_names_the_set() -> None:
    doc = _small()
    doc["e"].pop("initialStartTime")
    with pytest.raises(ImportFormatError, match="set e: no usable time") as info:
        _read(doc)
    assert info.value.line == 5


def test_bad_weights_are_skipped_rows() -> None:
    doc = _small()
    doc["a"]["weight"] = None
    doc["b"]["weight"] = "3000"  # kg: over the 1000 kg limit
    doc["d"]["weight"] = "1e1000001"  # overflows Decimal when converted to kg
    doc["d"]["metric"] = "lbs"
    got = _read(doc)
    assert [s.line for s in got.sets] == [5]
    assert [row.line for row in got.skipped] == [1, 2, 3, 4, 6]
    assert "weight 'None' lbs" in got.skipped[0].reason


def test_not_openbarbell_json_is_an_import_error() -> None:
    with pytest.raises(ImportFormatError, match="not valid JSON"):
        read_openbarbell_sets("{")
    with pytest.raises(ImportFormatError, match="not an OpenBarbell file"):
        read_openbarbell_sets("[1, 2]")


# ---------------------------------------------------------------------- the real file
@pytest.mark.skipif(not OPENBARBELL.is_file(), reason=f"shared data absent: {OPENBARBELL}")
def test_real_file() -> None:
    got = read_openbarbell_sets(OPENBARBELL.read_text(encoding="utf-8"))
    # Counted independently (scratch script, plain json + loop): 60 set objects, none
    # removed, 162 reps all isValid; a rep is good when its transmission is complete and
    # mcv in (0, 10], ROM in (0, 3000] mm, peak in (0, 10]: 159 good reps, 3 bad (an mcv of
    # Infinity, one of 299792458, a ROM of 9001 mm), which leaves one set (line 56) without
    # reps; 59 sets in 12 distinct workoutIDs.
    assert len(got.sets) == 59
    assert sum(s.reps for s in got.sets) == 159
    assert sum(len(s.rep_data) for s in got.sets) == 159
    assert got.skipped == [SkippedRow(56, "no usable reps (see the warnings)")]
    rejected = [w for w in got.warnings if "skipped, " in w]
    assert len(rejected) == 3
    assert "rep[0]: skipped, average velocity (data[2]) is Infinity m/s" in rejected[0]
    assert len({s.session_key for s in got.sets}) == 12
    first = got.sets[0]  # "0af6e755-...": its rep[0] is the Infinity one
    assert first.line == 1
    assert (first.exercise, first.load.text, first.reps) == ("Squat", "184.664246824 lb", 3)
    assert [r.mcv for r in first.rep_data] == [
        0.4927446458946075,
        0.490143051079018,
        0.36920518751716425,
    ]
    assert [r.peak_velocity for r in first.rep_data] == [
        1.0861985029239443,
        1.0091810203140061,
        1.1034490462798527,
    ]
    assert [r.rom for r in first.rep_data] == [0.747, 0.769, 0.75]
    assert first.session_key == "bfc9cf5d-6df6-4046-bbd5-8fba951fae54"
    assert first.performed_at == datetime(2018, 2, 17, 18, 42, 43, 705000, tzinfo=UTC)
    assert first.started_at == datetime(2018, 2, 17, 17, 40, 25, 944000, tzinfo=UTC)
    assert first.ended_at == datetime(2018, 2, 17, 18, 43, 9, 399000, tzinfo=UTC)
    assert json.loads(first.raw)["setID"] == "0af6e755-3381-4a82-892f-3e90c66b52ce"
    assert any("RPE '1575.0' is not an RPE" in w for w in got.warnings)


# ---------------------------------------------------------------------- fuzz
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "Infinity",
            "-9999.0",
            "2024-03-01T18:00:00",
            "kg",
            "lbs",
            "1e999",
            "-1",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-05:00",
            2**70,
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in items:
        out.append((node, key))
        _slots(child, out)
    return out


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_fuzz_mutated_json(data: st.DataObject) -> None:
    doc = copy.deepcopy(_small())
    for _ in range(data.draw(st.integers(1, 4))):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = slots[data.draw(st.integers(0, len(slots) - 1))]
        if data.draw(st.booleans()) and isinstance(container, dict):
            del container[key]
        else:
            container[key] = data.draw(_values)
    text = json.dumps(doc)
    cut = data.draw(st.integers(0, len(text)))
    for variant in (text, text[:cut], text.replace('"', "", 1)):
        try:
            got = read_openbarbell_sets(variant, tz=UTC)
        except ReplogError:
            continue
        for s in got.sets:
            assert s.reps == len(s.rep_data) > 0
            assert s.performed_at.tzinfo is not None
