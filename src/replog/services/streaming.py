"""A set measured live: samples stream in, reps and drop-off come out as they happen.

The web layer (``replog.api.stream``) speaks the protocol; this module holds what is not
web-specific, so the CLI or a test can drive a live set the same way:

* :func:`plan_live_set` checks a set before its first sample (the exercise, the load, the
  session) and finds its **reference set**, read-only: the set the session analysis will
  compare it with for the neural drop-off (:mod:`replog.core.analysis`: the first working
  set of the exercise in the session at the same load, +-2.5%). The choice is made by
  :func:`replog.core.analysis.analyze_sets` itself, on the session's sets plus the planned
  one, so the live numbers and the stored analysis cannot disagree on it.
* :class:`LiveSet` feeds the streaming rep detector (:class:`~replog.core.signal.imu.
  ImuRepDetector` or :class:`~replog.core.signal.lpt.LptRepDetector`), enforces the sample
  budget and gives, for every completed rep, the velocity loss within the set and the
  running drop-off: the mean velocity of the reps so far against the reference's first as
  many reps (the analysis's own rule when the two sets differ in length).
* :func:`log_live_set` logs the set with its reps once the stream ends.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

from replog.core.analysis import COMPARED_KINDS, AnalysisSettings, analyze_sets
from replog.core.entry import SetEntry
from replog.core.errors import NotFoundError, ValidationError
from replog.core.exercises import Equipment
from replog.core.model import Athlete, Rep, RepSource, SetKind, SetRecord
from replog.core.rep_cues import RepCue, SetTarget, rep_cue
from replog.core.signal.imu import ImuRepDetector
from replog.core.signal.lifts import lift_for
from replog.core.signal.lpt import LptRepDetector
from replog.core.signal.types import DetectedRep, G
from replog.core.units import Load
from replog.core.velocity import dropoff_pct, loss_pct
from replog.services.catalogue import catalogue_for
from replog.services.log_set import LoggedSets, log_set
from replog.services.ports import UnitOfWork
from replog.services.training import SetDetails, local_day_bounds

SENSORS = ("imu", "lpt")
SOURCES = {"imu": RepSource.IMU, "lpt": RepSource.LPT}


class TooMuchDataError(ValidationError):
    """The stream went over its sample budget."""

    code = "too_large"


@dataclass(frozen=True, slots=True)
class Reference:
    """The set a live set is compared with: its id, place, load and rep velocities (MCV)."""

    set_id: str
    position: int
    load_kg: float
    velocities: tuple[float, ...]

    @property
    def mean_velocity(self) -> float:
        return math.fsum(self.velocities) / len(self.velocities)

    def to_dict(self) -> dict[str, Any]:
        return {
            "set_id": self.set_id,
            "position": self.position,
            "load_kg": round(self.load_kg, 3),
            "mean_velocity": round(self.mean_velocity, 4),
            "velocities": [round(v, 4) for v in self.velocities],
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """A live set checked before its first sample."""

    athlete_id: str
    exercise: str  # the catalogue key
    session_id: str | None  # None: today's open session does not exist yet
    reference: Reference | None
    dropoff_threshold_pct: float


def plan_live_set(
    uow: UnitOfWork,
    athlete_id: str,
    exercise: str,
    load: Load | None,
    kind: SetKind,
    session_id: str | None,
    now: datetime,
    set_id: str | None = None,
) -> Plan:
    """Check the set (unknown exercise, missing load, someone else's session) and find its
    reference set. Reads only: today's session is not opened until the set is logged."""
    with uow:
        athlete = uow.athletes.get(athlete_id)
        if athlete is None:
            raise NotFoundError("no such athlete", field="athlete_id")
        ex = catalogue_for(uow, athlete.id).resolve(exercise)
        if load is None and ex.equipment is not Equipment.BODYWEIGHT:
            raise ValidationError(f"how heavy? {ex.name} needs a load", field="load")
        if session_id is not None:
            session = uow.sessions.get(session_id)
            if session is None or session.athlete_id != athlete.id:
                raise NotFoundError(f"no session {session_id}", field="session_id")
        else:
            start, end = local_day_bounds(now)
            open_today = [
                s for s in uow.sessions.on_day(athlete.id, start, end) if s.ended_at is None
            ]
            # on_day gives the sessions without their sets
            session = uow.sessions.get(open_today[-1].id) if open_today else None
    threshold = athlete.dropoff_threshold_pct
    if session is None or kind not in COMPARED_KINDS:
        return Plan(athlete.id, ex.key, None if session is None else session.id, None, threshold)
    earlier = [s for s in session.sets if s.id != set_id]
    candidate = SetRecord(
        id="live",
        session_id=session.id,
        exercise=ex.key,
        position=max((s.position for s in earlier), default=0) + 1,
        load=load if load is not None else Load(Decimal(0), athlete.default_unit),
        reps=1,
        performed_at=now,
        kind=kind,
        rep_data=(Rep(1, mcv=1.0),),  # any velocity: the choice depends on loads only
    )
    analysis = analyze_sets([*earlier, candidate], {}, {}, AnalysisSettings())[-1]
    reference = None
    if analysis.comparison == "same_load" and analysis.reference_set is not None:
        ref = next(s for s in earlier if s.id == analysis.reference_set)
        velocities = tuple(r.mcv for r in ref.rep_data if r.mcv is not None)
        reference = Reference(ref.id, ref.position, ref.load.kg, velocities)
    return Plan(athlete.id, ex.key, session.id, reference, threshold)


@dataclass(frozen=True, slots=True)
class RepFeedback:
    """One completed rep and what it says so far."""

    index: int
    rep: DetectedRep
    velocity_loss_pct: float | None  # this rep against the first (DESIGN.md 2.3)
    dropoff_pct: float | None  # the running mean against the reference set
    neural_dropoff: bool
    cue: RepCue | None = None  # against the set's target, when it has one

    def rep_dict(self) -> dict[str, Any]:
        return {"index": self.index, **self.rep.to_dict()}


def running_dropoff(reference: Sequence[float], velocities: Sequence[float]) -> float | None:
    """Drop-off of the reps so far against the reference: the means of the first
    ``min(len)`` reps of each, as the session analysis compares sets of unequal length."""
    k = min(len(reference), len(velocities))
    if k == 0:
        return None
    ref = math.fsum(reference[:k]) / k
    return dropoff_pct(ref, math.fsum(velocities[:k]) / k)


class LiveSet:
    """The detector of one streamed set, its sample budget and its per-rep feedback.

    ``feed_imu``/``feed_lpt`` take one chunk (any size) and return the reps it completed;
    :meth:`finish` ends the stream. ``exercise`` (a catalogue key or name) sets the lift's
    prior for IMU detection when RepLog has one. Time must increase within and across chunks; IMU
    acceleration is scaled by ``accel_scale`` (G for readings in g) and rates by
    ``gyro_scale`` (pi/180 for deg/s). Not thread-safe: feed one chunk at a time.
    """

    def __init__(
        self,
        sensor: str,
        *,
        max_samples: int,
        reference: Reference | None = None,
        dropoff_threshold_pct: float = 10.0,
        accel_unit: str = "m/s2",
        gyro_unit: str = "rad/s",
        exercise: str | None = None,
        target: SetTarget | None = None,
    ) -> None:
        if sensor not in SENSORS:
            raise ValidationError(f"unknown sensor {sensor!r}; use imu or lpt", field="sensor")
        self.sensor = sensor
        self.source = SOURCES[sensor]
        self.max_samples = max_samples
        self.reference = reference
        self.threshold = dropoff_threshold_pct
        self.target = target
        self.accel_scale = G if accel_unit == "g" else 1.0
        self.gyro_scale = math.pi / 180.0 if gyro_unit == "deg/s" else 1.0
        # the set's lift informs detection as it does for an uploaded recording
        # (POST /sets/{id}/sensor): a streamed set and its upload are stored alike
        lift = lift_for(exercise) if exercise else None
        self._imu = ImuRepDetector(exercise=lift) if sensor == "imu" else None
        self._lpt = LptRepDetector() if sensor == "lpt" else None
        self.samples = 0
        self.reps: list[DetectedRep] = []
        self.finished = False
        self._last_t: float | None = None

    def _check(self, t: Sequence[float], others: dict[str, int]) -> NDArray[np.float64]:
        if self.finished:
            raise ValidationError("the stream has ended", field="type")
        for name, n in others.items():
            if n != len(t):
                raise ValidationError(f"{name} has {n} samples but t has {len(t)}", field=name)
        if self.samples + len(t) > self.max_samples:
            raise TooMuchDataError(
                f"a streamed set takes at most {self.max_samples} samples", field="t"
            )
        ta = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(ta)):
            raise ValidationError("time must be finite numbers", field="t")
        if len(ta):
            # an IMU's repeated timestamps are merged by its detector (Bluetooth clocks
            # repeat); a position stream must increase
            back = np.flatnonzero(np.diff(ta) < 0 if self._imu is not None else np.diff(ta) <= 0)
            if back.size:
                i = int(back[0]) + 1
                raise ValidationError(
                    f"time must increase: t[{i}] = {ta[i]:g} after {ta[i - 1]:g}", field=f"t[{i}]"
                )
            if self._last_t is not None and (
                ta[0] < self._last_t or (ta[0] == self._last_t and self._imu is None)
            ):
                raise ValidationError(
                    f"time must increase across messages: t[0] = {ta[0]:g} after {self._last_t:g}",
                    field="t[0]",
                )
        return ta

    def feed_imu(
        self, t: Sequence[float], acc: Sequence[Sequence[float]], gyro: Sequence[Sequence[float]]
    ) -> list[RepFeedback]:
        if self._imu is None:
            raise ValidationError("this is a position stream: send t and d", field="acc")
        ta = self._check(t, {"acc": len(acc), "gyro": len(gyro)})
        if not len(ta):
            return []
        aa = np.asarray(acc, dtype=np.float64).reshape(-1, 3) * self.accel_scale
        ga = np.asarray(gyro, dtype=np.float64).reshape(-1, 3) * self.gyro_scale
        if not (np.all(np.isfinite(aa)) and np.all(np.isfinite(ga))):
            raise ValidationError("acc and gyro must be finite numbers", field="acc")
        found = self._imu.update(ta, aa, ga)
        return self._accept(ta, found)

    def feed_lpt(self, t: Sequence[float], d: Sequence[float]) -> list[RepFeedback]:
        if self._lpt is None:
            raise ValidationError("this is an IMU stream: send t, acc and gyro", field="d")
        ta = self._check(t, {"d": len(d)})
        if not len(ta):
            return []
        da = np.asarray(d, dtype=np.float64)
        if not np.all(np.isfinite(da)):
            raise ValidationError("displacement must be finite numbers", field="d")
        return self._accept(ta, self._lpt.update(ta, da))

    def finish(self) -> list[RepFeedback]:
        """End the stream: the reps only its end could complete."""
        if self.finished:
            return []
        self.finished = True
        if self.samples < 3:
            return []  # nothing to detect in: the set may still be logged without reps
        if self._imu is not None:
            late = self._feedback(self._imu.finish())
            # the stored set holds the batch analysis of the whole stream (live reps were
            # provisional): the same reps as the same recording uploaded
            self.reps = list(self._imu.reps)
            return late
        assert self._lpt is not None
        return self._feedback(self._lpt.finish())

    def _accept(self, t: NDArray[np.float64], found: list[DetectedRep]) -> list[RepFeedback]:
        self.samples += len(t)
        self._last_t = float(t[-1])
        return self._feedback(found)

    def _feedback(self, found: list[DetectedRep]) -> list[RepFeedback]:
        out = []
        for rep in found:
            self.reps.append(rep)
            speeds = [r.mcv for r in self.reps]
            first = speeds[0]
            loss = None if first <= 0 else loss_pct(first, speeds[-1])
            drop = None
            if self.reference is not None and self.reference.velocities:
                drop = running_dropoff(self.reference.velocities, speeds)
            flagged = drop is not None and drop > self.threshold
            cue = None if self.target is None else rep_cue(self.target, speeds)
            out.append(RepFeedback(len(self.reps), rep, loss, drop, flagged, cue))
        return out


def log_live_set(
    uow: UnitOfWork,
    athlete: Athlete,
    entry: SetEntry,
    details: SetDetails,
    reps: list[DetectedRep],
    source: RepSource,
    *,
    declared_reps: int | None,
    update_reps: bool = False,
    now: datetime,
) -> LoggedSets:
    """Log a streamed set with the reps detected in it, as every set is logged
    (:func:`~replog.services.log_set.log_set`: the set with all its rep data and its
    verdict, in one transaction; a retry with the same set id logs nothing twice).

    The rep count is the lifter's (``declared_reps``) when given, else the sensor's; when
    both are given and differ, the set is refused (field ``reps``) unless ``update_reps``
    lets the sensor's count win, as for an uploaded recording.
    """
    n = len(reps)
    if declared_reps is None and n == 0:
        raise ValidationError(
            "no reps were detected; give set.reps to log the set without velocities",
            field="reps",
        )
    if declared_reps is not None and n and declared_reps != n and not update_reps:
        raise ValidationError(
            f"the sensor found {n} reps but the set says {declared_reps}; end again with "
            f'"update_reps": true to log {n}',
            field="reps",
        )
    count = n if n and (declared_reps is None or update_reps) else declared_reps
    assert count is not None
    entry = replace(entry, reps=count, sets=1)
    measured = tuple(r.to_rep(i + 1, source) for i, r in enumerate(reps)) if n == count else ()
    details = replace(details, velocities=(), reps=measured, velocity_source=source)
    return log_set(uow, athlete, entry, details, now=now)
