"""The exercise catalogue: built-in lifts with aliases, movement pattern and velocity defaults.

``mvt`` is the mean concentric velocity expected at 1RM (minimum velocity threshold, m/s),
a population default used until a lifter's own data replaces it. Sources, rounded:
bench press ~0.17 (Gonzalez-Badillo & Sanchez-Medina 2010, IJSM 31:347; Garcia-Ramos et al.),
full squat ~0.30 (Sanchez-Medina et al. 2017, Sports Med Int Open 1:E80), deadlift ~0.15
(Benavides-Ubric et al. 2020), military press ~0.19 (Balsalobre-Fernandez et al. 2018),
pull-up ~0.23 (Munoz-Lopez et al. 2017), prone bench pull / row ~0.50 (Sanchez-Medina et al.
2014). ``None`` where no study gives a usable value.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from replog.core.errors import UnknownExerciseError, ValidationError
from replog.core.validate import coerce_enum


class Equipment(StrEnum):
    BARBELL = "barbell"
    DUMBBELL = "dumbbell"
    MACHINE = "machine"
    CABLE = "cable"
    BODYWEIGHT = "bodyweight"
    KETTLEBELL = "kettlebell"
    OTHER = "other"


class Pattern(StrEnum):
    SQUAT = "squat"
    HINGE = "hinge"
    HORIZONTAL_PUSH = "horizontal_push"
    VERTICAL_PUSH = "vertical_push"
    HORIZONTAL_PULL = "horizontal_pull"
    VERTICAL_PULL = "vertical_pull"
    LUNGE = "lunge"
    OLYMPIC = "olympic"
    ISOLATION = "isolation"
    CARRY = "carry"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Exercise:
    key: str
    name: str
    equipment: Equipment
    pattern: Pattern
    aliases: tuple[str, ...] = ()
    mvt: float | None = None
    concentric_first: bool = False  # deadlifts, rows from the floor: no eccentric before rep 1
    custom: bool = False
    athlete_id: str | None = None  # owner of a user-defined exercise
    extra_names: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", self.key):
            raise ValidationError(
                f"exercise key must be lower-case letters, digits and dashes, got {self.key!r}",
                field="key",
            )
        if not self.name.strip():
            raise ValidationError("exercise name cannot be empty", field="name")
        object.__setattr__(self, "equipment", coerce_enum(Equipment, self.equipment, "equipment"))
        object.__setattr__(self, "pattern", coerce_enum(Pattern, self.pattern, "pattern"))
        if self.mvt is not None and not 0 < self.mvt < 2:
            raise ValidationError(f"mvt must be between 0 and 2 m/s, got {self.mvt}", "mvt")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.key, *self.aliases)


def _b(
    key: str, name: str, eq: Equipment, pat: Pattern, aliases: str = "", **kw: object
) -> Exercise:
    return Exercise(key, name, eq, pat, tuple(a.strip() for a in aliases.split(",") if a), **kw)  # type: ignore[arg-type]


B, D, M, C, BW, KB = (
    Equipment.BARBELL,
    Equipment.DUMBBELL,
    Equipment.MACHINE,
    Equipment.CABLE,
    Equipment.BODYWEIGHT,
    Equipment.KETTLEBELL,
)
P = Pattern

BUILTIN: tuple[Exercise, ...] = (
    _b(
        "back-squat", "Back Squat", B, P.SQUAT, "squat,sq,high bar squat,barbell squat,bs", mvt=0.30
    ),
    _b("low-bar-squat", "Low-Bar Squat", B, P.SQUAT, "low bar squat,lbs squat", mvt=0.30),
    _b("front-squat", "Front Squat", B, P.SQUAT, "fs,front squats", mvt=0.35),
    _b("pause-squat", "Pause Squat", B, P.SQUAT, "paused squat", mvt=0.30),
    _b("box-squat", "Box Squat", B, P.SQUAT, "", mvt=0.30),
    _b("safety-bar-squat", "Safety Bar Squat", B, P.SQUAT, "ssb squat,ssb", mvt=0.30),
    _b("hack-squat", "Hack Squat", M, P.SQUAT, "machine hack squat"),
    _b("leg-press", "Leg Press", M, P.SQUAT, "lp,sled leg press", mvt=0.21),
    _b("goblet-squat", "Goblet Squat", D, P.SQUAT, ""),
    _b(
        "bench-press",
        "Bench Press",
        B,
        P.HORIZONTAL_PUSH,
        "bench,bp,flat bench,barbell bench press",
        mvt=0.17,
    ),
    _b(
        "paused-bench-press",
        "Paused Bench Press",
        B,
        P.HORIZONTAL_PUSH,
        "pause bench,paused bench",
        mvt=0.17,
    ),
    _b(
        "close-grip-bench-press",
        "Close-Grip Bench Press",
        B,
        P.HORIZONTAL_PUSH,
        "cgbp,close grip bench",
        mvt=0.17,
    ),
    _b(
        "incline-bench-press",
        "Incline Bench Press",
        B,
        P.HORIZONTAL_PUSH,
        "incline bench,incline press",
        mvt=0.17,
    ),
    _b(
        "dumbbell-bench-press",
        "Dumbbell Bench Press",
        D,
        P.HORIZONTAL_PUSH,
        "db bench,db bench press",
    ),
    _b(
        "dumbbell-incline-press",
        "Dumbbell Incline Press",
        D,
        P.HORIZONTAL_PUSH,
        "db incline press,incline db press,dumbbell incline bench press,"
        "incline dumbbell bench press",
    ),
    _b(
        "chest-press-machine",
        "Chest Press (Machine)",
        M,
        P.HORIZONTAL_PUSH,
        "machine chest press,chest press",
    ),
    _b("push-up", "Push-Up", BW, P.HORIZONTAL_PUSH, "pushup,push up,press-up"),
    _b("dip", "Dip", BW, P.VERTICAL_PUSH, "dips,chest dip,parallel bar dip"),
    _b(
        "overhead-press",
        "Overhead Press",
        B,
        P.VERTICAL_PUSH,
        "press,ohp,military press,strict press,standing press",
        mvt=0.19,
    ),
    _b("push-press", "Push Press", B, P.VERTICAL_PUSH, "pp", mvt=0.30),
    _b(
        "seated-dumbbell-press",
        "Seated Dumbbell Shoulder Press",
        D,
        P.VERTICAL_PUSH,
        "db shoulder press,seated db press,dumbbell shoulder press",
    ),
    _b(
        "deadlift",
        "Deadlift",
        B,
        P.HINGE,
        "dl,conventional deadlift,deads",
        mvt=0.15,
        concentric_first=True,
    ),
    _b(
        "sumo-deadlift",
        "Sumo Deadlift",
        B,
        P.HINGE,
        "sumo,sumo dl",
        mvt=0.15,
        concentric_first=True,
    ),
    _b("romanian-deadlift", "Romanian Deadlift", B, P.HINGE, "rdl,romanian dl", mvt=0.25),
    _b(
        "stiff-leg-deadlift",
        "Stiff-Leg Deadlift",
        B,
        P.HINGE,
        "sldl,stiff leg deadlift",
        concentric_first=True,
    ),
    _b(
        "trap-bar-deadlift",
        "Trap Bar Deadlift",
        B,
        P.HINGE,
        "hex bar deadlift,trap bar dl,tbdl",
        mvt=0.25,
        concentric_first=True,
    ),
    _b("hip-thrust", "Hip Thrust", B, P.HINGE, "barbell hip thrust,glute bridge"),
    _b("good-morning", "Good Morning", B, P.HINGE, "gm"),
    _b("kettlebell-swing", "Kettlebell Swing", KB, P.HINGE, "kb swing,swings"),
    _b(
        "barbell-row",
        "Barbell Row",
        B,
        P.HORIZONTAL_PULL,
        "row,bent over row,bent-over row,bb row,bor",
        mvt=0.50,
    ),
    _b(
        "pendlay-row",
        "Pendlay Row",
        B,
        P.HORIZONTAL_PULL,
        "pendlay",
        mvt=0.50,
        concentric_first=True,
    ),
    _b(
        "prone-bench-pull",
        "Prone Bench Pull",
        B,
        P.HORIZONTAL_PULL,
        "bench pull,seal row",
        mvt=0.50,
    ),
    _b(
        "dumbbell-row",
        "Dumbbell Row",
        D,
        P.HORIZONTAL_PULL,
        "db row,one arm row,single arm dumbbell row",
    ),
    _b(
        "seated-cable-row",
        "Seated Cable Row",
        C,
        P.HORIZONTAL_PULL,
        "cable row,seated row,v grip seated cable row,seated cable row v grip",
    ),
    _b("pull-up", "Pull-Up", BW, P.VERTICAL_PULL, "pullup,pull up,pullups,pull-ups", mvt=0.23),
    _b("chin-up", "Chin-Up", BW, P.VERTICAL_PULL, "chinup,chin up,chins", mvt=0.23),
    _b("lat-pulldown", "Lat Pulldown", C, P.VERTICAL_PULL, "pulldown,lat pull down,pulldowns"),
    _b(
        "bulgarian-split-squat",
        "Bulgarian Split Squat",
        D,
        P.LUNGE,
        "bss,rear foot elevated split squat,rfess",
    ),
    _b("walking-lunge", "Walking Lunge", D, P.LUNGE, "lunges,lunge"),
    _b("step-up", "Step-Up", D, P.LUNGE, "step ups,stepup"),
    _b("power-clean", "Power Clean", B, P.OLYMPIC, "clean,pc", concentric_first=True),
    _b("hang-clean", "Hang Clean", B, P.OLYMPIC, "hang power clean"),
    _b("snatch", "Snatch", B, P.OLYMPIC, "power snatch", concentric_first=True),
    _b("jump-squat", "Jump Squat", B, P.SQUAT, "loaded jump squat,squat jump"),
    _b("leg-extension", "Leg Extension", M, P.ISOLATION, "leg extensions,quad extension"),
    _b("leg-curl", "Leg Curl", M, P.ISOLATION, "hamstring curl,lying leg curl,seated leg curl"),
    _b("calf-raise", "Calf Raise", M, P.ISOLATION, "calf raises,standing calf raise,calf press"),
    _b("barbell-curl", "Barbell Curl", B, P.ISOLATION, "curl,bb curl,biceps curl"),
    _b(
        "dumbbell-curl",
        "Dumbbell Curl",
        D,
        P.ISOLATION,
        "db curl,hammer curl,dumbbell hammer curl,dumbbell bicep curl,dumbbell biceps curl",
    ),
    _b(
        "triceps-pushdown",
        "Triceps Pushdown",
        C,
        P.ISOLATION,
        "pushdown,tricep pushdown,rope pushdown,triceps rope pushdown,tricep rope pushdown",
    ),
    _b("skull-crusher", "Skull Crusher", B, P.ISOLATION, "lying triceps extension,skullcrusher"),
    _b(
        "lateral-raise",
        "Lateral Raise",
        D,
        P.ISOLATION,
        "side raise,lateral raises,db lateral raise",
    ),
    _b("face-pull", "Face Pull", C, P.ISOLATION, "face pulls"),
    _b("farmers-walk", "Farmer's Walk", D, P.CARRY, "farmers carry,farmer walk"),
    # accessories the apps people leave log most (Hevy, Strong, FitNotes exports)
    _b("smith-machine-squat", "Smith Machine Squat", M, P.SQUAT, "smith squat"),
    _b(
        "smith-machine-bench-press",
        "Smith Machine Bench Press",
        M,
        P.HORIZONTAL_PUSH,
        "smith bench press,smith machine bench",
    ),
    _b(
        "shoulder-press-machine",
        "Shoulder Press (Machine)",
        M,
        P.VERTICAL_PUSH,
        "machine shoulder press,machine overhead press,seated shoulder press machine",
    ),
    _b("shrug", "Shrug", B, P.ISOLATION, "barbell shrug,shrugs"),
    _b("dumbbell-shrug", "Dumbbell Shrug", D, P.ISOLATION, "db shrug"),
    _b(
        "preacher-curl",
        "Preacher Curl",
        B,
        P.ISOLATION,
        "ez bar preacher curl,barbell preacher curl",
    ),
    _b("cable-curl", "Cable Curl", C, P.ISOLATION, "cable bicep curl,cable biceps curl"),
    _b(
        "overhead-triceps-extension",
        "Overhead Triceps Extension",
        C,
        P.ISOLATION,
        "cable overhead triceps extension,cable overhead tricep extension,triceps overhead cable",
    ),
    _b(
        "dumbbell-fly",
        "Dumbbell Fly",
        D,
        P.ISOLATION,
        "db fly,flat dumbbell fly,dumbbell chest fly",
    ),
    _b("pec-deck", "Pec Deck", M, P.ISOLATION, "butterfly,machine fly,seated machine fly"),
    _b("rear-delt-fly", "Rear Delt Fly", D, P.ISOLATION, "reverse fly,rear delt reverse fly"),
    _b("front-raise", "Front Raise", D, P.ISOLATION, "db front raise,dumbbell front raise"),
    _b("upright-row", "Upright Row", B, P.VERTICAL_PULL, "barbell upright row"),
    _b("seated-calf-raise", "Seated Calf Raise", M, P.ISOLATION, "seated calf raise machine"),
    _b("hip-abduction", "Hip Abduction", M, P.ISOLATION, "hip abductor,abductor machine"),
    _b("hip-adduction", "Hip Adduction", M, P.ISOLATION, "hip adductor,adductor machine"),
    _b("back-extension", "Back Extension", BW, P.HINGE, "hyperextension,back extensions"),
    _b("crunch", "Crunch", BW, P.ISOLATION, "crunches,sit-up crunch"),
    _b("cable-crunch", "Cable Crunch", C, P.ISOLATION, "kneeling cable crunch"),
    _b("hanging-leg-raise", "Hanging Leg Raise", BW, P.ISOLATION, "hanging leg raises"),
    _b("inverted-row", "Inverted Row", BW, P.HORIZONTAL_PULL, "bodyweight row,australian pull up"),
)


def normalise_name(text: str) -> str:
    """Lower-case, punctuation folded to spaces: ``'Pull-Ups'`` -> ``'pull ups'``."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def slugify(text: str) -> str:
    return normalise_name(text).replace(" ", "-")[:64]


class Catalogue:
    """Built-in and user-defined exercises, looked up by key, name or alias."""

    def __init__(self, exercises: tuple[Exercise, ...] | list[Exercise] = BUILTIN):
        self._by_key: dict[str, Exercise] = {}
        self._by_name: dict[str, Exercise] = {}
        if exercises is BUILTIN:  # the built-in index is made once per process, then copied
            by_key, by_name = _builtin_index()
            self._by_key, self._by_name = dict(by_key), dict(by_name)
            return
        for ex in exercises:
            self.add(ex)

    def add(self, exercise: Exercise) -> None:
        for name in (*exercise.names, *exercise.extra_names):
            norm = normalise_name(name)
            other = self._by_name.get(norm)
            if other is not None and other.key != exercise.key:
                if exercise.custom and not other.custom:
                    continue  # a built-in name wins over a custom alias
                if not exercise.custom:
                    raise ValidationError(f"name {name!r} is taken by {other.key}", field="name")
            self._by_name.setdefault(norm, exercise)
        self._by_key[exercise.key] = exercise

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> Exercise:
        try:
            return self._by_key[key]
        except KeyError:
            raise UnknownExerciseError(key, self.suggest(key)) from None

    def find(self, text: str) -> Exercise | None:
        norm = normalise_name(text)
        return (
            self._by_key.get(text)
            or self._by_name.get(norm)
            or self._by_name.get(norm.removesuffix("s"))
        )

    def resolve(self, text: str) -> Exercise:
        """The exercise named ``text`` (key, name or alias, any case), or a helpful error."""
        found = self.find(text)
        if found is None:
            raise UnknownExerciseError(text, self.suggest(text))
        return found

    def suggest(self, text: str, n: int = 3) -> list[str]:
        norm = normalise_name(text)
        close = difflib.get_close_matches(norm, list(self._by_name), n=n * 3, cutoff=0.6)
        contains = [name for name in self._by_name if norm and (norm in name.split())]
        out: list[str] = []
        for name in close + contains:
            display = self._by_name[name].name
            if display not in out:
                out.append(display)
        return out[:n]


@functools.cache
def _builtin_index() -> tuple[dict[str, Exercise], dict[str, Exercise]]:
    cat = Catalogue(list(BUILTIN))
    return cat._by_key, cat._by_name
