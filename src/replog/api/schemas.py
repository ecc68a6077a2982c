"""Request and response bodies of the API (Pydantic), and their builders from core objects.

Inputs forbid unknown fields, so a misspelt field is named in a 422 instead of ignored.
Pydantic checks types and sizes; the ranges that make a set believable are the core
model's own checks, reported in the same envelope with the same field names.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from replog.core.gear import MAX_BAR, MAX_PLATE, MAX_SIZES
from replog.core.model import MAX_REPS, Athlete, CheckIn, Rep, Session, SetRecord
from replog.core.set_doc import rep_doc, session_doc, set_doc
from replog.core.units import Unit as CoreUnit

Unit = Literal["kg", "lb"]
Kind = Literal["warmup", "primer", "working", "backoff", "drop", "failure", "amrap"]
AccessLevel = Literal["owner", "write", "read"]
Id = Annotated[str, Field(min_length=1, max_length=64)]
ClientId = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
        description="A UUID the client chose; sending it again returns the original.",
    ),
]
Velocity = Annotated[float, Field(ge=0, le=10, description="m/s")]
Text = Annotated[str, Field(max_length=2000)]
Tag = Annotated[str, Field(min_length=1, max_length=64)]
LoadValue = Annotated[Decimal, Field(ge=0, le=2000, max_digits=9, decimal_places=3)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """A day is written YYYY-MM-DD: ``0`` or ``1700000000`` is not read as a timestamp."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
"""A day in a path or query: YYYY-MM-DD only."""


# accounts -------------------------------------------------------------------------------
class SignUpIn(In):
    username: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$",
            description="3-32 letters, digits, '_', '.', '-'; not case-sensitive.",
        ),
    ]
    password: Annotated[str, Field(min_length=8, max_length=1024)]
    unit: Unit = "kg"


class LoginIn(In):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    kind: Literal["session", "api"] = Field(
        "session", description="'session': a cookie for the web app; 'api': a bearer token."
    )
    name: Annotated[str, Field(max_length=100)] = ""


class UserOut(BaseModel):
    id: str
    username: str
    athlete_id: str
    created_at: datetime


class LoginOut(BaseModel):
    user: UserOut
    token_id: str
    kind: str
    token: str | None = Field(None, description="The bearer token (kind 'api' only).")
    csrf_token: str | None = Field(None, description="Send as X-CSRF-Token with cookie writes.")
    expires_at: datetime | None


class TokenIn(In):
    name: Annotated[str, Field(min_length=1, max_length=100)]


class IssuedTokenOut(BaseModel):
    id: str
    token: str
    name: str
    created_at: datetime


class TokenOut(BaseModel):
    id: str
    kind: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    current: bool


class GrantIn(In):
    coach: Annotated[str, Field(min_length=1, max_length=64, description="The coach's username.")]
    can_write: bool = False


class GrantOut(BaseModel):
    id: str
    athlete_id: str
    athlete_name: str
    coach_id: str
    coach_username: str
    can_write: bool
    created_at: datetime


class GrantsOut(BaseModel):
    given: list[GrantOut]
    received: list[GrantOut]


# athletes and exercises -------------------------------------------------------------------
class GearIn(In):
    bar: Annotated[float, Field(ge=0, le=MAX_BAR, description="The bar's weight, in the unit")]
    plates: Annotated[
        list[Annotated[float, Field(gt=0, le=MAX_PLATE)]],
        Field(min_length=1, max_length=MAX_SIZES, description="Each plate size to hand, once"),
    ]


class GearOut(BaseModel):
    unit: Unit
    bar: float
    plates: list[float] = Field(description="Largest first")
    own: bool = Field(description="False: the gym defaults (20 kg / 45 lb bar, iron plates)")


class AthleteOut(BaseModel):
    id: str
    name: str
    default_unit: Unit
    body_mass_kg: float | None
    dropoff_threshold_pct: float
    gear: dict[Unit, GearOut] = Field(description="The bar and plates Drive loads, by unit")
    access: AccessLevel
    version: int


class AthletePatch(In):
    version: Annotated[int, Field(ge=1)]
    default_unit: Unit | None = None
    body_mass_kg: Annotated[float, Field(ge=0, le=1000)] | None = None
    dropoff_threshold_pct: Annotated[float, Field(ge=0, le=100)] | None = None


class MeOut(BaseModel):
    user: UserOut
    athlete: AthleteOut


class ExerciseOut(BaseModel):
    key: str
    name: str
    equipment: str
    pattern: str
    aliases: list[str]
    mvt: float | None
    custom: bool
    sets_logged: int


class ExerciseIn(In):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    equipment: Literal[
        "barbell", "dumbbell", "machine", "cable", "bodyweight", "kettlebell", "other"
    ] = "other"
    pattern: Literal[
        "squat", "hinge", "horizontal_push", "vertical_push", "horizontal_pull",
        "vertical_pull", "lunge", "olympic", "isolation", "carry", "other",
    ] = "other"  # fmt: skip
    aliases: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=20)
    ] = []
    mvt: Annotated[float, Field(gt=0, le=2)] | None = None


# sets, reps, sessions -----------------------------------------------------------------------
class LoadOut(BaseModel):
    value: str = Field(description="The number as entered, exactly.")
    unit: Unit
    kg: float


class RepIn(In):
    mcv: Velocity | None = None
    mpv: Velocity | None = None
    peak_velocity: Velocity | None = None
    rom: Annotated[float, Field(ge=0, le=3)] | None = None
    concentric_s: Annotated[float, Field(ge=0, le=60)] | None = None
    eccentric_s: Annotated[float, Field(ge=0, le=60)] | None = None


class RepOut(BaseModel):
    index: int
    mcv: float | None
    mpv: float | None
    peak_velocity: float | None
    rom: float | None
    concentric_s: float | None
    eccentric_s: float | None
    source: str


class SetIn(In):
    id: ClientId | None = None
    exercise: Annotated[str, Field(min_length=1, max_length=100)]
    load: LoadValue | None = Field(None, description="Omit for bodyweight lifts.")
    unit: Unit | None = Field(None, description="Default: the athlete's unit.")
    reps: Annotated[int, Field(ge=0, le=MAX_REPS, strict=True)]
    rpe: Annotated[float, Field(ge=1, le=10, multiple_of=0.5)] | None = None
    rir: Annotated[float, Field(ge=0, le=10, multiple_of=0.5)] | None = None
    kind: Kind = "working"
    velocities: Annotated[list[Velocity], Field(max_length=MAX_REPS)] = []
    rest_s: Annotated[int, Field(ge=0, le=86400, strict=True)] | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] = []
    notes: Text = ""
    session_id: Id | None = Field(None, description="Default: today's open session.")
    performed_at: AwareDatetime | None = None


class SetPatch(In):
    version: Annotated[int, Field(ge=1)]
    exercise: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    load: LoadValue | None = None
    unit: Unit | None = None
    reps: Annotated[int, Field(ge=0, le=MAX_REPS, strict=True)] | None = None
    rpe: Annotated[float, Field(ge=1, le=10, multiple_of=0.5)] | None = None
    rir: Annotated[float, Field(ge=0, le=10, multiple_of=0.5)] | None = None
    kind: Kind | None = None
    velocities: Annotated[list[Velocity], Field(max_length=MAX_REPS)] | None = None
    rest_s: Annotated[int, Field(ge=0, le=86400, strict=True)] | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] | None = None
    notes: Text | None = None


class RepsIn(In):
    version: Annotated[int, Field(ge=1)]
    reps: Annotated[list[RepIn], Field(max_length=MAX_REPS)]
    update_reps: bool = Field(False, description="Make the set's rep count the number given.")


class SetOut(BaseModel):
    id: str
    session_id: str
    exercise: str
    position: int
    load: LoadOut
    reps: int
    rpe: float | None
    rir: float | None
    kind: Kind
    rest_s: int | None
    tags: list[str]
    notes: str
    performed_at: datetime
    rep_data: list[RepOut]
    version: int


class SessionRef(BaseModel):
    id: str
    started_at: datetime
    new: bool


class Verdict(BaseModel):
    """What the phone shows the moment a set is logged (DESIGN.md 2.3 for the details)."""

    dropoff_pct: float | None = Field(description="% slower than the reference set.")
    reference_set: str | None = Field(description="The id of the set it is compared with.")
    reference_position: int | None
    neural_dropoff: bool
    velocity_loss_pct: float | None
    grinding: bool
    passive_intent: bool
    rpe_velocity_mismatch: bool
    cap_intensity: bool = Field(
        description="A cap governs this set: triggered by it or an earlier set of its exercise."
    )
    cap: dict[str, Any] | None = Field(
        None, description="That cap's recommendation (its action says what to hold)."
    )
    headline: str
    set: dict[str, Any] | None = Field(description="The set's analysis document.")
    recommendations: list[dict[str, Any]] = Field(
        description="The rulebook's items for this set, in order (each with its severity)."
    )


class RecordsOut(BaseModel):
    kinds: list[str] = Field(
        description="heaviest, volume, velocity (fastest rep at this load, +-2.5%), or "
        "NrM (heaviest for N reps)"
    )
    text: str = Field(description="The records as every surface says them.")


class LoggedSetOut(BaseModel):
    set: SetOut
    session: SessionRef
    verdict: Verdict
    replayed: bool = Field(description="True when this id had already been logged.")
    records: RecordsOut | None = Field(
        None, description="The personal records this set broke, as it was logged."
    )


class SessionIn(In):
    id: ClientId | None = None
    started_at: AwareDatetime | None = None
    name: Annotated[str, Field(max_length=200)] = ""
    notes: Text = ""


class SessionPatch(In):
    version: Annotated[int, Field(ge=1)]
    name: Annotated[str, Field(max_length=200)] | None = None
    notes: Text | None = None
    ended_at: AwareDatetime | None = None


class SessionOut(BaseModel):
    id: str
    athlete_id: str
    started_at: datetime
    ended_at: datetime | None
    name: str
    notes: str
    version: int
    sets: list[SetOut]


class SessionSummaryOut(BaseModel):
    id: str
    started_at: datetime
    ended_at: datetime | None
    name: str
    set_count: int
    rep_count: int
    volume_kg: float
    exercises: list[str]


# check-ins ----------------------------------------------------------------------------------
class CheckInIn(In):
    version: Annotated[int, Field(ge=1)] | None = Field(
        None, description="The version being replaced; omit to create the day's check-in."
    )
    sleep_h: Annotated[float, Field(ge=0, le=24)] | None = None
    sleep_quality: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None
    stress: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None
    soreness: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None
    resting_hr: Annotated[float, Field(ge=25, le=220)] | None = None
    hrv_ms: Annotated[float, Field(ge=1, le=500)] | None = None
    notes: Text | None = None


class CheckInOut(BaseModel):
    id: str
    day: date
    sleep_h: float | None
    sleep_quality: int | None
    stress: int | None
    soreness: int | None
    resting_hr: float | None
    hrv_ms: float | None
    notes: str
    version: int


# builders -----------------------------------------------------------------------------------
def rep_out(r: Rep) -> RepOut:
    return RepOut.model_validate(rep_doc(r))


def set_out(s: SetRecord, version: int) -> SetOut:
    """The set's one document (:func:`replog.core.set_doc.set_doc`) as the API's model."""
    return SetOut.model_validate(set_doc(s, version))


def session_out(s: Session, version: int, set_versions: dict[str, int]) -> SessionOut:
    full = {x.id: set_versions.get(x.id, 1) for x in s.sets}
    return SessionOut.model_validate(session_doc(s, version, full))


def gear_out(a: Athlete, unit: CoreUnit) -> GearOut:
    g = a.gear_for(unit)
    own = any(u is unit for u, _ in a.gear)
    return GearOut(unit=unit.value, bar=g.bar, plates=list(g.plates), own=own)


def athlete_out(a: Athlete, access: str, version: int) -> AthleteOut:
    return AthleteOut(
        id=a.id, name=a.name, default_unit=a.default_unit.value,
        body_mass_kg=a.body_mass_kg, dropoff_threshold_pct=a.dropoff_threshold_pct,
        gear={u.value: gear_out(a, u) for u in CoreUnit},
        access=access, version=version,  # type: ignore[arg-type]
    )  # fmt: skip


def checkin_out(c: CheckIn, version: int) -> CheckInOut:
    return CheckInOut(
        id=c.id, day=c.day, sleep_h=c.sleep_h, sleep_quality=c.sleep_quality, stress=c.stress,
        soreness=c.soreness, resting_hr=c.resting_hr, hrv_ms=c.hrv_ms, notes=c.notes,
        version=version,
    )  # fmt: skip
