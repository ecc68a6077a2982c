"""Matching other apps' exercise names to RepLog's catalogue.

Apps name a lift with its equipment in parentheses (Strong and Hevy: ``Bench Press
(Dumbbell)``), after a comma (Liftosaur: ``Romanian Deadlift, Barbell``), as a variant after
a dash (``Bench Press - Close Grip (Barbell)``), with the equipment as a word anywhere in the
name (FitNotes: ``Flat Barbell Bench Press``, ``Leg Press Machine``; Fitbod: ``Bent Over
Barbell Row``; JEFIT: ``Barbell Squat``), in Italian (GymBook: ``Squat con Bilanciere``, read
by :mod:`replog.core.exercise_names`), or with notes (``(Each Side)``). A name matches a
catalogue lift when, after those are read, it names that lift *and* the equipment agrees:
``Deadlift (Dumbbell)`` is not the barbell deadlift and ``Squat (Smith Machine)`` is not the
back squat, because their loads and velocities are not comparable; a Smith machine name
matches only a Smith machine lift, and a name that says two kinds of equipment matches
nothing. Nor is a barbell or machine lift logged ``(Each Side)``, whose load is the plates on
one side. Position words are dropped only where they leave the lift as it is (``Flat``
bench, ``Standing`` military press, ``Seated`` cable row; never ``Seated`` overhead press or
leg press). A name that matches nothing is reported, never guessed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from replog.core.exercise_names import APP_NAMES, DROPPABLE, english_words
from replog.core.exercises import Catalogue, Equipment, Exercise

_Kit = tuple[Equipment, bool]  # the equipment, and whether it is a Smith machine
_B, _D, _M, _C = Equipment.BARBELL, Equipment.DUMBBELL, Equipment.MACHINE, Equipment.CABLE
_SMITH: _Kit = (_M, True)
_EQUIPMENT_WORDS: dict[str, _Kit] = {
    "barbell": (_B, False),
    "bar": (_B, False),  # in parentheses only: "trap bar", "bar grip" inside a name
    "ez bar": (_B, False),
    "dumbbell": (_D, False),
    "dumbbells": (_D, False),
    "db": (_D, False),
    "machine": (_M, False),
    "leverage machine": (_M, False),  # Liftosaur's word for a (plate-loaded) machine
    "smith machine": _SMITH,
    "smith": _SMITH,
    "cable": (_C, False),
    "cables": (_C, False),
    "cable machine": (_C, False),
    "kettlebell": (Equipment.KETTLEBELL, False),
    "bodyweight": (Equipment.BODYWEIGHT, False),
    "weighted": (Equipment.BODYWEIGHT, False),
}
_IN_NAME = {w: kit for w, kit in _EQUIPMENT_WORDS.items() if w != "bar"}
_CANONICAL: dict[_Kit, str] = {
    (_B, False): "barbell",
    (_D, False): "dumbbell",
    (_M, False): "machine",
    (_C, False): "cable",
    _SMITH: "smith machine",
}
_NOISE = {"each arm", "single arm"}
_PER_SIDE = {"each side", "per side"}  # plates on one side: not a barbell's load
_NEVER = {"assisted", "band", "banded", "suspension"}  # the load means something else
# said, catalogue: a "machine" pulldown or seated row is the cable station; a "cable" chest
# press or leg curl is another lift than the machine's
_COMPATIBLE = {(_M, _C)}
_PAREN = re.compile(r"\(([^()]*)\)?")
_SPLIT = re.compile(r",|\s-\s")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def _parse(name: str) -> tuple[str, list[str]]:
    """The name without its parentheses, and the words inside them."""
    qualifiers = [_fold(q) for part in _PAREN.findall(name) for q in _SPLIT.split(part)]
    base = _PAREN.sub(" ", name)
    return " ".join(base.split()), [q for q in qualifiers if q]


def _agrees(exercise: Exercise, kit: _Kit | None) -> bool:
    if kit is None:
        return True
    equipment, smith = kit
    if smith != ("smith" in exercise.key):
        return False
    return exercise.equipment is equipment or (equipment, exercise.equipment) in _COMPATIBLE


def _find(text: str, catalogue: Catalogue) -> Exercise | None:
    found = catalogue.find(text) if text else None
    if found is None:
        key = APP_NAMES.get(text) or APP_NAMES.get(text.removesuffix("s"))
        if key is not None and key in catalogue:
            found = catalogue.get(key)
    return found


def _take_equipment(words: list[str]) -> tuple[list[str], list[str]]:
    """The words without the equipment they name, and the equipment as said."""
    rest: list[str] = []
    said: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        if i + 1 < len(words) and two in _IN_NAME:
            said.append(two)
            i += 2
        elif words[i] in _IN_NAME:
            said.append(words[i])
            i += 1
        else:
            rest.append(words[i])
            i += 1
    return rest, said


def _texts(core: list[str], said: list[str], kit: _Kit | None) -> list[str]:
    """Names to look up: the equipment word at each place in the lift's words, then none."""
    spoken = [*said, _CANONICAL[kit]] if kit in _CANONICAL else said
    out = [
        " ".join([*core[:i], word, *core[i:]])
        for word in dict.fromkeys(spoken)
        for i in range(len(core) + 1)
    ]
    return list(dict.fromkeys([*out, " ".join(core)]))


def _match_words(
    words: list[str], kit: _Kit | None, said: list[str], per_side: bool, catalogue: Catalogue
) -> Exercise | None:
    words = english_words(words)
    if any(w in _NEVER for w in words):
        return None
    rest, in_name = _take_equipment(words)
    for word in in_name:
        if kit is not None and _EQUIPMENT_WORDS[word] != kit:
            return None  # two kinds of equipment: not sure which lift
        kit = _EQUIPMENT_WORDS[word]
    if kit is not None:  # "bicep curl" alone is no one lift; with its equipment it is
        rest = ["biceps" if w == "bicep" else w for w in rest]
    said = [*said, *in_name]
    optional = [w for w in dict.fromkeys(rest) if w in DROPPABLE]
    for n in range(len(optional) + 1):
        for dropped in itertools.combinations(optional, n):
            core = [w for w in rest if w not in dropped]
            for text in _texts(core, said, kit):
                found = _find(text, catalogue)
                if found is None or not _agrees(found, kit):
                    continue
                if any(found.key not in DROPPABLE[w] for w in dropped):
                    continue
                if per_side and found.equipment in (_B, _M):
                    return None
                return found
    return None


def match_exercise(name: str, catalogue: Catalogue) -> Exercise | None:
    """The catalogue lift ``name`` means, or None when no lift fits it for sure."""
    exact = catalogue.find(name)
    if exact is not None:
        return exact
    base, qualifiers = _parse(name)
    kit: _Kit | None = None
    said: list[str] = []  # the equipment as the name says it ("smith machine")
    per_side = False
    variants: list[str] = []
    for q in qualifiers:
        if q in _NEVER:
            return None
        if q in _PER_SIDE:
            per_side = True
        elif q in _EQUIPMENT_WORDS:
            if kit is not None and _EQUIPMENT_WORDS[q] != kit:
                return None
            kit = _EQUIPMENT_WORDS[q]
            said.append(q)
        elif q not in _NOISE:
            variants.append(q)  # a variant in parentheses is part of the name
    if " - " in base:  # "Bench Press - Close Grip" -> "close grip bench press"
        head, _, tail = base.partition(" - ")
        base = f"{tail} {head}"
    lift = _fold(base).split()
    extra = " ".join(variants).split()
    orders = [lift + extra, extra + lift] if extra else [lift]  # "Deadlift (Trap Bar)"
    base_lift = _find(" ".join(lift), catalogue)
    if extra and base_lift is not None and all(_find(v, catalogue) == base_lift for v in variants):
        orders.append(lift)  # "Butterfly (Pec Deck)": the variant names the same lift
    for words in orders:
        found = _match_words(words, kit, said, per_side, catalogue)
        if found is not None:
            return found
    return None
