"""Other apps' words for the catalogue's lifts, read by :mod:`replog.core.exercise_match`.

Three kinds of knowledge live here, kept apart from the catalogue's own aliases:

* ``APP_NAMES``: spellings in the default libraries of FitNotes, Fitbod, JEFIT, Strong, Hevy
  and Liftosaur that the matching rules (equipment anywhere in the name, ``Flat``/``Seated``
  read as noise where they change nothing) do not reach by themselves;
* ``DROPPABLE``: the position words that may be dropped from a name, and for which lifts:
  ``Standing Military Press`` is the overhead press, but ``Seated Overhead Press`` is not
  (no legs, another load), nor is a ``Seated Leg Press`` the sled leg press;
* the Italian of GymBook and of Italian gyms (``Distensioni su Panca Piana con Bilanciere``,
  ``Stacco da terra``, ``Lento avanti``), read word group by word group into English:
  equipment (``con bilanciere`` = barbell, ``con manubri`` = dumbbell, ``al cavo`` = cable,
  ``alla macchina`` = machine, ``multipower`` = Smith machine), the lift, and its modifiers
  (``da seduti`` = seated, ``a presa stretta`` = close grip), which Italian puts after the
  lift and English before it. A word not known here stays as it is, so the English it makes
  names no lift and the name stays unmatched: nothing is guessed.
"""

from __future__ import annotations

APP_NAMES: dict[str, str] = {
    name: key
    for key, names in {
        "overhead-press": ("barbell shoulder press",),  # Fitbod, JEFIT
        "seated-dumbbell-press": ("seated dumbbell overhead press",),
        "close-grip-bench-press": ("bench press close grip",),  # Liftosaur
        "stiff-leg-deadlift": (
            "stiff legged deadlift",
            "straight leg deadlift",  # Hevy, Liftosaur
            "straight legged deadlift",
        ),
        "trap-bar-deadlift": ("hex deadlift", "deadlift hex"),
        "dumbbell-row": ("single arm row", "one arm dumbbell row", "bent over one arm row"),
        "dumbbell-curl": ("alternating dumbbell curl", "alternating dumbbell biceps curl"),
        "lat-pulldown": ("wide grip lat pulldown",),  # the bar's usual grip
        "triceps-pushdown": (
            "straight bar pushdown",
            "straight bar triceps pushdown",  # Strong: Triceps Pushdown (Cable - Straight Bar)
            "rope triceps pushdown",
            "v bar pushdown",  # FitNotes: V-Bar Push Down
            "v bar triceps pushdown",
        ),
        "pec-deck": ("machine chest fly",),  # Hevy: Chest Fly (Machine)
    }.items()
    for name in names
}

_BENCH = frozenset(
    {
        "bench-press",
        "paused-bench-press",
        "close-grip-bench-press",
        "dumbbell-bench-press",
        "smith-machine-bench-press",
        "dumbbell-fly",
    }
)
_DUMBBELL_ARMS = frozenset({"dumbbell-curl", "lateral-raise", "front-raise"})
DROPPABLE: dict[str, frozenset[str]] = {
    "flat": _BENCH,  # flat is what a bench press is unless it says incline or decline
    "standing": _DUMBBELL_ARMS
    | {
        "overhead-press",
        "push-press",
        "calf-raise",
        "barbell-curl",
        "cable-curl",
        "shrug",
        "dumbbell-shrug",
        "upright-row",
        "triceps-pushdown",
        "face-pull",
        "overhead-triceps-extension",
    },
    "seated": _DUMBBELL_ARMS
    | {
        "seated-cable-row",
        "seated-dumbbell-press",
        "seated-calf-raise",
        "leg-curl",
        "leg-extension",
        "pec-deck",
        "chest-press-machine",
        "shoulder-press-machine",
        "lat-pulldown",
        "hip-abduction",
        "hip-adduction",
    },
    "strict": frozenset({"barbell-curl", "dumbbell-curl"}),  # Hevy: EZ Bar Strict Bicep Curl
    "high": frozenset({"lat-pulldown", "triceps-pushdown", "face-pull"}),  # high pulley
    "low": frozenset({"seated-cable-row", "cable-curl"}),  # low pulley
}

# one word for another, before anything else: plurals, spellings
_WORDS: dict[str, str] = {
    "curls": "curl",
    "presses": "press",
    "flies": "fly",
    "flyes": "fly",
    "shrugs": "shrug",
    "dips": "dip",
    "crunches": "crunch",
    "pulldowns": "pulldown",
    "pushdowns": "pushdown",
    "raises": "raise",
    "rows": "row",
    "squats": "squat",
    "deadlifts": "deadlift",
    "lunges": "lunge",
    "extensions": "extension",
    "thrusts": "thrust",
    "tricep": "triceps",
    "alternate": "alternating",
}

# word groups read in place (Italian lifts and equipment, English spellings)
_IN_PLACE: dict[str, str] = {
    "pull down": "pulldown",
    "pull downs": "pulldown",
    "push down": "pushdown",
    "push downs": "pushdown",
    # equipment
    "bilanciere": "barbell",
    "con bilanciere": "barbell",
    "col bilanciere": "barbell",
    "con il bilanciere": "barbell",
    "con asta": "barbell",
    "con barra": "barbell",
    "con barra ez": "ez bar",
    "con bilanciere ez": "ez bar",
    "manubri": "dumbbell",
    "manubrio": "dumbbell",
    "con manubri": "dumbbell",
    "con manubrio": "dumbbell",
    "con i manubri": "dumbbell",
    "con un manubrio": "dumbbell",
    "al cavo": "cable",
    "ai cavi": "cable",
    "al cavo basso": "low cable",
    "ai cavi bassi": "low cable",
    "al cavo alto": "high cable",
    "ai cavi alti": "high cable",
    "alla macchina": "machine",
    "macchina": "machine",
    "alla smith machine": "smith machine",
    "alla smith": "smith machine",
    "multipower": "smith machine",
    "al multipower": "smith machine",
    "con kettlebell": "kettlebell",
    "con elastico": "band",
    "con elastici": "band",
    # lifts
    "panca piana": "bench press",
    "distensioni su panca piana": "bench press",
    "spinte su panca piana": "bench press",
    "panca inclinata": "incline bench press",
    "distensioni su panca inclinata": "incline bench press",
    "spinte su panca inclinata": "incline bench press",
    "panca declinata": "decline bench press",
    "distensioni su panca declinata": "decline bench press",
    "distensioni sopra la testa": "shoulder press",
    "lento avanti": "overhead press",
    "lento frontale": "overhead press",
    "lento dietro": "behind the neck press",
    "lento dietro la nuca": "behind the neck press",
    "squat frontale": "front squat",
    "split squat bulgaro": "bulgarian split squat",
    "squat bulgaro": "bulgarian split squat",
    "affondi": "lunge",
    "affondo": "lunge",
    "affondi camminati": "walking lunge",
    "stacco": "deadlift",
    "stacchi": "deadlift",
    "stacco da terra": "deadlift",
    "stacchi da terra": "deadlift",
    "stacco sumo": "sumo deadlift",
    "distensioni delle gambe": "leg press",
    "pressa": "leg press",
    "estensioni delle gambe": "leg extension",
    "flessioni delle gambe": "leg curl",
    "rematore": "row",
    "pulley": "cable row",  # "pulley basso": the seated cable row
    "pulley basso": "cable row",
    "pulley alto": "high pulley",  # not the lat pulldown for sure: stays unmatched
    "lat machine": "lat pulldown",
    "lat machine avanti": "lat pulldown",
    "trazioni": "pull up",
    "trazioni alla sbarra": "pull up",
    "trazioni al mento": "upright row",
    "tirate al mento": "upright row",
    "trazioni al volto": "face pull",
    "dip alle parallele": "parallel bar dip",
    "dips alle parallele": "parallel bar dip",
    "piegamenti": "push up",
    "piegamenti sulle braccia": "push up",
    "flessioni": "push up",
    "flessioni sulle braccia": "push up",
    "curl a martello": "hammer curl",
    "curl alla panca scott": "preacher curl",
    "curl panca scott": "preacher curl",
    "alzate laterali": "lateral raise",
    "alzate frontali": "front raise",
    "alzate polpacci": "calf raise",
    "polpacci": "calf raise",
    "scrollate": "shrug",
    "croci": "fly",
    "french press": "triceps extension",
    "alzate di gambe alla sbarra": "hanging leg raise",
}

# Italian modifiers: English puts them before the lift
_BEFORE: dict[str, str] = {
    "da seduto": "seated",
    "da seduti": "seated",
    "da seduta": "seated",
    "seduto": "seated",
    "seduti": "seated",
    "in piedi": "standing",
    "da sdraiato": "lying",
    "da sdraiati": "lying",
    "sdraiato": "lying",
    "sdraiati": "lying",
    "a presa stretta": "close grip",
    "presa stretta": "close grip",
    "a presa larga": "wide grip",
    "presa larga": "wide grip",
    "a presa inversa": "reverse grip",
    "presa inversa": "reverse grip",
    "inverso": "reverse",
    "inversi": "reverse",
    "inversa": "reverse",
    "alternati": "alternating",
    "alternato": "alternating",
    "a una mano": "one arm",
    "a un braccio": "one arm",
    "con una mano": "one arm",
    "a una gamba": "single leg",
    "posteriori": "behind the neck",
    "posteriore": "behind the neck",
    "dietro la nuca": "behind the neck",
    "su panca piana": "flat",
    "su panca inclinata": "incline",
    "su panca declinata": "decline",
    "a gambe tese": "stiff leg",
    "rumeno": "romanian",
    "rumeni": "romanian",
    "a busto flesso": "bent over",
    "busto flesso": "bent over",
    "concentrati": "concentration",
    "concentrato": "concentration",
}
_LONGEST = max(len(p.split()) for p in (*_IN_PLACE, *_BEFORE))


def english_words(words: list[str]) -> list[str]:
    """A folded name's words in English: ``['squat', 'con', 'bilanciere']`` ->
    ``['squat', 'barbell']``, ``['flessioni', 'delle', 'gambe', 'da', 'seduti']`` ->
    ``['seated', 'leg', 'curl']``. The longest known group wins; unknown words are kept."""
    words = [_WORDS.get(w, w) for w in words]
    before: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            group = " ".join(words[i : i + n])
            if group in _BEFORE:
                before.extend(_BEFORE[group].split())
                break
            if group in _IN_PLACE:
                out.extend(_IN_PLACE[group].split())
                break
        else:
            n = 1
            out.append(words[i])
        i += n
    return before + out
