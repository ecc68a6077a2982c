"""External-focus cues by movement pattern, for sets that moved slower than intended.

An external focus (on the bar or the floor rather than on the muscles) makes lifts faster
and more forceful (Wulf 2013, Int Rev Sport Exerc Psychol 6:77; for the bench press, Marchant
et al. 2009). Each cue names where to push and how fast, in a lifter's words.
"""

from __future__ import annotations

from replog.core.exercises import Exercise, Pattern

CUES: dict[Pattern, tuple[str, ...]] = {
    Pattern.SQUAT: ("push the floor away as fast as you can", "drive the bar through the ceiling"),
    Pattern.HINGE: ("push the floor away, fast", "drag the bar up your legs at full speed"),
    Pattern.HORIZONTAL_PUSH: ("punch the bar to the ceiling", "throw the bar off your chest"),
    Pattern.VERTICAL_PUSH: ("punch the ceiling", "drive your head through the window"),
    Pattern.HORIZONTAL_PULL: ("rip the bar into your belly", "pull the bar to your belt, fast"),
    Pattern.VERTICAL_PULL: ("pull your elbows to your back pockets, fast", "chest to the bar"),
    Pattern.LUNGE: ("push the floor away through the front foot",),
    Pattern.OLYMPIC: ("jump, then punch under the bar",),
}
DEFAULT_CUE = "move the bar as fast as you can on every rep"


def cue_for(exercise: Exercise | None, seed: int = 0) -> str:
    """A cue for the exercise's pattern; ``seed`` rotates through the alternatives."""
    options = CUES.get(exercise.pattern) if exercise is not None else None
    if not options:
        return DEFAULT_CUE
    return options[seed % len(options)]
