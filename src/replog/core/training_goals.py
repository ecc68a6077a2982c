"""Goal presets for prescriptions: velocity zones, velocity-loss cut-offs, thresholds of noise.

Velocity zones (mean concentric velocity, m/s), Mann's zones as set out for coaches by
Weakley et al. 2021 (Strength Cond J 43(2), "Velocity-based training: from theory to
application"): absolute strength below 0.5 (down to the lift's MVT), accelerative strength
0.5-0.75, strength-speed 0.75-1.0, speed-strength 1.0-1.3, starting strength above 1.3.
They are population averages drawn mostly from squats and bench presses; Weakley et al.
stress that velocity at a given %1RM differs between lifts and lifters, so RepLog turns a
zone into a load on the lifter's own load-velocity profile rather than reading it as a
universal law.

Velocity-loss cut-offs (the set ends when a rep is this much slower than the first):

* strength: 20 %. Pareja-Blanco et al. 2017 (Scand J Med Sci Sports 27:724; full squat,
  8 weeks at 70-85 % 1RM): stopping at 20 % loss gained as much 1RM as 40 % and more jump
  height, with about 40 % fewer repetitions; 40 % grew the vastus lateralis more but shifted
  fibres away from type IIX.
* hypertrophy: 40 %, the same study's higher-volume arm (more muscle growth).
* power and speed-strength: 10 % and 5 %. Galiano et al. 2020 (J Strength Cond Res
  36(2):340, 2022 in print; squat, 7 weeks): a 5 % cut-off improved 1RM, CMJ and sprint as
  much as 20 % with about a third of the repetitions (156.9 vs 480.5); low cut-offs (5-20 %)
  favour speed and power (meta-analysis of 15 studies, dlib.si: "Comparison of different
  velocity loss thresholds", and Jukic et al. 2023, Sports Med 53:177).

Smallest detectable change of mean velocity, :data:`VELOCITY_SDC`: 0.05 m/s. The
standard error of measurement of mean velocity in the free-weight squat is about 0.03-0.04
m/s at heavy loads (Banyard et al. 2018, Int J Sports Physiol Perform 13:763: SEM 0.04 m/s
at 1RM) and 0.03-0.08 m/s for a linear transducer across loads (Grgic et al. 2020, Front
Physiol 11:561682); a change is detectable beyond 1.96 x sqrt(2) x SEM (Weir 2005, J
Strength Cond Res 19:231): about 0.055 m/s for a submaximal SEM of 0.02 m/s. RepLog
derives 0.05 m/s from these; it is not itself a published SDC. A smaller change in
velocity changes no load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

VELOCITY_SDC = 0.05
"""m/s: velocity changes below this are noise (see the module docstring)."""
RPE_RESOLUTION = 0.5
"""RPE is rated in half points: a smaller difference is not a difference."""


@dataclass(frozen=True, slots=True)
class Zone:
    key: str
    low: float  # m/s, inclusive
    high: float  # m/s, exclusive
    label: str

    @property
    def target(self) -> float:
        """The velocity a set in this zone aims at: its middle."""
        return round((self.low + self.high) / 2, 3)


ZONES: Mapping[str, Zone] = {
    z.key: z
    for z in (
        Zone("absolute_strength", 0.15, 0.5, "absolute strength"),
        Zone("accelerative_strength", 0.5, 0.75, "accelerative strength"),
        Zone("strength_speed", 0.75, 1.0, "strength-speed"),
        Zone("speed_strength", 1.0, 1.3, "speed-strength"),
        Zone("starting_strength", 1.3, 1.6, "starting strength"),
    )
}
"""Weakley et al. 2021 (after Mann); absolute strength starts at a bench press's MVT and
starting strength is closed at 1.6 m/s so that every zone has a middle."""


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal's defaults: the cut-off, the velocity zone and the effort that suit it."""

    key: str
    velocity_loss_pct: float
    zone: str
    rpe: float  # the effort of a top set when the plan names none
    reps: tuple[int, int]  # a usual rep range
    source: str


GOALS: Mapping[str, Goal] = {
    g.key: g
    for g in (
        Goal(
            "strength",
            20.0,
            "absolute_strength",
            8.0,
            (3, 6),
            "Pareja-Blanco et al. 2017, Scand J Med Sci Sports 27:724 (VL20 vs VL40)",
        ),
        Goal(
            "hypertrophy",
            40.0,
            "accelerative_strength",
            8.5,
            (6, 12),
            "Pareja-Blanco et al. 2017 (VL40: larger vastus lateralis growth)",
        ),
        Goal(
            "power",
            10.0,
            "strength_speed",
            7.0,
            (2, 5),
            "Galiano et al. 2020, J Strength Cond Res 36:340 (VL5 ~ VL20 at a third the reps)",
        ),
        Goal(
            "speed_strength",
            5.0,
            "speed_strength",
            6.0,
            (2, 4),
            "Galiano et al. 2020; Weakley et al. 2021, Strength Cond J 43(2) (zones)",
        ),
    )
}


def zone_of(velocity: float) -> Zone | None:
    """The zone a mean velocity falls in, or None outside them all."""
    return next((z for z in ZONES.values() if z.low <= velocity < z.high), None)
