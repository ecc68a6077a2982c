"""Matching other apps' exercise names to RepLog's catalogue.

Apps name a lift with its equipment in parentheses (Strong and Hevy: ``Bench Press
(Dumbbell)``), as a variant after a dash (``Bench Press - Close Grip (Barbell)``), with the
equipment as a word (FitNotes: ``Leg Press Machine``), or with notes (``(Each Side)``). A
name matches a catalogue lift when, after those are read, it names that lift *and* the
equipment agrees: ``Deadlift (Dumbbell)`` is not the barbell deadlift and ``Squat (Smith
Machine)`` is not the back squat, because their loads and velocities are not comparable;
nor is a barbell lift logged ``(Each Side)``, whose load is the plates on one side.
A name that matches nothing is reported, never guessed.
"""

from __future__ import annotations

import re

from replog.core.exercises import Catalogue, Equipment, Exercise

_EQUIPMENT_WORDS: dict[str, Equipment | None] = {
    "barbell": Equipment.BARBELL,
    "bar": Equipment.BARBELL,
    "ez bar": Equipment.BARBELL,
    "dumbbell": Equipment.DUMBBELL,
    "dumbbells": Equipment.DUMBBELL,
    "db": Equipment.DUMBBELL,
    "machine": Equipment.MACHINE,
    "smith machine": Equipment.MACHINE,
    "smith": Equipment.MACHINE,
    "cable": Equipment.CABLE,
    "kettlebell": Equipment.KETTLEBELL,
    "bodyweight": Equipment.BODYWEIGHT,
    "weighted": Equipment.BODYWEIGHT,
}
_NOISE = {"each arm", "single arm"}
_PER_SIDE = {"each side", "per side"}  # plates on one side: not a barbell's load
_NEVER = {"assisted", "band", "banded", "suspension"}  # the load means something else
_COMPATIBLE = {(Equipment.MACHINE, Equipment.CABLE), (Equipment.CABLE, Equipment.MACHINE)}
_PAREN = re.compile(r"\(([^()]*)\)?")


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _parse(name: str) -> tuple[str, list[str]]:
    """The name without its parentheses, and the words inside them."""
    qualifiers = [_fold(q) for part in _PAREN.findall(name) for q in part.split(",")]
    base = _PAREN.sub(" ", name)
    return " ".join(base.split()), [q for q in qualifiers if q]


def _agrees(exercise: Exercise, equipment: Equipment | None) -> bool:
    if equipment is None or exercise.equipment is equipment:
        return True
    return (equipment, exercise.equipment) in _COMPATIBLE


def match_exercise(name: str, catalogue: Catalogue) -> Exercise | None:
    """The catalogue lift ``name`` means, or None when no lift fits it for sure."""
    exact = catalogue.find(name)
    if exact is not None:
        return exact
    base, qualifiers = _parse(name)
    equipment: Equipment | None = None
    word = ""  # the equipment as the name says it ("smith machine")
    per_side = False
    for q in qualifiers:
        if q in _NEVER:
            return None
        if q in _PER_SIDE:
            per_side = True
        if q in _EQUIPMENT_WORDS:
            equipment, word = _EQUIPMENT_WORDS[q], q
        elif q not in _NOISE and q not in _PER_SIDE:
            base = f"{base} {q}"  # a variant in parentheses is part of the name
    folded = _fold(base)
    if " - " in base:  # "Bench Press - Close Grip" -> "close grip bench press"
        head, _, tail = base.partition(" - ")
        folded = _fold(f"{tail} {head}")
    words = folded.split()
    if words and words[-1] in _EQUIPMENT_WORDS and equipment is None:  # "Leg Press Machine"
        equipment, word = _EQUIPMENT_WORDS[words[-1]], words[-1]
        words = words[:-1]
    candidates = [" ".join(words)]
    if word:
        candidates.insert(0, f"{word} {candidates[0]}")
    for text in candidates:
        found = catalogue.find(text) if text else None
        if found is None or not _agrees(found, equipment):
            continue
        if per_side and found.equipment in (Equipment.BARBELL, Equipment.MACHINE):
            return None
        return found
    return None
