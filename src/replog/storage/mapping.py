"""Rows to domain objects and back. The only place that knows both shapes."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from replog.core.exercises import Exercise
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
from replog.storage.database import Connection, Row, parse_day, parse_ts


def athlete_row(conn: Connection, a: Athlete) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "default_unit": a.default_unit.value,
        "body_mass_kg": a.body_mass_kg,
        # the column is NOT NULL but the model allows None (e.g. an import without it)
        "created_at": conn.ts(a.created_at or datetime.now(UTC)),
        "dropoff_threshold_pct": a.dropoff_threshold_pct,
    }


def athlete_from(row: Row) -> Athlete:
    return Athlete(
        row["id"],
        row["name"],
        Unit(row["default_unit"]),
        row["body_mass_kg"],
        parse_ts(row["created_at"]),
        float(row["dropoff_threshold_pct"]),
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


def checkin_row(conn: Connection, c: CheckIn) -> dict[str, Any]:
    return {**{f.name: getattr(c, f.name) for f in fields(c)}, "day": conn.day(c.day)}


def checkin_from(row: Row) -> CheckIn:
    values = {f.name: row[f.name] for f in fields(CheckIn)}
    return CheckIn(**{**values, "day": parse_day(row["day"])})
