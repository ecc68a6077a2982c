"""A logged set as the load-velocity models read it (light: no numpy, for the log path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from replog.core.model import SetKind, SetRecord
from replog.core.profile_data import RepVelocity


class RepFacts(NamedTuple):
    """A rep as the best-rep rule reads it (a stored set's reps are full
    :class:`~replog.core.model.Rep` objects, which it reads as well)."""

    number: int  # the rep's index in its set, from 1
    mcv: float | None
    rom: float | None


@dataclass(frozen=True, slots=True)
class SetFacts:
    """What the models need of a set: when, how heavy, its reps with a velocity, and its
    kind, reps and effort for the e1RM (it is a :class:`replog.core.e1rm.Lifted`)."""

    at: datetime  # the session's start
    performed_at: datetime
    load_kg: float
    rep_velocities: Sequence[RepVelocity]  # reps without a velocity are skipped
    kind: SetKind
    reps: int
    rpe: float | None  # as logged, or 10 - RIR (SetRecord.effective_rpe)


def facts_of(at: datetime, s: SetRecord) -> SetFacts:
    """A logged set (of a session started ``at``) as the models read it."""
    return SetFacts(at, s.performed_at, s.load.kg, s.rep_data, s.kind, s.reps, s.effective_rpe)
