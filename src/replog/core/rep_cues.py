"""What the phone says after each rep of a set with a target: the cues of Metric, RepOne and
PUSH (a tone per rep against the target velocity, a stop tone at the velocity-loss
cut-off), as one rule every surface renders.

* ``stop``: the rep lost at least the set's cut-off from its first rep (velocity loss as
  :func:`replog.core.velocity.loss_pct` measures it; Sanchez-Medina & Gonzalez-Badillo
  2011; cut-offs by goal in :mod:`replog.core.training_goals`, after Pareja-Blanco et al.
  2017 and Galiano et al. 2020). It wins over everything else: the set is over.
* ``done``: the planned reps are in.
* ``slow`` / ``fast`` / ``on``: the rep's mean velocity against the target, with the
  smallest detectable change (:data:`~replog.core.training_goals.VELOCITY_SDC`, 0.05 m/s)
  as the margin: a rep within it is on target, since a smaller gap is within what the
  measure itself varies by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from replog.core.training_goals import VELOCITY_SDC
from replog.core.velocity import loss_pct


@dataclass(frozen=True, slots=True)
class SetTarget:
    """What a set aims at: a mean velocity (m/s), a velocity-loss cut-off (%), its reps."""

    velocity: float | None = None
    stop_velocity_loss_pct: float | None = None
    reps: int | None = None


@dataclass(frozen=True, slots=True)
class RepCue:
    kind: str  # "stop" | "done" | "slow" | "fast" | "on"
    text: str
    velocity_loss_pct: float | None = None

    def to_dict(self) -> dict[str, object]:
        loss = self.velocity_loss_pct
        return {"kind": self.kind, "text": self.text,
                "velocity_loss_pct": None if loss is None else round(loss, 1)}  # fmt: skip


def rep_cue(
    target: SetTarget, velocities: Sequence[float], *, sdc: float = VELOCITY_SDC
) -> RepCue | None:
    """The cue after the last of ``velocities`` (each rep's mean velocity so far, in order);
    None when the set has no target to cue against."""
    if not velocities:
        return None
    last, n = velocities[-1], len(velocities)
    loss = loss_pct(velocities[0], last) if n > 1 else 0.0
    cut = target.stop_velocity_loss_pct
    if cut is not None and n > 1 and loss >= cut:
        return RepCue("stop", f"Stop: rep {n} is {loss:.0f}% slower than the first (cut-off "
                      f"{cut:g}%)", loss)  # fmt: skip
    if target.reps is not None and n >= target.reps:
        return RepCue("done", f"{n} reps: the set is done", loss)
    goal = target.velocity
    if goal is None:
        return None if cut is None else RepCue("on", f"Rep {n}: {last:.2f} m/s", loss)
    if last < goal - sdc:
        return RepCue("slow", f"Rep {n}: {last:.2f} m/s, under the target {goal:.2f}", loss)
    if last > goal + sdc:
        return RepCue("fast", f"Rep {n}: {last:.2f} m/s, over the target {goal:.2f}", loss)
    return RepCue("on", f"Rep {n}: {last:.2f} m/s, on target", loss)
