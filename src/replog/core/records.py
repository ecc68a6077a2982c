"""Personal records over an exercise's history, as Strong and Hevy show them.

For each set in time order: did it set a record for the heaviest load, the most volume in
one set, the heaviest load for its rep count (a rep max), or the best set e1RM? Warm-up
sets never count. Records must be strictly better than all earlier sets.

The set e1RM (:func:`set_e1rm`) is the e1RM rule's own sets path
(:mod:`replog.core.e1rm`: Epley with reps in reserve over the kinds and rep range it
trusts), so the record is the highest e1RM the lift's sets have given on any day, named
as such; the e1RM of the day may come from the load-velocity profile instead, and says so.
A live record (:func:`records_broken`) also counts the fastest rep at a load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from replog.core.e1rm import EPLEY_KINDS, EPLEY_MAX_REPS, epley_rir
from replog.core.model import SetKind, SetRecord
from replog.core.units import format_decimal

MAX_REP_MAX = 20  # rep maxes are tracked up to 20 reps, beyond that it is conditioning


class Lift(NamedTuple):
    """The few facts of a set that records need; cheap to load for 50,000 sets (a named
    tuple: storage makes tens of thousands with ``tuple.__new__``, no keyword handling)."""

    set_id: str
    session_id: str
    at: datetime  # when the session started
    performed_at: datetime
    position: int
    load_value: str  # as entered
    unit: str
    load_kg: float
    reps: int
    kind: SetKind
    rpe: float | None = None  # as logged, or 10 - RIR (SetRecord.effective_rpe)


@dataclass(frozen=True, slots=True)
class Record:
    kind: str  # "heaviest" | "volume" | "rep_max" | "e1rm"
    value: float  # kg, or kg*reps for volume
    set: Lift
    at: datetime
    reps: int | None = None


@dataclass(slots=True)
class Records:
    heaviest: Record | None = None
    volume: Record | None = None
    rep_maxes: dict[int, Record] = field(default_factory=dict)
    e1rm: Record | None = None
    events: dict[str, list[str]] = field(default_factory=dict)
    """set id -> the record kinds that set broke when it was lifted."""

    def all(self) -> list[Record]:
        out = [r for r in (self.heaviest, self.volume, self.e1rm) if r is not None]
        return out + [self.rep_maxes[k] for k in sorted(self.rep_maxes)]


def counts_for_records(s: Lift) -> bool:
    return s.kind is not SetKind.WARMUP and s.reps > 0


def set_e1rm(s: Lift) -> float:
    """A set's e1RM by the e1RM rule's sets path: :func:`e1rm_of_set`."""
    return e1rm_of_set(s.load_kg, s.reps, s.kind, s.rpe)


def e1rm_of_set(load_kg: float, reps: int, kind: SetKind, rpe: float | None) -> float:
    """A set's e1RM by the e1RM rule's sets path (:mod:`replog.core.e1rm`: Epley with reps in
    reserve, over the kinds and rep range it trusts; 0 for a set it leaves out), so the best
    of them is the highest e1RM the lift's sets have ever given."""
    if kind not in EPLEY_KINDS or reps <= 0 or load_kg <= 0:
        return 0.0
    if reps + (10.0 - rpe if rpe is not None else 0.0) > EPLEY_MAX_REPS:
        return 0.0
    return epley_rir(load_kg, reps, rpe)


@dataclass(frozen=True, slots=True)
class Bests:
    """The best of an exercise's sets before some moment, as storage can sum them up: the
    heaviest load, the most volume in a set, the heaviest load per rep count (kg), and the
    fastest rep's mean concentric velocity (m/s) at each load lifted (kg -> m/s)."""

    heaviest: float = 0.0
    volume: float = 0.0
    rep_max: Mapping[int, float] = field(default_factory=dict)
    fastest_by_load: Mapping[float, float] = field(default_factory=dict)
    e1rm: float = 0.0  # the best set e1RM (:func:`set_e1rm`)

    def fastest_within(self, band: tuple[float, float]) -> float | None:
        """The fastest rep at a load within ``band`` (kg, both ends included)."""
        low, high = band
        return max((v for kg, v in self.fastest_by_load.items() if low <= kg <= high), default=None)


def _broken(
    kg: float, reps: int, heaviest: float, volume: float, rep_best: float, e1rm: float,
    e1rm_best: float,
) -> list[str]:  # fmt: skip
    """The records a set of ``kg`` x ``reps`` (of set e1RM ``e1rm``) breaks over the bests
    before it: the one rule the exercise page's history and the live PR after a set both
    apply (strictly better)."""
    broke = []
    if kg > 0 and kg > heaviest:
        broke.append("heaviest")
    if kg * reps > 0 and kg * reps > volume + 1e-9:
        broke.append("volume")
    if reps <= MAX_REP_MAX and kg > 0 and kg > rep_best:
        broke.append(f"{reps}rm")
    if e1rm > 0 and e1rm > e1rm_best + 1e-9:
        broke.append("e1rm")
    return broke


def compute_records(history: list[Lift]) -> Records:
    """Records and per-set record events over ``history`` (any order; sorted by time)."""
    rec = Records()
    for s in sorted(history, key=lambda h: (h.at, h.performed_at, h.position)):
        if not counts_for_records(s):
            continue
        at, kg, e1rm = s.at, s.load_kg, set_e1rm(s)
        best = rec.rep_maxes.get(s.reps)
        broke = _broken(
            kg,
            s.reps,
            rec.heaviest.value if rec.heaviest else 0.0,
            rec.volume.value if rec.volume else 0.0,
            best.value if best else 0.0,
            e1rm,
            rec.e1rm.value if rec.e1rm else 0.0,
        )
        if "heaviest" in broke:
            rec.heaviest = Record("heaviest", kg, s, at)
        if "volume" in broke:
            rec.volume = Record("volume", kg * s.reps, s, at)
        if f"{s.reps}rm" in broke:
            rec.rep_maxes[s.reps] = Record("rep_max", kg, s, at, s.reps)
        if "e1rm" in broke:
            rec.e1rm = Record("e1rm", e1rm, s, at, s.reps)
        if broke:
            rec.events[s.set_id] = broke
    return rec


def records_broken(
    earlier: Bests,
    today: Iterable[Lift],
    fastest_rep: Mapping[str, float] | None = None,
    tolerance_pct: float = 2.5,
) -> dict[str, list[str]]:
    """Set id -> the records each of ``today``'s sets broke, over ``earlier`` (the bests of
    the sessions before) and the sets of today before it: what :func:`compute_records`
    would say of them over the whole history, from a summary of the past.

    With ``fastest_rep`` (set id -> its fastest rep's MCV), a set whose fastest rep beats
    every earlier rep within ``tolerance_pct`` of its load (the band drop-off calls the same
    load) breaks the ``velocity`` record: the bar moved faster at this load than ever. The
    first set at a load sets no velocity record (there was nothing to beat)."""
    heaviest, volume, rep_max = earlier.heaviest, earlier.volume, dict(earlier.rep_max)
    speeds, seen, best_e1rm = fastest_rep or {}, dict(earlier.fastest_by_load), earlier.e1rm
    out: dict[str, list[str]] = {}
    for s in sorted(today, key=lambda h: (h.at, h.performed_at, h.position)):
        if not counts_for_records(s):
            continue
        kg, e1rm = s.load_kg, set_e1rm(s)
        broke = _broken(kg, s.reps, heaviest, volume, rep_max.get(s.reps, 0.0), e1rm, best_e1rm)
        heaviest, volume, best_e1rm = (
            max(heaviest, kg),
            max(volume, kg * s.reps),
            max(best_e1rm, e1rm),
        )
        if s.reps <= MAX_REP_MAX:
            rep_max[s.reps] = max(rep_max.get(s.reps, 0.0), kg)
        speed = speeds.get(s.set_id)
        if speed is not None:
            before = Bests(fastest_by_load=seen).fastest_within(load_band(kg, tolerance_pct))
            if before is not None and speed > before:
                broke.append("velocity")
            seen[kg] = max(seen.get(kg, speed), speed)
        if broke:
            out[s.set_id] = broke
    return out


def load_band(load_kg: float, tolerance_pct: float) -> tuple[float, float]:
    """The loads counted as ``load_kg`` (+-``tolerance_pct`` %), as drop-off compares them."""
    return load_kg * (1 - tolerance_pct / 100), load_kg * (1 + tolerance_pct / 100)


def lift_of(at: datetime, s: SetRecord) -> Lift:
    """A logged set (of a session started ``at``) as records read it."""
    return Lift(
        s.id, s.session_id, at, s.performed_at, s.position, format_decimal(s.load.value),
        s.load.unit.value, s.load.kg, s.reps, s.kind, s.effective_rpe,
    )  # fmt: skip


def fastest_rep(s: SetRecord) -> float | None:
    """The fastest rep's mean concentric velocity of a set (m/s); None without velocities."""
    return max((r.mcv for r in s.rep_data if r.mcv is not None), default=None)


_SAY = {
    "heaviest": "heaviest ever",
    "volume": "most volume in a set",
    "velocity": "fastest at this load",
    "e1rm": "best set e1RM",
}


def describe(kinds: Iterable[str]) -> str:
    """The records a set broke, as every surface says them: "heaviest ever, 5-rep max"."""
    return ", ".join(_SAY.get(k, f"{k[:-2]}-rep max" if k.endswith("rm") else k) for k in kinds)
