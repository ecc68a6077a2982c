"""``WS /api/v1/athletes/{athlete_id}/stream``: a set measured live, rep by rep.

The phone streams sensor samples while the lifter lifts; the server pushes each rep the
moment the detector completes it, with the velocity loss and the running drop-off against
the session's reference set, and logs the set when the stream ends. Messages are JSON text.

Authentication (one of): the ``Authorization: Bearer TOKEN`` header; the session cookie,
then the ``Origin`` header's host must equal the ``Host`` header (no cross-site WebSocket
hijacking); or ``"token"`` in the start message. The caller needs write access to the
athlete. The server accepts the connection first, so every refusal is an error message
followed by a close.

Client -> server

``{"type": "start", "sensor": "imu"|"lpt", "set": {...}, "accel_unit": "m/s2"|"g",
"gyro_unit": "rad/s"|"deg/s", "token": "...", "target": {...}}``
    ``set`` takes SetIn's fields ``id`` (a UUID: a retried stream logs one set), ``exercise``,
    ``load``, ``unit``, ``reps`` (optional: default the reps detected), ``rpe``, ``rir``,
    ``kind``, ``session_id`` (default today's open session), ``rest_s``, ``tags``, ``notes``.
    ``target`` (optional; a plan's set gives it): ``velocity`` (m/s), ``velocity_loss_pct``
    (the cut-off) and ``reps``; each rep then carries a ``cue``.
``{"type": "samples", "t": [...], "acc": [[ax, ay, az], ...], "gyro": [[gx, gy, gz], ...]}``
    IMU samples; ``{"type": "samples", "t": [...], "d": [...]}`` for a position transducer
    (metres). Any chunk size; ``t`` in seconds on the device's clock, increasing across
    messages; acceleration including gravity.
``{"type": "end", "update_reps": false}``
    The set is over: log it.

Server -> client

``{"type": "ready", "set_id", "sensor", "max_samples", "session_id", "reference"}``
    ``reference`` is the set the drop-off is measured against (``set_id``, ``position``,
    ``load_kg``, ``mean_velocity``, ``velocities``) or null; ``session_id`` is null when
    today's session is opened by this set.
``{"type": "rep", "rep": {index, start, end, mcv, mpv, peak_velocity, rom, concentric_s,
eccentric_s, eccentric_mean_velocity, quality}, "velocity_loss_pct", "dropoff_pct",
"neural_dropoff", "cue"}``
    One per rep, as it completes (a rep is final once the bar is still after it). ``cue``
    (null without a target): ``{kind: stop|done|slow|fast|on, text, velocity_loss_pct}``
    (:func:`replog.core.rep_cues.rep_cue`), what the phone sounds.
``{"type": "set", "set": SetOut, "session": SessionRef, "verdict": Verdict, "replayed"}``
    After ``end``: the set as logged and its verdict; then the server closes with 1000.
``{"type": "error", "error": {"code", "message", "field"}}``
    Then a close: 1008 (authentication, access, idle for 60 s), 1009 (a message over
    ``max_stream_message_bytes`` or more than ``max_stream_samples`` samples), 1003 (binary
    or unknown message type), 1007 (invalid data; ``field`` names it, e.g. ``t[3]``,
    ``acc[2][1]``, ``set.load``), 1011 (server error). One error does not close: a rep count
    that differs from the sensor's (field ``reps``); send ``end`` again with
    ``"update_reps": true`` to log the sensor's count.
"""

from __future__ import annotations

import json
import logging
import uuid
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from replog.api import schemas as sc
from replog.api.deps import SESSION_COOKIE, now
from replog.api.verdict import logged_set_out
from replog.bootstrap import unit_of_work_on
from replog.core.entry import SetEntry
from replog.core.errors import ReplogError, ValidationError
from replog.core.ids import new_id
from replog.core.model import MAX_REPS, Athlete, SetKind, SetRecord
from replog.core.rep_cues import SetTarget
from replog.core.units import Load
from replog.core.units import Unit as LoadUnit
from replog.core.velocity import loss_band
from replog.services import accounts
from replog.services.accounts import Access, Caller
from replog.services.streaming import LiveSet, RepFeedback, log_live_set, plan_live_set
from replog.services.training import SetDetails

log = logging.getLogger("replog.api")
router = APIRouter()

IDLE_TIMEOUT_S = 60.0
"""Close a stream that has sent nothing for this long (``app.state.stream_idle_s``)."""
CLOSE = {"too_large": 1009, "unauthenticated": 1008, "forbidden": 1008, "storage": 1011}

Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Vec3 = tuple[Finite, Finite, Finite]
M = TypeVar("M", bound=BaseModel)


class StreamSetIn(sc.In):
    id: sc.ClientId | None = None
    exercise: Annotated[str, Field(min_length=1, max_length=100)]
    load: sc.LoadValue | None = None
    unit: sc.Unit | None = None
    reps: Annotated[int, Field(ge=0, le=MAX_REPS)] | None = None
    rpe: Annotated[float, Field(ge=1, le=10)] | None = None
    rir: Annotated[float, Field(ge=0, le=10)] | None = None
    kind: sc.Kind = "working"
    rest_s: Annotated[int, Field(ge=0, le=86400)] | None = None
    tags: Annotated[list[sc.Tag], Field(max_length=20, default_factory=list)]
    notes: sc.Text = ""
    session_id: sc.Id | None = None


class TargetIn(sc.In):
    velocity: Annotated[float, Field(ge=0.05, le=3.0)] | None = None
    velocity_loss_pct: Annotated[float, Field(ge=1, le=60)] | None = None
    reps: Annotated[int, Field(ge=1, le=100)] | None = None


class StartMsg(sc.In):
    type: Literal["start"]
    sensor: Literal["imu", "lpt"]
    set: StreamSetIn
    target: TargetIn | None = None
    accel_unit: Literal["m/s2", "g"] = "m/s2"
    gyro_unit: Literal["rad/s", "deg/s"] = "rad/s"
    token: Annotated[str, Field(max_length=256)] | None = None


class ImuSamples(sc.In):
    type: Literal["samples"]
    t: list[Finite]
    acc: list[Vec3]
    gyro: list[Vec3]


class LptSamples(sc.In):
    type: Literal["samples"]
    t: list[Finite]
    d: list[Finite]


class EndMsg(sc.In):
    type: Literal["end"]
    update_reps: bool = False


class StreamError(Exception):
    """An error message for the client, then a close with the code ``close``."""

    def __init__(self, code: str, message: str, field: str | None, close: int = 1007):
        super().__init__(message)
        self.code, self.message, self.field, self.close = code, message, field, close


def _path(loc: tuple[int | str, ...]) -> str | None:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or None


def _validate(model: type[M], doc: dict[str, Any]) -> M:
    try:
        return model.model_validate(doc)
    except PydanticError as e:
        first = e.errors()[0]
        kind = first.get("type", "")
        message = {"missing": "this field is required", "extra_forbidden": "unknown field"}.get(
            kind, str(first.get("msg", "invalid value"))
        )
        raise StreamError("invalid", message, _path(tuple(first.get("loc", ())))) from None


def _same_site(origin: str | None, host: str | None) -> bool:
    if not origin or not host:
        return False
    o = urlsplit(origin)
    default = {"http": "80", "https": "443"}.get(o.scheme, "")

    def norm(netloc: str) -> str:
        netloc = netloc.lower()
        return netloc if ":" in netloc.rsplit("]", 1)[-1] else f"{netloc}:{default}"

    return bool(o.netloc) and norm(o.netloc) == norm(host)


class _Stream:
    """One connection: authentication, then the set from start to end."""

    def __init__(self, ws: WebSocket, athlete_id: str):
        self.ws, self.athlete_id = ws, athlete_id
        self.db = ws.app.state.db
        self.settings = ws.app.state.settings
        self.idle_s = float(getattr(ws.app.state, "stream_idle_s", IDLE_TIMEOUT_S))

    async def _thread(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))

    def _read(self) -> Any:
        return unit_of_work_on(self.db, read_only=True)

    async def send(self, doc: dict[str, Any]) -> None:
        await self.ws.send_text(json.dumps(doc, ensure_ascii=False, allow_nan=False))

    async def receive(self) -> dict[str, Any]:
        try:
            with anyio.fail_after(self.idle_s):
                message = await self.ws.receive()
        except TimeoutError:
            idle = f"nothing received for {self.idle_s:g} s"
            raise StreamError("idle", idle, None, 1008) from None
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            raise StreamError("unsupported", "send JSON text messages, not binary", None, 1003)
        limit = self.settings.max_stream_message_bytes
        if len(text) > limit or (4 * len(text) > limit and len(text.encode()) > limit):
            raise StreamError("too_large", f"a message takes at most {limit} bytes", None, 1009)
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as e:
            raise StreamError("malformed_json", f"the message is not JSON: {e}", None) from None
        if not isinstance(doc, dict):
            raise StreamError("invalid", "expected a JSON object with a type", "type")
        if not isinstance(doc.get("type"), str):
            raise StreamError("invalid", "type is required: start, samples or end", "type")
        return doc

    # -- authentication ----------------------------------------------------------------
    def _header_token(self) -> str | None:
        auth = self.ws.headers.get("authorization")
        if auth is not None:
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                bad = "use 'Authorization: Bearer TOKEN'"
                raise StreamError("unauthenticated", bad, "authorization", 1008)
            return token.strip()
        cookie = self.ws.cookies.get(SESSION_COOKIE)
        if cookie and not _same_site(self.ws.headers.get("origin"), self.ws.headers.get("host")):
            raise StreamError(
                "forbidden",
                "a stream signed by the session cookie must come from this site "
                "(the Origin header's host must be the Host header)",
                "origin",
                1008,
            )
        return cookie or None

    async def _authorize(self, token: str, field: str) -> Athlete:
        if not 0 < len(self.athlete_id) <= 64:
            raise StreamError("not_found", "no such athlete", "athlete_id", 1008)
        who: Caller | None = await self._thread(accounts.authenticate, self._read(), token, now())
        if who is None:
            gone = "the token is unknown, revoked or expired"
            raise StreamError("unauthenticated", gone, field, 1008)
        found = await self._thread(accounts.access, self._read(), who.user, self.athlete_id)
        if found is None:
            raise StreamError("not_found", "no such athlete", "athlete_id", 1008)
        athlete, level = found
        if level < Access.WRITE:
            shared = f"{athlete.name} shared their log with you read-only"
            raise StreamError("forbidden", shared, "athlete_id", 1008)
        return athlete  # type: ignore[no-any-return]

    # -- the protocol ------------------------------------------------------------------
    async def run(self) -> None:
        token = self._header_token()
        athlete = None if token is None else await self._authorize(token, "authorization")
        doc = await self.receive()
        if doc["type"] != "start":
            raise StreamError("invalid", "the first message must be a start", "type")
        if athlete is None:
            given = doc.get("token")
            if not isinstance(given, str) or not given:
                ask = "sign in: send 'Authorization: Bearer TOKEN' or a token in the start message"
                raise StreamError("unauthenticated", ask, "token", 1008)
            athlete = await self._authorize(given, "token")
        self.athlete = athlete
        self.start = _validate(StartMsg, doc)
        await self._begin()
        while True:
            doc = await self.receive()
            kind = doc["type"]
            if kind == "samples" and self.start.sensor == "imu":
                imu = _validate(ImuSamples, doc)
                await self._reps(await self._thread(self.live.feed_imu, imu.t, imu.acc, imu.gyro))
            elif kind == "samples":
                lpt = _validate(LptSamples, doc)
                await self._reps(await self._thread(self.live.feed_lpt, lpt.t, lpt.d))
            elif kind == "end":
                end = _validate(EndMsg, doc)
                await self._reps(await self._thread(self.live.finish))
                if await self._end(end.update_reps):
                    return
            elif kind == "start":
                raise StreamError("invalid", "the set has started already", "type")
            else:
                unknown = f"unknown message type {kind!r}: samples or end"
                raise StreamError("unsupported", unknown, "type", 1003)

    async def _begin(self) -> None:
        """Check the set, find its reference, make the detector; send ``ready``."""
        s, athlete = self.start.set, self.athlete
        self.started = now()
        set_id = str(uuid.UUID(s.id)) if s.id else new_id()
        load = None
        try:
            if s.load is not None:
                load = Load(s.load, LoadUnit(s.unit) if s.unit else athlete.default_unit)
            plan = await self._thread(
                plan_live_set, self._read(), athlete.id, s.exercise, load, SetKind(s.kind),
                s.session_id, self.started, set_id,
            )  # fmt: skip
            SetRecord(  # the set's own checks (RPE vs RIR, rest, tags) before any sample
                set_id, "-", plan.exercise, 1, load or Load(Decimal(0), athlete.default_unit),
                MAX_REPS if s.reps is None else s.reps, self.started, s.rpe, s.rir,
                SetKind(s.kind), s.rest_s, tuple(s.tags), s.notes,
            )  # fmt: skip
        except ReplogError as e:
            raise _set_error(e) from None
        self.live = LiveSet(
            self.start.sensor, max_samples=self.settings.max_stream_samples,
            reference=plan.reference, dropoff_threshold_pct=plan.dropoff_threshold_pct,
            accel_unit=self.start.accel_unit, gyro_unit=self.start.gyro_unit,
            exercise=plan.exercise, target=_target(self.start.target),
        )  # fmt: skip
        self.entry = SetEntry(plan.exercise, load, 1, 1, s.rpe, s.rir)
        self.details = SetDetails(
            kind=SetKind(s.kind), rest_s=s.rest_s, tags=tuple(s.tags), notes=s.notes,
            session_id=s.session_id, set_id=set_id,
        )  # fmt: skip
        reference = None if plan.reference is None else plan.reference.to_dict()
        await self.send(
            {"type": "ready", "set_id": set_id, "sensor": self.start.sensor,
             "max_samples": self.settings.max_stream_samples, "session_id": plan.session_id,
             "reference": reference}
        )  # fmt: skip

    async def _reps(self, feedback: list[RepFeedback]) -> None:
        for f in feedback:
            loss, drop = f.velocity_loss_pct, f.dropoff_pct
            await self.send(
                {"type": "rep", "rep": f.rep_dict(),
                 "velocity_loss_pct": None if loss is None else round(loss, 1),
                 "band": loss_band(loss or 0.0),
                 "dropoff_pct": None if drop is None else round(drop, 1),
                 "neural_dropoff": f.neural_dropoff,
                 "cue": None if f.cue is None else f.cue.to_dict()}
            )  # fmt: skip

    async def _end(self, update_reps: bool) -> bool:
        """Log the set and send it; False when the client must settle the rep count."""
        scope = self.athlete.id
        try:
            done = await self._thread(
                log_live_set, unit_of_work_on(self.db, scope=scope), self.athlete,
                self.entry, self.details,
                self.live.reps, self.live.source, declared_reps=self.start.set.reps,
                update_reps=update_reps, now=self.started,
            )  # fmt: skip
        except ReplogError as e:
            if isinstance(e, ValidationError) and e.field == "reps":
                error = {"code": e.code, "message": e.message, "field": "reps"}
                await self.send({"type": "error", "error": error})
                return False
            raise _set_error(e) from None
        out = logged_set_out(done)
        await self.send({"type": "set", **out.model_dump(mode="json")})
        await self.ws.close(1000)
        return True


def _target(t: TargetIn | None) -> SetTarget | None:
    return None if t is None else SetTarget(t.velocity, t.velocity_loss_pct, t.reps)


def _set_error(e: ReplogError) -> StreamError:
    """A domain error about the set, its field named inside the start message's set."""
    field = f"set.{e.field}" if e.field else "set"
    return StreamError(e.code, e.message, field, CLOSE.get(e.code, 1007))


async def _fail(ws: WebSocket, code: str, message: str, field: str | None, close: int) -> None:
    try:
        error = {"code": code, "message": message, "field": field}
        await ws.send_text(json.dumps({"type": "error", "error": error}))
        await ws.close(close)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client has gone already


@router.websocket("/athletes/{athlete_id}/stream")
async def stream_set(websocket: WebSocket, athlete_id: str) -> None:
    """A set measured live (the protocol is in this module's docstring)."""
    await websocket.accept()
    try:
        await _Stream(websocket, athlete_id).run()
    except WebSocketDisconnect:
        return
    except StreamError as e:
        await _fail(websocket, e.code, e.message, e.field, e.close)
    except ReplogError as e:
        await _fail(websocket, e.code, e.message, e.field, CLOSE.get(e.code, 1007))
    except Exception:
        log.exception("stream of athlete %s failed", athlete_id)
        await _fail(websocket, "internal", "internal error; it has been logged", None, 1011)
