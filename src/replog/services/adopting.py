"""RepLog's own export imported into a log: the same log put back, or another's adopted.

A file exported from this very log puts its sessions back as the file has them (the ids
match). A file exported from another account is *adopted*: its sessions, sets, check-ins
and custom exercises get ids of this log's own, derived from the originals so that a
second import finds the first one's, and a workout starting at the very instant of one
already here is taken to be that workout and skipped. The file's athlete record is never
written: the lifter's name and settings stay as they are.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from replog.core.errors import ImportFormatError
from replog.core.exercises import BUILTIN, Exercise
from replog.core.ids import stable_id
from replog.core.model import Athlete, Session
from replog.services.exchange import AthleteData, Bundle, import_bundle
from replog.services.importing import ImportSummary
from replog.services.ports import ActiveProgram, PlannedSession, StoredPlan, UnitOfWork


def import_own_bundle(
    read: UnitOfWork, write: UnitOfWork, bundle: Bundle, athlete: Athlete, name: str, *,
    dry_run: bool = False,
) -> ImportSummary:  # fmt: skip
    """Import one lifter's RepLog export into ``athlete``'s log (``read`` looks at what is
    there, ``write`` writes it all or nothing), reported like another app's import."""
    if len(bundle.athletes) != 1:
        raise ImportFormatError(
            f"{name} holds {len(bundle.athletes)} lifters' logs; import one lifter's export "
            "(replog export --athlete NAME)",
            "athletes",
        )
    own, skipped = adopt(read, bundle.athletes[0], athlete)
    report = import_bundle(write, Bundle((own,)), dry_run=dry_run)
    days = [s.started_at.date() for s in bundle.athletes[0].sessions]
    return ImportSummary(
        "replog", name, athlete.name, dry_run,
        sessions_created=report.sessions_added, sessions_replaced=report.sessions_replaced,
        sessions_skipped=len(skipped), sets_skipped=sum(len(s.sets) for s in skipped),
        sets_created=sum(len(s.sets) for s in own.sessions),
        volume_kg=sum(x.load.kg * x.reps for s in own.sessions for x in s.sets),
        first_day=min(days, default=None), last_day=max(days, default=None),
        exercises_created=report.exercises, checkins=report.checkins, warnings=report.warnings,
    )  # fmt: skip


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def adopt(
    uow: UnitOfWork, data: AthleteData, athlete: Athlete
) -> tuple[AthleteData, list[Session]]:
    """The bundle's log as this athlete's: the file's own athlete record is never written
    (the lifter's name and settings stay). Another account's log gets ids of this log's
    own, and its workouts that are already here (same start) are skipped."""
    with uow:
        customs = {e.key: e.athlete_id for e in uow.exercises.list(None)}
        starts = {at for _, at in uow.sessions.starts(athlete.id)}
    if data.athlete.id == athlete.id:
        return replace(data, athlete=athlete), []
    keys = _exercise_keys(data.exercises, customs, athlete.id)
    exercises = tuple(replace(e, key=keys[e.key], athlete_id=athlete.id) for e in data.exercises)
    sessions: list[Session] = []
    skipped: list[Session] = []
    set_ids: dict[str, str] = {}
    session_ids: dict[str, str] = {}
    for s in data.sessions:
        if s.started_at in starts:
            skipped.append(s)
            continue
        sid = stable_id(_ms(s.started_at), f"{athlete.id}|replog|{s.id}")
        session_ids[s.id] = sid
        sets = []
        for x in s.sets:
            set_ids[x.id] = stable_id(_ms(x.performed_at), f"{sid}|{x.id}")
            sets.append(
                replace(
                    x, id=set_ids[x.id], session_id=sid, exercise=keys.get(x.exercise, x.exercise)
                )
            )
        sessions.append(replace(s, id=sid, athlete_id=athlete.id, sets=tuple(sets)))
    checkins = tuple(
        replace(c, athlete_id=athlete.id, id=stable_id(
            _ms(datetime(c.day.year, c.day.month, c.day.day, tzinfo=UTC)),
            f"{athlete.id}|replog|{c.id}"))
        for c in data.checkins
    )  # fmt: skip
    origins = tuple(
        sorted(
            (replace(o, set_id=set_ids[o.set_id]) for o in data.origins if o.set_id in set_ids),
            key=lambda o: o.set_id,
        )
    )
    anchors = tuple(sorted((keys.get(k, k), load) for k, load in data.anchors))
    plans, program, planned = _adopted_plans(data, athlete, session_ids)
    own = AthleteData(
        athlete, exercises, tuple(sessions), checkins, origins, anchors, plans, program, planned
    )
    return own, skipped


def _adopted_plans(
    data: AthleteData, athlete: Athlete, session_ids: dict[str, str]
) -> tuple[tuple[StoredPlan, ...], ActiveProgram | None, tuple[PlannedSession, ...]]:
    """Another log's plans as the athlete's: new ids (stable, so a second import finds the
    first's), the program and the sessions' plans pointing at them; a session's plan goes
    only with a session adopted. (Plan documents name exercises by key: a custom lift renamed
    on adoption is named as it was in them.)"""
    plan_ids = {p.id: stable_id(_ms(p.updated_at), f"{athlete.id}|replog|{p.id}")
                for p in data.plans}  # fmt: skip
    plans = tuple(replace(p, id=plan_ids[p.id], athlete_id=athlete.id) for p in data.plans)
    program = None if data.program is None else replace(
        data.program, athlete_id=athlete.id,
        source=plan_ids.get(data.program.source, data.program.source),
    )  # fmt: skip
    planned = tuple(
        replace(x, session_id=session_ids[x.session_id], athlete_id=athlete.id,
                source=plan_ids.get(x.source, x.source))
        for x in data.planned if x.session_id in session_ids
    )  # fmt: skip
    return plans, program, planned


def _exercise_keys(
    exercises: tuple[Exercise, ...], customs: dict[str, str | None], athlete_id: str
) -> dict[str, str]:
    """The file's custom exercise keys -> keys in this log: kept when free or already this
    athlete's, else suffixed as the importer does (keys are unique across lifters), the
    same suffix on every import so that a second import finds the first one's."""
    builtin = {e.key for e in BUILTIN}
    out: dict[str, str] = {}
    for e in exercises:
        n, key = 1, e.key
        while key in builtin or customs.get(key, athlete_id) != athlete_id or key in out.values():
            n += 1
            key = (
                f"{e.key[:58]}-{athlete_id[-5:]}"
                if n == 2
                else f"{e.key[:55]}-{athlete_id[-5:]}-{n}"
            )
        out[e.key] = key
    return out
