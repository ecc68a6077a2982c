"""Strength estimates from what was lifted.

Only what the training log needs for personal records lives here for now: Epley's
estimated one-repetition maximum, e1RM = w * (1 + r / 30) for r > 1 and w for a single
(Epley B. Poundage chart. Boyd Epley Workout, 1985). The analytics extend this module.
"""

from __future__ import annotations


def e1rm_epley(load_kg: float, reps: int) -> float:
    """Epley's e1RM in the load's unit; 0 for a set of no reps."""
    if reps <= 0:
        return 0.0
    if reps == 1:
        return load_kg
    return load_kg * (1 + reps / 30)
