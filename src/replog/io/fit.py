"""Garmin FIT activities: the strength sets a watch recorded, as a :class:`SourceFile`.

Decoded with Garmin's own SDK (``garmin-fit-sdk``); the file must be a FIT file whose sizes
and CRCs check out, else :class:`ImportFormatError` (the SDK's exceptions never escape).

Workouts
    Each ``session`` message whose ``sub_sport`` is ``strength_training`` is one workout:
    ``session_key`` is its start time in ISO 8601 (UTC), ``ended_at`` its start plus
    ``total_elapsed_time``, the name e.g. ``"Strength training (Garmin fr965)"``. A ``set``
    message belongs to the session whose time window holds its ``start_time`` (5 s slack
    either side; where sessions overlap, the later one). Sets in other sessions (a run in
    the same multisport activity) are skipped rows and those sessions are named in a
    warning; a file with no strength session gives no sets and a warning naming its
    sport. A file without any session message (a broken recording) is read as one strength
    workout spanning its sets, with a warning.

Sets
    ``set_type`` ``active`` messages are sets; one without repetitions (0 or none) is a
    skipped row. ``weight`` is kilograms (0 when none was entered), rounded to the gram.
    ``line`` is the set's position among the file's set messages (1-based), ``raw`` the
    whole message as compact JSON.

Rests
    ``rest`` messages are not sets. RepLog's ``rest_s`` is **the rest before a set** (``replog
    log --rest``, the PAP review), so a rest period is given to the next active set of the
    same workout (consecutive rests add up). A rest with no set after it in its workout (the
    time between the last set and stopping the watch) is left out. Both are counted in the
    warnings.

Exercise names
    ``category`` lists up to three candidates (the watch's guesses; the first is the chosen
    one), ``category_subtype`` the exercise within each. The name is Garmin's own words
    from the FIT profile: ``bench_press``/1 is ``barbell_bench_press``, "Barbell Bench
    Press"; a category without a known subtype gives the category's words ("Squat", "Pull
    Up", "Triceps Extension"); ``unknown`` or none gives "Unknown exercise (Garmin)". The
    reader never names a more specific lift than Garmin does; it only rewords where Garmin
    names exactly a catalogue lift in other words (``barbell_deadlift`` -> "Deadlift",
    ``triceps_pressdown`` -> "Triceps Pushdown", the ``shoulder_press`` category ->
    "Overhead Press"), and it qualifies words that alone would name another lift: a
    suspension trainer's ``row`` is "Suspension Row"; the ``row``, ``curl`` and ``lunge``
    categories (whose bare words the catalogue takes for the barbell row, barbell curl and
    walking lunge) are "Row (unspecified)" etc., left for the lifter to map. Category
    ``warm_up`` makes a warm-up set; ``barbell``/``dumbbell``/``kettlebell``/``cable``/
    ``machine`` in the subtype's name give the equipment hint.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from garmin_fit_sdk import Decoder, Stream
from garmin_fit_sdk.profile import Profile

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import MAX_REPS, MAX_REST_S, SetKind
from replog.core.units import Load, Unit
from replog.services.imported import ImportedSet, SkippedRow, SourceFile

FORMAT = "fit"
UNKNOWN_EXERCISE = "Unknown exercise (Garmin)"
SESSION_SLACK = timedelta(seconds=5)
_GRAM = Decimal("0.001")
_MAX_SESSION = timedelta(days=30)

# Garmin's words for the same lift as a catalogue name: (category, subtype name) -> name.
_RENAMES: dict[tuple[str, str], str] = {
    ("bench_press", "close_grip_barbell_bench_press"): "Close-Grip Bench Press",
    ("bench_press", "incline_barbell_bench_press"): "Incline Bench Press",
    ("bench_press", "incline_dumbbell_bench_press"): "Dumbbell Incline Press",
    ("deadlift", "barbell_deadlift"): "Deadlift",
    ("squat", "barbell_back_squat"): "Back Squat",
    ("squat", "barbell_front_squat"): "Front Squat",
    ("squat", "barbell_box_squat"): "Box Squat",
    ("squat", "dumbbell_step_up"): "Step-Up",
    ("shoulder_press", "barbell_shoulder_press"): "Overhead Press",
    ("shoulder_press", "overhead_barbell_press"): "Overhead Press",
    ("shoulder_press", "barbell_push_press"): "Push Press",
    ("row", "bent_over_row_with_barbell"): "Barbell Row",
    ("olympic_lift", "barbell_power_clean"): "Power Clean",
    ("olympic_lift", "barbell_hang_power_clean"): "Hang Power Clean",
    ("olympic_lift", "barbell_power_snatch"): "Power Snatch",
    ("olympic_lift", "barbell_snatch"): "Snatch",
    ("curl", "barbell_biceps_curl"): "Barbell Curl",
    ("curl", "dumbbell_biceps_curl"): "Dumbbell Curl",
    ("curl", "dumbbell_hammer_curl"): "Hammer Curl",
    ("triceps_extension", "triceps_pressdown"): "Triceps Pushdown",
    ("triceps_extension", "rope_pressdown"): "Rope Pushdown",
    ("triceps_extension", "lying_ez_bar_triceps_extension"): "Skull Crusher",
    ("triceps_extension", "body_weight_dip"): "Dip",
    ("hip_raise", "barbell_hip_thrust_with_bench"): "Hip Thrust",
    ("lunge", "dumbbell_bulgarian_split_squat"): "Bulgarian Split Squat",
    ("lateral_raise", "dumbbell_lateral_raise"): "Lateral Raise",
    ("plyo", "barbell_jump_squat"): "Jump Squat",
    ("row", "row"): "Row (unspecified)",
    ("lunge", "lunge"): "Lunge (unspecified)",
    # words that would name a gym lift but mean an ab or mobility exercise here
    ("crunch", "leg_extensions"): "Leg Extensions (Crunch)",
    ("crunch", "weighted_leg_extensions"): "Weighted Leg Extensions (Crunch)",
    ("move", "hamstring_curl"): "Hamstring Curl (Move)",
}
_CATEGORY_NAMES = {
    "shoulder_press": "Overhead Press",
    "plyo": "Plyometrics",
    # a family whose bare word the catalogue takes for one variant (row: the barbell row)
    "row": "Row (unspecified)",
    "curl": "Curl (unspecified)",
    "lunge": "Lunge (unspecified)",
}
# categories named after their equipment: their subtypes' words need it ("Row" -> "Sled Row")
_EQUIPMENT_CATEGORIES = {"banded_exercises": "Banded"} | {
    c: c.replace("_", " ").title()
    for c in ["battle_rope", "sandbag", "sled", "sledge_hammer", "suspension", "tire"]
}
_KINDS = (Equipment.BARBELL, Equipment.DUMBBELL, Equipment.KETTLEBELL, Equipment.CABLE)
_EQUIPMENT_WORDS = {e.value: e for e in (*_KINDS, Equipment.MACHINE)} | {
    "ez": Equipment.BARBELL,
    "dumbell": Equipment.DUMBBELL,  # sic, in the FIT profile
}
_WORD_CASE = {"ez": "EZ", "rdl": "RDL", "dumbell": "Dumbbell", "trx": "TRX"}


@dataclass(slots=True)
class _Workout:
    started_at: datetime
    ended_at: datetime | None
    label: str  # sport words: "Strength training", "Running"
    strength: bool
    index: int


def read_fit(data: bytes, *, name: str = "activity.fit") -> SourceFile:
    """Read a FIT activity's strength sets; see the module's docstring for the rules."""
    messages = _decode(data)
    out = SourceFile(format=FORMAT, name=name)
    device = _device(messages)
    set_mesgs = [m for m in _list(messages.get("set_mesgs")) if isinstance(m, dict)]
    workouts = _workouts(messages, set_mesgs, out.warnings)
    pending: dict[int, list[float]] = {}  # workout index -> rests waiting for the next set
    attached = left_out = 0
    for line, mesg in enumerate(set_mesgs, start=1):
        start = _datetime(mesg.get("start_time"))
        workout = _workout_at(workouts, start) if start is not None else None
        is_rest = mesg.get("set_type") == "rest"
        if workout is None or not workout.strength:
            if is_rest:
                left_out += 1
            elif start is None:
                out.skipped.append(SkippedRow(line, "set without a start time"))
            else:
                where = (
                    "outside every session"
                    if workout is None
                    else f"in the {workout.label} session"
                )
                out.skipped.append(SkippedRow(line, f"set {where}, not strength training"))
            continue
        if is_rest:
            pending.setdefault(workout.index, []).append(_number(mesg.get("duration")) or 0.0)
            continue
        rests = pending.pop(workout.index, [])
        if mesg.get("set_type") != "active":
            left_out += len(rests)
            out.skipped.append(SkippedRow(line, f"set type {mesg.get('set_type')!r}"))
            continue
        item = _set(mesg, line, workout, device, rests, out)
        if item is None:
            left_out += len(rests)
            continue
        attached += len(rests) if item.rest_s is not None else 0
        left_out += len(rests) if item.rest_s is None else 0
        out.sets.append(item)
    left_out += sum(len(r) for r in pending.values())
    if attached:
        out.warnings.append(
            f"{attached} rest period(s) attached to the set after them (rest_s is the rest "
            "before a set)"
        )
    if left_out:
        out.warnings.append(
            f"{left_out} rest period(s) left out: no set followed them in their strength "
            "workout (e.g. the time after the last set)"
        )
    others = [w for w in workouts if not w.strength]
    if others and len(others) < len(workouts):
        listed = ", ".join(
            f"{w.label.lower()} at {w.started_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
            for w in others
        )
        out.warnings.append(
            f"left out {len(others)} session(s) that are not strength training: {listed}"
        )
    if not out.sets:
        out.warnings.append(_no_sets(workouts))
    return out


def _decode(data: bytes) -> dict[str, Any]:
    """The SDK's messages by kind, or ImportFormatError (a fresh stream per SDK pass: each
    leaves its stream where it stopped)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImportFormatError(f"expected the FIT file's bytes, got {type(data).__name__}")
    raw = bytearray(data)
    try:
        if not Decoder(Stream.from_byte_array(bytearray(raw))).is_fit():
            raise ImportFormatError("not a FIT file: no valid FIT header ('.FIT' signature)")
        if not Decoder(Stream.from_byte_array(bytearray(raw))).check_integrity():
            raise ImportFormatError(
                "the FIT file is truncated or corrupt: its size or checksum (CRC) does not "
                "match its contents"
            )
        result: tuple[Any, Any] = Decoder(Stream.from_byte_array(raw)).read(
            merge_heart_rates=False, expand_components=False
        )
    except ImportFormatError:
        raise
    except Exception as e:  # the SDK raises bare exceptions of many kinds on bad input
        raise ImportFormatError(_decode_error(e)) from None
    messages, errors = result
    if errors:
        raise ImportFormatError(_decode_error(errors[0]))
    if not isinstance(messages, dict):
        raise ImportFormatError("the FIT file could not be decoded: no messages")
    return messages


def _decode_error(error: object) -> str:
    """``FIT Runtime Error at byte: 127 CRC Error`` -> ``... at byte 127: CRC Error``."""
    text = str(error).strip() or type(error).__name__
    match = re.fullmatch(r"FIT Runtime Error at byte: (\d+) ?(.*)", text, re.S)
    if match is None:
        return f"the FIT file could not be decoded: {text}"
    return f"the FIT file could not be decoded at byte {match[1]}: {match[2] or 'invalid data'}"


def _workouts(
    messages: dict[str, Any], set_mesgs: list[dict[Any, Any]], warnings: list[str]
) -> list[_Workout]:
    """The file's sessions in time order; without any, one strength workout over the sets."""
    found: list[_Workout] = []
    for mesg in _list(messages.get("session_mesgs")):
        start = _datetime(mesg.get("start_time")) if isinstance(mesg, dict) else None
        if start is None:
            warnings.append("a session without a start time was left out")
            continue
        elapsed = _number(mesg.get("total_elapsed_time"))
        if elapsed is None:
            elapsed = _number(mesg.get("total_timer_time"))
        end = None
        if elapsed is not None and 0 <= elapsed <= _MAX_SESSION.total_seconds():
            end = start + timedelta(seconds=elapsed)
        sport, sub_sport = mesg.get("sport"), mesg.get("sub_sport")
        strength = "strength_training" in (sport, sub_sport)
        label = _sport_label(sport, sub_sport)
        found.append(_Workout(start, end, label, strength, len(found)))
    if not found and set_mesgs:
        starts = [t for t in (_datetime(m.get("start_time")) for m in set_mesgs) if t]
        if starts:
            warnings.append(
                "the file has no session message; its sets are read as one strength workout"
            )
            found.append(_Workout(min(starts), None, "Strength training", True, 0))
    found.sort(key=lambda w: w.started_at)
    for i, w in enumerate(found):  # an open-ended session lasts until the next one starts
        if w.ended_at is None and i + 1 < len(found):
            w.ended_at = found[i + 1].started_at
    return found


def _workout_at(workouts: list[_Workout], when: datetime) -> _Workout | None:
    """The latest-starting session whose window holds ``when`` (a session's elapsed time can
    run past the next one's start)."""
    for w in reversed(workouts):
        if w.started_at - SESSION_SLACK <= when and (
            w.ended_at is None or when <= w.ended_at + SESSION_SLACK
        ):
            return w
    return None


def _set(
    mesg: dict[Any, Any],
    line: int,
    workout: _Workout,
    device: str,
    rests: list[float],
    out: SourceFile,
) -> ImportedSet | None:
    reps = _number(mesg.get("repetitions"))
    if reps is None or reps <= 0:
        out.skipped.append(SkippedRow(line, "active set without repetitions"))
        return None
    if reps != int(reps) or reps > MAX_REPS:
        out.skipped.append(SkippedRow(line, f"{reps:g} repetitions (expected 1-{MAX_REPS})"))
        return None
    weight = _number(mesg.get("weight")) or 0.0
    try:
        load = Load(_kg(weight), Unit.KG)
    except (ValidationError, ArithmeticError) as e:
        out.skipped.append(SkippedRow(line, f"weight {weight:g} kg: {e}"))
        return None
    rest = round(sum(rests)) if rests else None
    category, subtype = _first(mesg.get("category")), _first(mesg.get("category_subtype"))
    exercise, equipment = exercise_name(category, subtype)
    start = _datetime(mesg.get("start_time"))
    return ImportedSet(
        session_key=workout.started_at.isoformat(),
        started_at=workout.started_at,
        exercise=exercise,
        load=load,
        reps=int(reps),
        line=line,
        raw=_raw(mesg),
        session_name=f"{workout.label} ({device})",
        ended_at=workout.ended_at,
        performed_at=start,
        kind=SetKind.WARMUP if category == "warm_up" else SetKind.WORKING,
        rest_s=rest if rest is not None and 0 <= rest <= MAX_REST_S else None,
        equipment=equipment,
    )


def _kg(weight: float) -> Decimal:
    """The float rounded to the gram, without trailing zeros: 14.0 -> 14, 2.0625 -> 2.063."""
    value = Decimal(repr(weight)).quantize(_GRAM, rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def exercise_name(category: object, subtype: object) -> tuple[str, Equipment | None]:
    """Garmin's exercise (``category`` name from the FIT profile, ``subtype`` number) as a
    readable name and the equipment its name states, if any."""
    if not isinstance(category, str) or category == "unknown":
        return UNKNOWN_EXERCISE, None
    names = Profile["types"].get(f"{category}_exercise_name", {})
    key = names.get(subtype) if isinstance(subtype, int) and not isinstance(subtype, bool) else None
    if not isinstance(key, str):
        return _CATEGORY_NAMES.get(category) or _words(category), None
    tokens = key.split("_")
    kinds = {_EQUIPMENT_WORDS[t] for t in tokens if t in _EQUIPMENT_WORDS}
    equipment = kinds.pop() if len(kinds) == 1 else None
    if (category, key) in _RENAMES:
        return _RENAMES[category, key], equipment
    words = _words(key)
    prefix = _EQUIPMENT_CATEGORIES.get(category)
    if prefix and not words.lower().startswith(prefix.lower()):
        words = f"{prefix} {words}"
    return words, equipment


def _words(key: str) -> str:
    """``barbell_bench_press`` -> ``"Barbell Bench Press"``."""
    return " ".join(_WORD_CASE.get(t, t[:1].upper() + t[1:]) for t in key.split("_") if t)


def _sport_label(sport: object, sub_sport: object) -> str:
    if isinstance(sub_sport, str) and sub_sport not in ("generic", "all"):
        words = sub_sport
    elif isinstance(sport, str):
        words = sport
    else:
        words = f"sport {sport}"
    text = words.replace("_", " ")
    return text[:1].upper() + text[1:]


def _device(messages: dict[str, Any]) -> str:
    """``"Garmin fr965"`` from the file_id message (manufacturer and product)."""
    ids = [m for m in _list(messages.get("file_id_mesgs")) if isinstance(m, dict)]
    mesg = ids[0] if ids else {}
    maker = mesg.get("manufacturer")
    product = mesg.get("garmin_product", mesg.get("product"))
    parts = [_words(maker) if isinstance(maker, str) else "FIT device"]
    if isinstance(product, str):
        parts.append(product)
    return " ".join(parts)


def _no_sets(workouts: list[_Workout]) -> str:
    others = sorted({w.label.lower() for w in workouts if not w.strength})
    if any(w.strength for w in workouts):
        return "no strength sets: the strength training session holds no sets with repetitions"
    if others:
        return f"no strength sets: the file holds a {' and '.join(others)} activity"
    return "no strength sets: the file holds no session and no sets"


def _raw(mesg: dict[Any, Any]) -> str:
    """The whole message as JSON; fields the profile does not name are keyed by number."""
    fields = {str(k): v for k, v in mesg.items()}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=_json_value)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return str(value)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _first(value: object) -> object:
    """The first candidate of an array field (the SDK gives a one-value array as a scalar)."""
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def _datetime(value: object) -> datetime | None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None
