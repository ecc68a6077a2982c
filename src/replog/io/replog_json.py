"""RepLog's own JSON format: every field, exactly as stored, so exports round-trip.

A document is ``{"format": "replog", "version": 1, "athletes": [...]}``; each athlete holds
its custom exercises, sessions (each with its sets, each with its reps) and check-ins. Loads
are strings ("102.5") so the number the lifter typed survives; ``load_kg`` is informative.
Errors name the JSON path of the bad value (``athletes[0].sessions[3].sets[1].rpe``) and,
for broken JSON, the line and column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from replog.core.errors import ImportFormatError, ReplogError
from replog.core.exercises import Exercise
from replog.core.gear import OwnGear, gear_from_dict, gear_to_dict
from replog.core.ids import parse_id
from replog.core.model import Athlete, CheckIn, Rep, Session, SetOrigin, SetRecord
from replog.core.set_doc import rep_doc
from replog.core.units import Load, format_decimal, to_decimal
from replog.io.json_locate import line_of
from replog.services.exchange import AthleteData, Bundle, BundleSource, LogSource
from replog.services.ports import ActiveProgram, PlannedSession, StoredPlan

FORMAT = "replog"
VERSION = 1
T = TypeVar("T")


# ---------------------------------------------------------------------------- writing
def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def set_to_dict(s: SetRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "position": s.position,
        "exercise": s.exercise,
        "load": format_decimal(s.load.value),
        "unit": s.load.unit.value,
        "load_kg": s.load.kg,
        "reps": s.reps,
        "rpe": s.rpe,
        "rir": s.rir,
        "kind": s.kind.value,
        "rest_s": s.rest_s,
        "tags": list(s.tags),
        "notes": s.notes,
        "performed_at": _ts(s.performed_at),
        "rep_data": [rep_doc(r) for r in s.rep_data],  # a rep is one record everywhere
    }


def session_to_dict(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "started_at": _ts(s.started_at),
        "ended_at": _ts(s.ended_at),
        "name": s.name,
        "notes": s.notes,
        "sets": [set_to_dict(x) for x in s.sets],
    }


def _exercise_to_dict(e: Exercise) -> dict[str, Any]:
    return {
        "key": e.key,
        "name": e.name,
        "equipment": e.equipment.value,
        "pattern": e.pattern.value,
        "aliases": list(e.aliases),
        "mvt": e.mvt,
        "concentric_first": e.concentric_first,
    }


def _checkin_to_dict(c: CheckIn) -> dict[str, Any]:
    doc = {f.name: getattr(c, f.name) for f in fields(c) if f.name != "athlete_id"}
    return {**doc, "day": c.day.isoformat()}


def _origin_to_dict(o: SetOrigin) -> dict[str, Any]:
    return {"set_id": o.set_id, "format": o.format, "source": o.source, "line": o.line,
            "row": o.row}  # fmt: skip


def _athlete_to_dict(d: AthleteData, sessions: list[Any], origins: list[Any]) -> dict[str, Any]:
    return {
        "id": d.athlete.id,
        "name": d.athlete.name,
        "default_unit": d.athlete.default_unit.value,
        "body_mass_kg": d.athlete.body_mass_kg,
        "dropoff_threshold_pct": d.athlete.dropoff_threshold_pct,
        "gear": gear_to_dict(d.athlete.gear),
        "created_at": _ts(d.athlete.created_at),
        "exercises": [_exercise_to_dict(e) for e in d.exercises],
        "sessions": sessions,
        "checkins": [_checkin_to_dict(c) for c in d.checkins],
        "anchors": [{"exercise": e, "load_kg": kg} for e, kg in d.anchors],
        "origins": origins,
        "plans": [
            {"id": p.id, "name": p.name, "version": p.version,
             "updated_at": _ts(p.updated_at), "document": json.loads(p.doc)}
            for p in d.plans
        ],
        "program": None if d.program is None else {
            "source": d.program.source, "name": d.program.name,
            "started_at": _ts(d.program.started_at), "document": json.loads(d.program.doc)},
        "planned_sessions": [
            {"session_id": x.session_id, "source": x.source, "week": x.week, "day": x.day,
             "created_at": _ts(x.created_at), "plan": json.loads(x.doc)}
            for x in d.planned
        ],
    }  # fmt: skip


def bundle_to_dict(bundle: Bundle, exported_at: datetime | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _ts(exported_at),
        "athletes": [
            _athlete_to_dict(
                d, [session_to_dict(s) for s in d.sessions], [_origin_to_dict(o) for o in d.origins]
            )
            for d in bundle.athletes
        ],
    }


def dumps(bundle: Bundle, exported_at: datetime | None = None) -> str:
    return "".join(dump_chunks(BundleSource(bundle), exported_at))


def dump_chunks(log: LogSource, exported_at: datetime | None = None) -> Iterator[str]:
    """The export document of ``log`` as text, a piece at a time: the sessions and set
    origins are written one by one as they come, so the document is never whole in memory.
    The same text as ``json.dumps(bundle_to_dict(...), indent=1)``."""
    marks: list[tuple[str, Callable[[], Iterable[dict[str, Any]]]]] = []
    athletes = []
    for i, d in enumerate(log.heads):
        a = d.athlete.id
        s_mark, o_mark = f"@@replog-sessions-{i}@@", f"@@replog-origins-{i}@@"
        marks.append((s_mark, lambda a=a: map(session_to_dict, log.sessions(a))))  # type: ignore[misc]
        marks.append((o_mark, lambda a=a: map(_origin_to_dict, log.origins(a))))  # type: ignore[misc]
        athletes.append(_athlete_to_dict(d, [s_mark], [o_mark]))
    skeleton = {"format": FORMAT, "version": VERSION, "exported_at": _ts(exported_at),
                "athletes": athletes}  # fmt: skip
    text = json.dumps(skeleton, indent=1, ensure_ascii=False)
    for mark, items in marks:
        # the skeleton holds '[\n<indent>"<mark>"\n<indent - 1>]' where the items go
        at = text.index(f'"{mark}"')
        opening = text.rindex("[", 0, at)
        indent = text[opening + 2 : at]
        closing = text.index("]", at)
        yield text[: opening + 1]
        first = True
        for item in items():
            body = json.dumps(item, indent=1, ensure_ascii=False).replace("\n", "\n" + indent)
            yield ("\n" if first else ",\n") + indent + body
            first = False
        yield "]" if first else "\n" + indent[:-1] + "]"
        text = text[closing + 1 :]
    yield text + "\n"


# ---------------------------------------------------------------------------- reading
class _Reader:
    """Typed access to a JSON object that knows its own path for error messages."""

    def __init__(self, obj: Any, path: str):
        if not isinstance(obj, dict):
            raise ImportFormatError(f"expected an object, got {type(obj).__name__}", field=path)
        self.obj, self.path = obj, path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
        if key not in self.obj or self.obj[key] is None:
            if required:
                raise ImportFormatError("is missing", field=self._where(key))
            return None
        value = self.obj[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise ImportFormatError(f"expected {_name(kind)}, got {value!r}", self._where(key))
        if not isinstance(value, kind):
            raise ImportFormatError(f"expected {_name(kind)}, got {value!r}", self._where(key))
        return value

    def num(self, key: str, *, required: bool = False) -> float | None:
        value = self.get(key, (int, float), required=required)
        return None if value is None else float(value)

    def ts(self, key: str, *, required: bool = True) -> datetime | None:
        text = self.get(key, str, required=required)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ImportFormatError(
                f"expected an ISO-8601 time like 2026-01-31T18:05:00+01:00, got {text!r}",
                field=self._where(key),
            ) from None
        if value.tzinfo is None:
            raise ImportFormatError(f"time {text!r} has no UTC offset", self._where(key))
        return value

    def items(self, key: str) -> list[_Reader]:
        values = self.get(key, list, required=False) or []
        return [_Reader(v, f"{self._where(key)}[{i}]") for i, v in enumerate(values)]

    def build(self, factory: Callable[..., T], **kwargs: Any) -> T:
        """Construct a domain object, locating its validation error under this path."""
        try:
            return factory(**kwargs)
        except ReplogError as exc:
            raise ImportFormatError(
                exc.message, field=self._where(exc.field) if exc.field else self.path
            ) from None
        except ValueError as exc:  # enum values
            raise ImportFormatError(str(exc), field=self.path) from None


def _name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        bool: "true/false",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _gear(a: _Reader) -> OwnGear:
    """The athlete's own bar and plates (absent in exports before they were kept)."""
    try:
        return gear_from_dict(a.get("gear", dict, required=False))
    except ReplogError as exc:
        raise ImportFormatError(exc.message, field=a._where(exc.field or "gear")) from None


def _rep(r: _Reader) -> Rep:
    return r.build(
        Rep,
        index=r.get("index", int),
        mcv=r.num("mcv"),
        mpv=r.num("mpv"),
        peak_velocity=r.num("peak_velocity"),
        rom=r.num("rom"),
        concentric_s=r.num("concentric_s"),
        eccentric_s=r.num("eccentric_s"),
        source=r.get("source", str, required=False) or "manual",
    )


def _set(r: _Reader, session_id: str) -> SetRecord:
    value = r.get("load", (str, int, float))
    load = r.build(Load, value=_decimal(value, r._where("load")), unit=r.get("unit", str))
    tags = r.get("tags", list, required=False) or []
    if not all(isinstance(t, str) for t in tags):
        raise ImportFormatError("tags must be strings", field=r._where("tags"))
    rest = r.get("rest_s", (int, float), required=False)
    return r.build(
        SetRecord,
        id=parse_id(r.get("id", str), r._where("id")),
        session_id=session_id,
        exercise=r.get("exercise", str),
        position=r.get("position", int),
        load=load,
        reps=r.get("reps", int),
        performed_at=r.ts("performed_at"),
        rpe=r.num("rpe"),
        rir=r.num("rir"),
        kind=r.get("kind", str, required=False) or "working",
        rest_s=None if rest is None else int(rest),
        tags=tuple(tags),
        notes=r.get("notes", str, required=False) or "",
        rep_data=tuple(_rep(x) for x in r.items("rep_data")),
    )


def _decimal(value: Any, where: str) -> Decimal:
    try:
        return to_decimal(value, where)
    except ReplogError as exc:
        raise ImportFormatError(exc.message, field=where) from None


def _session(r: _Reader, athlete_id: str) -> Session:
    sid = parse_id(r.get("id", str), r._where("id"))
    sets = tuple(_set(x, sid) for x in r.items("sets"))
    positions = [s.position for s in sets]
    if len(set(positions)) != len(positions):
        raise ImportFormatError("two sets share a position", field=r._where("sets"))
    return r.build(
        Session,
        id=sid,
        athlete_id=athlete_id,
        started_at=r.ts("started_at"),
        ended_at=r.ts("ended_at", required=False),
        name=r.get("name", str, required=False) or "",
        notes=r.get("notes", str, required=False) or "",
        sets=tuple(sorted(sets, key=lambda s: s.position)),
    )


def _exercise(r: _Reader, athlete_id: str) -> Exercise:
    aliases = r.get("aliases", list, required=False) or []
    return r.build(
        Exercise,
        key=r.get("key", str),
        name=r.get("name", str),
        equipment=r.get("equipment", str),
        pattern=r.get("pattern", str),
        aliases=tuple(str(a) for a in aliases),
        mvt=r.num("mvt"),
        concentric_first=bool(r.get("concentric_first", bool, required=False)),
        custom=True,
        athlete_id=athlete_id,
    )


def _checkin(r: _Reader, athlete_id: str) -> CheckIn:
    day_text = r.get("day", str)
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ImportFormatError(f"expected YYYY-MM-DD, got {day_text!r}", r._where("day")) from None
    ints = {k: r.get(k, int, required=False) for k in ("sleep_quality", "stress", "soreness")}
    return r.build(
        CheckIn,
        id=parse_id(r.get("id", str), r._where("id")),
        athlete_id=athlete_id,
        day=day,
        sleep_h=r.num("sleep_h"),
        resting_hr=r.num("resting_hr"),
        hrv_ms=r.num("hrv_ms"),
        notes=r.get("notes", str, required=False) or "",
        **ints,
    )


def _origin(r: _Reader) -> SetOrigin:
    return r.build(
        SetOrigin,
        set_id=parse_id(r.get("set_id", str), r._where("set_id")),
        format=r.get("format", str),
        source=r.get("source", str),
        line=r.get("line", int),
        row=r.get("row", str),
    )


def _anchor(r: _Reader) -> tuple[str, float]:
    load = r.num("load_kg", required=True)
    if load is None or not 0 < load <= 1000:
        raise ImportFormatError(f"expected a load in kg above 0, got {load!r}", r._where("load_kg"))
    return r.get("exercise", str), load


def bundle_from_dict(doc: Any) -> Bundle:
    top = _Reader(doc, "")
    if top.get("format", str, required=False) != FORMAT:
        raise ImportFormatError('not a RepLog export: expected "format": "replog"', "format")
    version = top.get("version", int)
    if version != VERSION:
        raise ImportFormatError(
            f"version {version} is not supported (expected {VERSION})", "version"
        )
    out: list[AthleteData] = []
    for a in top.items("athletes"):
        aid = parse_id(a.get("id", str), a._where("id"))
        athlete = a.build(
            Athlete,
            id=aid,
            name=a.get("name", str),
            default_unit=a.get("default_unit", str),
            body_mass_kg=a.num("body_mass_kg"),
            created_at=a.ts("created_at", required=False),
            dropoff_threshold_pct=a.num("dropoff_threshold_pct") or 10.0,
            gear=_gear(a),
        )
        sessions = tuple(_session(s, aid) for s in a.items("sessions"))
        _check_unique([s.id for s in sessions], a._where("sessions"), "session id")
        _check_unique([x.id for s in sessions for x in s.sets], a._where("sessions"), "set id")
        out.append(
            AthleteData(
                athlete,
                tuple(_exercise(e, aid) for e in a.items("exercises")),
                sessions,
                tuple(_checkin(c, aid) for c in a.items("checkins")),
                tuple(sorted((_origin(o) for o in a.items("origins")), key=lambda o: o.set_id)),
                tuple(sorted(_anchor(x) for x in a.items("anchors"))),
                tuple(_plan(x, aid) for x in a.items("plans")),
                _program(a, aid),
                tuple(_planned(x, aid) for x in a.items("planned_sessions")),
            )
        )
    return Bundle(tuple(out))


PLAN_SCHEMAS = ("replog.program/1", "replog.template/1")


def _document(r: _Reader, key: str) -> str:
    """A plan document as kept: checked to be one (its rules are checked when it is used,
    against the lifter's catalogue, naming the path of a mistake)."""
    doc = r.get(key, dict)
    if doc.get("schema") not in PLAN_SCHEMAS:
        raise ImportFormatError(
            f"expected a plan document ({' or '.join(PLAN_SCHEMAS)})", r._where(key + ".schema")
        )
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def _plan(r: _Reader, athlete_id: str) -> StoredPlan:
    return r.build(
        StoredPlan,
        id=parse_id(r.get("id", str), r._where("id")),
        athlete_id=athlete_id,
        name=r.get("name", str),
        doc=_document(r, "document"),
        updated_at=r.ts("updated_at"),
        version=r.get("version", int, required=False) or 1,
    )


def _program(a: _Reader, athlete_id: str) -> ActiveProgram | None:
    if a.get("program", dict, required=False) is None:
        return None
    r = _Reader(a.obj["program"], a._where("program"))
    return r.build(
        ActiveProgram,
        athlete_id=athlete_id,
        source=r.get("source", str),
        name=r.get("name", str),
        doc=_document(r, "document"),
        started_at=r.ts("started_at"),
    )


def _planned(r: _Reader, athlete_id: str) -> PlannedSession:
    plan = r.get("plan", dict)
    return r.build(
        PlannedSession,
        session_id=parse_id(r.get("session_id", str), r._where("session_id")),
        athlete_id=athlete_id,
        source=r.get("source", str),
        week=r.get("week", int),
        day=r.get("day", int),
        doc=json.dumps(plan, ensure_ascii=False, sort_keys=True),
        created_at=r.ts("created_at"),
    )


def _check_unique(ids: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ImportFormatError(f"{what} {i} appears twice", field=where)
        seen.add(i)


def loads(text: str) -> Bundle:
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno
        ) from None
    try:
        return bundle_from_dict(doc)
    except ImportFormatError as exc:
        if exc.line is None and exc.field:
            raise exc.located(line=line_of(text, exc.field)) from None
        raise


def _reject_constant(name: str) -> Any:
    raise ImportFormatError(f"{name} is not a number RepLog accepts", field="value")
