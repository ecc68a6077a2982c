"""Rows to domain objects and back. The only place that knows both shapes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from replog.core.exercises import Exercise
from replog.core.gear import OwnGear, gear_from_dict, gear_to_dict
from replog.core.model import (
    Athlete,
    CheckIn,
    Rep,
    RepSource,
    Session,
    SetKind,
    SetRecord,
    restorer,
)
from replog.core.units import Load, Unit, format_decimal
from replog.storage.connection import Connection, Row, parse_day, parse_ts


def athlete_row(conn: Connection, a: Athlete) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "default_unit": a.default_unit.value,
        "body_mass_kg": a.body_mass_kg,
        # the column is NOT NULL but the model allows None (e.g. an import without it)
        "created_at": conn.ts(a.created_at or datetime.now(UTC)),
        "dropoff_threshold_pct": a.dropoff_threshold_pct,
        "gear": gear_column(a.gear),
    }


def gear_column(gear: OwnGear) -> str | None:
    """The athletes.gear column: JSON by unit, or NULL for the gym defaults."""
    doc = gear_to_dict(gear)
    return None if doc is None else json.dumps(doc)


def athlete_from(row: Row) -> Athlete:
    return Athlete(
        row["id"],
        row["name"],
        Unit(row["default_unit"]),
        row["body_mass_kg"],
        parse_ts(row["created_at"]),
        float(row["dropoff_threshold_pct"]),
        gear_from_dict(json.loads(row["gear"])) if row["gear"] else (),
    )


def exercise_row(e: Exercise) -> dict[str, Any]:
    return {
        "key": e.key,
        "athlete_id": e.athlete_id,
        "name": e.name,
        "equipment": e.equipment.value,
        "pattern": e.pattern.value,
        "aliases": "\n".join(e.aliases),
        "mvt": e.mvt,
        "concentric_first": bool(e.concentric_first),
    }


def exercise_from(row: Row) -> Exercise:
    aliases = tuple(a for a in (row["aliases"] or "").split("\n") if a)
    return Exercise(
        row["key"],
        row["name"],
        row["equipment"],
        row["pattern"],
        aliases,
        row["mvt"],
        bool(row["concentric_first"]),
        custom=True,
        athlete_id=row["athlete_id"],
    )


def session_row(conn: Connection, s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "athlete_id": s.athlete_id,
        "started_at": conn.ts(s.started_at),
        "ended_at": conn.ts(s.ended_at),
        "name": s.name,
        "notes": s.notes,
    }


def session_from(row: Row, sets: tuple[SetRecord, ...] = ()) -> Session:
    ended = row["ended_at"]
    return Session(
        row["id"],
        row["athlete_id"],
        parse_ts(row["started_at"]),
        None if ended is None else parse_ts(ended),
        row["name"],
        row["notes"],
        sets,
    )


def set_row(conn: Connection, s: SetRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "session_id": s.session_id,
        "position": s.position,
        "exercise": s.exercise,
        "load_value": format_decimal(s.load.value),
        "load_unit": s.load.unit.value,
        "load_kg": s.load.kg,
        "reps": s.reps,
        "rpe": s.rpe,
        "rir": s.rir,
        "kind": s.kind.value,
        "rest_s": s.rest_s,
        "notes": s.notes,
        "performed_at": conn.ts(s.performed_at),
    }


def rep_rows(s: SetRecord) -> list[dict[str, Any]]:
    return [{"set_id": s.id, "idx": r.index, **r.measures()} for r in s.rep_data]


def tag_rows(s: SetRecord) -> list[dict[str, Any]]:
    return [{"set_id": s.id, "tag": t} for t in s.tags]


_SOURCES = {s.value: s for s in RepSource}
_KINDS = {k.value: k for k in SetKind}
_UNITS = {u.value: u for u in Unit}

# Rows were validated when they were written, so sets and reps are rebuilt without
# re-checking (core.model.restorer); the schema's CHECK constraints guard the rest.


_rep = restorer(Rep)
_load = restorer(Load)
_set = restorer(SetRecord)


def rep_from(row: Row) -> Rep:
    return _rep(
        row["idx"],
        row["mcv"],
        row["mpv"],
        row["peak_velocity"],
        row["rom"],
        row["concentric_s"],
        row["eccentric_s"],
        _SOURCES[row["source"]],
    )


def set_from(row: Row, reps: tuple[Rep, ...], tags: tuple[str, ...]) -> SetRecord:
    load = _load(Decimal(row["load_value"]), _UNITS[row["load_unit"]], row["load_kg"])
    return _set(
        row["id"],
        row["session_id"],
        row["exercise"],
        row["position"],
        load,
        row["reps"],
        parse_ts(row["performed_at"]),
        row["rpe"],
        row["rir"],
        _KINDS[row["kind"]],
        row["rest_s"],
        tags,
        row["notes"],
        reps,
    )


# A set and its reps as columns of one row (sets s LEFT JOIN reps r), in the order of the
# fields of SetRecord and Rep: see sets_from_joined.
SET_COLUMNS = (
    "s.id, s.session_id, s.exercise, s.position, s.load_value, s.load_unit, s.load_kg, "
    "s.reps, s.performed_at, s.rpe, s.rir, s.kind, s.rest_s, s.notes"
)
REP_COLUMNS = "r.idx, r.mcv, r.mpv, r.peak_velocity, r.rom, r.concentric_s, r.eccentric_s, r.source"


def sets_from_joined(
    rows: Sequence[tuple[Any, ...]], lead: int, *, sort_tags: bool
) -> list[SetRecord]:
    """Sets from rows of ``lead`` other columns, :data:`SET_COLUMNS`, :data:`REP_COLUMNS`
    and the set's tags joined by line breaks: one row per rep (a set without reps has one
    row with null rep columns), a set's rows together and in rep order. Rows whose set
    columns are null (a session without sets) hold no set."""
    out: list[SetRecord] = []
    current: tuple[Any, ...] | None = None
    reps: list[Rep] = []
    tags: tuple[str, ...] = ()

    def finish() -> None:
        if current is not None:
            out.append(_set_from_values(current, tuple(reps), tags))

    r0 = lead + 14  # the first rep column
    for row in rows:
        set_id = row[lead]
        if set_id is None:
            continue
        if current is None or set_id != current[0]:
            finish()
            current, reps = row[lead:r0], []
            text = row[r0 + 8]
            tags = (
                tuple(sorted(text.split("\n")) if sort_tags else text.split("\n")) if text else ()
            )
        if row[r0] is not None:
            reps.append(_rep(*row[r0 : r0 + 7], _SOURCES[row[r0 + 7]]))
    finish()
    return out


def _set_from_values(v: tuple[Any, ...], reps: tuple[Rep, ...], tags: tuple[str, ...]) -> SetRecord:
    load = _load(Decimal(v[4]), _UNITS[v[5]], v[6])
    return _set(
        v[0], v[1], v[2], v[3], load, v[7], parse_ts(v[8]), v[9], v[10], _KINDS[v[11]], v[12],
        tags, v[13], reps,
    )  # fmt: skip


def checkin_row(conn: Connection, c: CheckIn) -> dict[str, Any]:
    return {**{f.name: getattr(c, f.name) for f in fields(c)}, "day": conn.day(c.day)}


def checkin_from(row: Row) -> CheckIn:
    values = {f.name: row[f.name] for f in fields(CheckIn)}
    return CheckIn(**{**values, "day": parse_day(row["day"])})
