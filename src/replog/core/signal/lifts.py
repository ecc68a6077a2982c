"""What a lift's bar path looks like, to inform rep detection and judge plausibility.

Vertical bar displacement per rep (m), wide enough for short and tall lifters and for the
mounts RepLog reads (a bar sensor, a wristband moving with the hands). Ranges follow the
published bar displacements of full-range lifts: back squat 0.45-0.70 m
(Sanchez-Medina et al. 2017, Sports Med Int Open 1:E80 report ~0.55-0.6 m on average),
bench press 0.25-0.50 m (Gonzalez-Badillo & Sanchez-Medina 2010, IJSM 31:347: ~0.35-0.40 m),
deadlift 0.40-0.70 m, overhead press 0.35-0.70 m, bent-over row 0.20-0.50 m, barbell curl
0.30-0.65 m (the bar travels an arc of forearm length). The bounds below add a margin on
each side; a rep outside them gets the ``rom_implausible`` flag, never silently dropped.

Mean concentric velocity: the lightest loads of the load-velocity profiles move at about
1.3-1.5 m/s (bench press and squat near 30 % 1RM: Gonzalez-Badillo & Sanchez-Medina 2010;
Sanchez-Medina et al. 2017); an empty bar a little faster. ``max_mcv`` (2.0 m/s, a curl's
arc 2.5, any lift 3.0) is well above that: a faster rep is an integration gone wrong (a
wrong turnaround, a lost packet), and its velocity is withheld rather than shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from replog.core.errors import ValidationError

__all__ = ["LiftPrior", "lift_for", "lift_prior"]


@dataclass(frozen=True, slots=True)
class LiftPrior:
    """``rom_range``: plausible vertical bar travel of one rep (m); ``min_rom``: the least
    travel a candidate needs to be counted at all; ``concentric_s``: plausible concentric
    durations (s); ``vertical``: the bar moves up and down, not along an arc (a curl's bar
    swings forward as much as it rises), so a recording that moved every way is no set;
    ``opens_at_bottom``: the set starts at the bottom with nothing above it to come down
    from (a press from the shoulders), so a recording that opens with a rep-sized descent
    began after a rep's concentric (:func:`replog.core.signal.cycles.cut_first_rise`)."""

    name: str
    rom_range: tuple[float, float]
    min_rom: float
    concentric_s: tuple[float, float] = (0.2, 6.0)
    vertical: bool = True
    max_mcv: float = 2.0  # m/s: no loaded rep of the lift moves faster on average
    opens_at_bottom: bool = False  # the set starts at the bottom, nothing above (a press)


_PRIORS = {
    "squat": LiftPrior("squat", (0.30, 0.90), 0.18),
    "bench": LiftPrior("bench", (0.15, 0.60), 0.10),
    "deadlift": LiftPrior("deadlift", (0.25, 0.85), 0.15),
    "rdl": LiftPrior("rdl", (0.20, 0.85), 0.12),
    "press": LiftPrior("press", (0.25, 0.85), 0.15, opens_at_bottom=True),
    "row": LiftPrior("row", (0.12, 0.60), 0.08),
    "curl": LiftPrior("curl", (0.20, 0.75), 0.12, vertical=False, max_mcv=2.5),
}
_ALIASES = {
    "back squat": "squat", "front squat": "squat", "squats": "squat",
    "bench press": "bench", "low bar squat": "squat", "pause squat": "squat",
    "dead": "deadlift", "deadlifts": "deadlift", "conventional deadlift": "deadlift",
    "romanian deadlift": "rdl",
    "ohp": "press", "overhead press": "press", "shoulder press": "press",
    "military press": "press", "strict press": "press",
    "barbell row": "row", "bent over row": "row", "pendlay row": "row",
    "bicep curl": "curl", "biceps curl": "curl", "barbell curl": "curl",
}  # fmt: skip
ANY = LiftPrior("any", (0.10, 1.10), 0.10, max_mcv=3.0)


def _key(exercise: str) -> str:
    key = exercise.strip().lower().replace("-", " ").replace("_", " ")
    return _ALIASES.get(key, key)


def lift_for(exercise: str) -> str | None:
    """The lift a logged exercise's name or catalogue key is (``"back-squat"`` -> ``"squat"``),
    or None when RepLog has no prior for it: for callers that know the set, not a user who
    typed a name (those get :func:`lift_prior`'s error)."""
    key = _key(exercise)
    return key if key in _PRIORS else None


def lift_prior(exercise: str | None) -> LiftPrior:
    """The prior for an exercise name (``None``: any lift). Unknown names are refused with
    the list of known ones, so a typo never silently loosens detection."""
    if exercise is None:
        return ANY
    key = _key(exercise)
    if key in _PRIORS:
        return _PRIORS[key]
    names = ", ".join(sorted(_PRIORS))
    raise ValidationError(
        f"unknown exercise {exercise!r} for sensor detection; use one of {names}",
        field="exercise",
    )
