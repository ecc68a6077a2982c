"""Population relationships between relative load (%1RM) and bar velocity.

They are the fallback when a lifter has no load-velocity profile of their own: "at this
velocity the average trained lifter is at about this %1RM". Individual profiles are much
better (the velocity at a given %1RM varies a lot between people, e.g. Balsalobre-Fernandez,
Garcia-Ramos & Jimenez-Reyes 2018, Int J Sports Sci Coach 13:743, who found between-subject
CVs of 13-25 % in the military press), so callers should label these estimates as such.

Sources, one relationship per catalogue key:

``bench-press``
    Gonzalez-Badillo & Sanchez-Medina 2010, Int J Sports Med 31:347 (120 strength-trained
    men, Smith machine, T-Force transducer): %1RM = 8.4326 MPV^2 - 73.501 MPV + 112.33
    (R^2 = 0.98), MPV = mean propulsive velocity in m/s. It gives 0.17 m/s at 100 % (the
    abstract reports 0.16 +- 0.04 m/s at 1RM) and 1.32 m/s at 30 %. The coefficients were
    checked against an independent transcription.
``back-squat``
    Sanchez-Medina, Pallares, Perez, Moran-Navarro & Gonzalez-Badillo 2017, Sports Med Int
    Open 1:E80 (80 strength-trained men, Smith-machine full squat): %1RM = -5.961 v^2 -
    50.71 v + 117.0 (R^2 = 0.954). It gives 0.32 m/s at 100 %, the paper's reported velocity
    at 1RM. We could check the coefficients only against a secondary transcription, which
    labels the fit as MPV while the paper's abstract gives the 0.32 m/s as MV; near 1RM the
    two are the same (the whole concentric phase is propulsive at 1RM, per the paper).
``leg-press`` and ``half-squat``
    Conceicao, Fernandes, Lewis, Gonzalez-Badillo & Jimenez-Reyes 2016, J Sports Sci,
    doi:10.1080/02640414.2015.1090010 (15 track and field athletes, Smith machine and 45-degree
    sled), Table 2: predicted MPV at each 5 % of 1RM from 15 to 100 %, interpolated linearly
    here. (The paper also gives full-squat values and
    regressions of %1RM on MPV: full squat %1RM = -71.684 MPV + 121.03, half squat
    -80.372 MPV + 125.19, leg press -55.509 MPV + 109.29. Table 2, which comes from the
    regression of MPV on %1RM, is the form a velocity-at-%1RM lookup needs.) ``half-squat``
    is not in the catalogue yet.

Not covered, on purpose: the deadlift (Benavides-Ubric et al. 2020, J Sports Sci Med
19:452), the seated military press (Balsalobre-Fernandez et al. 2018), the prone pull-up
(Munoz-Lopez et al. 2017) and the prone bench pull
(Sanchez-Medina et al. 2014, Int J Sports Med 35:209). Their general equations could not be
read from the papers when this module was written, and a made-up curve would be worse than
none. For those lifts :func:`has_population_table` is ``False``, and callers should say
that no population estimate exists.

Two caveats for callers. First, the bench press and leg-press/half-squat relationships are
in *mean propulsive* velocity, while RepLog logs *mean concentric* velocity. MPV exceeds MCV
at light loads (the braking phase at the end of the lift is left out), so at light loads a
logged MCV reads as a slightly heavier %1RM than it was. The two are about the same near
1RM. Second, the relationships cover 30-100 % 1RM (the Conceicao tables 15-100 %), and RepLog
extends them straight on to 110 % so that a rep slower than the population's velocity at 1RM
still gets a number. Outside that range the functions refuse instead of extrapolating.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from replog.core.errors import ValidationError

MAX_PERCENT = 1.10
"""Relationships are extended to 110 % 1RM; a slower rep than the 1RM velocity is beyond."""


@dataclass(frozen=True, slots=True)
class _Quadratic:
    """%1RM (0-100 scale) = a v^2 + b v + c, decreasing in v over the range used."""

    a: float
    b: float
    c: float

    def percent(self, v: float) -> float:
        return (self.a * v * v + self.b * v + self.c) / 100.0

    def velocity(self, p: float) -> float:
        # a v^2 + b v + (c - P) = 0; the decreasing branch (2 a v + b < 0) is the root with
        # the minus sign, whatever the sign of a.
        c = self.c - 100.0 * p
        if self.a == 0:
            return -c / self.b
        disc = self.b * self.b - 4.0 * self.a * c
        return (-self.b - math.sqrt(max(disc, 0.0))) / (2.0 * self.a)


@dataclass(frozen=True, slots=True)
class _Table:
    """Velocity at listed %1RM, interpolated linearly; past the heaviest listed load the
    last segment is extended (up to :data:`MAX_PERCENT`)."""

    percents: tuple[float, ...]  # ascending fractions
    velocities: tuple[float, ...]  # strictly descending, m/s

    def velocity(self, p: float) -> float:
        ps, vs = self.percents, self.velocities
        i = min(max(bisect.bisect_right(ps, p) - 1, 0), len(ps) - 2)
        frac = (p - ps[i]) / (ps[i + 1] - ps[i])
        return vs[i] + frac * (vs[i + 1] - vs[i])

    def percent(self, v: float) -> float:
        ps, vs = self.percents, self.velocities
        rising = [-x for x in vs]  # ascending, for bisect
        i = min(max(bisect.bisect_right(rising, -v) - 1, 0), len(vs) - 2)
        frac = (v - vs[i]) / (vs[i + 1] - vs[i])
        return ps[i] + frac * (ps[i + 1] - ps[i])


@dataclass(frozen=True, slots=True)
class PopulationTable:
    """One published %1RM <-> velocity relationship and the range it is used over."""

    exercise: str
    source: str
    measure: str  # "MPV" (mean propulsive) or "MV" (mean concentric) velocity
    min_percent: float
    curve: _Quadratic | _Table

    @property
    def max_velocity(self) -> float:
        """Velocity at the lightest load covered (m/s)."""
        return self.curve.velocity(self.min_percent)

    @property
    def min_velocity(self) -> float:
        """Velocity at :data:`MAX_PERCENT` of 1RM (m/s)."""
        return self.curve.velocity(MAX_PERCENT)


def _table(values: str) -> _Table:
    velocities = tuple(float(v) for v in values.split())
    percents = tuple(round(0.15 + 0.05 * i, 2) for i in range(len(velocities)))
    return _Table(percents, velocities)


# Conceicao et al. 2016, Table 2: predicted MPV (m/s) at 15, 20, ..., 100 % 1RM.
_CONCEICAO_LEG_PRESS = _table(
    "1.66 1.58 1.49 1.40 1.32 1.23 1.15 1.06 0.97 0.89 0.79 0.71 0.63 0.54 0.45 0.37 0.28 0.19"
)
_CONCEICAO_HALF_SQUAT = _table(
    "1.35 1.29 1.23 1.17 1.11 1.05 0.99 0.93 0.87 0.81 0.75 0.69 0.63 0.57 0.51 0.45 0.39 0.33"
)

TABLES: dict[str, PopulationTable] = {
    "bench-press": PopulationTable(
        "bench-press",
        "Gonzalez-Badillo & Sanchez-Medina 2010 (Int J Sports Med 31:347)",
        "MPV",
        0.30,
        _Quadratic(8.4326, -73.501, 112.33),
    ),
    "back-squat": PopulationTable(
        "back-squat",
        "Sanchez-Medina et al. 2017 (Sports Med Int Open 1:E80)",
        "MV",
        0.30,
        _Quadratic(-5.961, -50.71, 117.0),
    ),
    "leg-press": PopulationTable(
        "leg-press",
        "Conceicao et al. 2016 (J Sports Sci, doi:10.1080/02640414.2015.1090010), Table 2",
        "MPV",
        0.15,
        _CONCEICAO_LEG_PRESS,
    ),
    "half-squat": PopulationTable(
        "half-squat",
        "Conceicao et al. 2016 (J Sports Sci, doi:10.1080/02640414.2015.1090010), Table 2",
        "MPV",
        0.15,
        _CONCEICAO_HALF_SQUAT,
    ),
}


def has_population_table(exercise: str) -> bool:
    """Whether a published %1RM-velocity relationship exists for this catalogue key."""
    return exercise in TABLES


def population_table(exercise: str) -> PopulationTable:
    """The relationship for ``exercise`` (a catalogue key), or a ValidationError."""
    found = TABLES.get(exercise)
    if found is None:
        known = ", ".join(sorted(TABLES))
        raise ValidationError(
            f"no population load-velocity table for {exercise!r} (tables exist for {known})",
            field="exercise",
        )
    return found


def _finite(value: float, field: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{what} must be a number, got {value!r}", field=field)
    if not math.isfinite(value):
        raise ValidationError(f"{what} must be a finite number, got {value!r}", field=field)
    return float(value)


def velocity_at_percent(exercise: str, percent_1rm: float) -> float:
    """The population's velocity (m/s) at ``percent_1rm`` (a fraction: 0.8 for 80 %)."""
    table = population_table(exercise)
    p = _finite(percent_1rm, "percent_1rm", "%1RM")
    if not table.min_percent - 1e-12 <= p <= MAX_PERCENT + 1e-12:
        raise ValidationError(
            f"%1RM must be a fraction between {table.min_percent:g} and {MAX_PERCENT:g} for "
            f"{exercise} (0.8 means 80 %), got {p:g}",
            field="percent_1rm",
        )
    return table.curve.velocity(p)


def percent_at_velocity(exercise: str, velocity: float) -> float:
    """The population's %1RM (a fraction, up to 1.1) at ``velocity`` (m/s)."""
    table = population_table(exercise)
    v = _finite(velocity, "velocity", "velocity")
    low, high = table.min_velocity, table.max_velocity
    if not low - 1e-12 <= v <= high + 1e-12:
        raise ValidationError(
            f"{v:g} m/s is outside the {exercise} table's range {low:.2f}-{high:.2f} m/s "
            f"({table.min_percent:.0%}-{MAX_PERCENT:.0%} 1RM)",
            field="velocity",
        )
    return table.curve.percent(v)
