"""Personal records over an exercise's history, as Strong and Hevy show them.

For each set in time order: did it set a record for the heaviest load, the most volume in
one set, or the heaviest load for its rep count (a rep max)? Warm-up sets never count.
Records must be strictly better than all earlier sets.

Records are lifts, not estimates: the lift's e1RM (of today, or of any day) is
:mod:`replog.core.e1rm`'s, and there is no "best e1RM" record beside it to disagree with
it (a set's best-ever Epley figure was neither a lift nor the e1RM of any day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from replog.core.model import SetKind

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


@dataclass(frozen=True, slots=True)
class Record:
    kind: str  # "heaviest" | "volume" | "rep_max"
    value: float  # kg, or kg*reps for volume
    set: Lift
    at: datetime
    reps: int | None = None


@dataclass(slots=True)
class Records:
    heaviest: Record | None = None
    volume: Record | None = None
    rep_maxes: dict[int, Record] = field(default_factory=dict)
    events: dict[str, list[str]] = field(default_factory=dict)
    """set id -> the record kinds that set broke when it was lifted."""

    def all(self) -> list[Record]:
        out = [r for r in (self.heaviest, self.volume) if r is not None]
        return out + [self.rep_maxes[k] for k in sorted(self.rep_maxes)]


def counts_for_records(s: Lift) -> bool:
    return s.kind is not SetKind.WARMUP and s.reps > 0


def compute_records(history: list[Lift]) -> Records:
    """Records and per-set record events over ``history`` (any order; sorted by time)."""
    rec = Records()
    for s in sorted(history, key=lambda h: (h.at, h.performed_at, h.position)):
        if not counts_for_records(s):
            continue
        at, kg, broke = s.at, s.load_kg, []
        volume = kg * s.reps
        if kg > 0 and (rec.heaviest is None or kg > rec.heaviest.value):
            rec.heaviest = Record("heaviest", kg, s, at)
            broke.append("heaviest")
        if volume > 0 and (rec.volume is None or volume > rec.volume.value + 1e-9):
            rec.volume = Record("volume", volume, s, at)
            broke.append("volume")
        if s.reps <= MAX_REP_MAX:
            best = rec.rep_maxes.get(s.reps)
            if kg > 0 and (best is None or kg > best.value):
                rec.rep_maxes[s.reps] = Record("rep_max", kg, s, at, s.reps)
                broke.append(f"{s.reps}rm")
        if broke:
            rec.events[s.set_id] = broke
    return rec
