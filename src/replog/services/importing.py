"""Importing another app's history: map its exercise names, skip what is already here, write
the rest (all of it or none, in chunks that let other lifters write meanwhile:
:mod:`replog.services.import_writer`), and say exactly what happened.

Ids are derived from the athlete, the format and the workout's key in the file
(:func:`replog.core.ids.stable_id`), so importing the same file again, or a newer export
holding the same workouts, finds them and adds nothing: a workout already imported is left
as it is (the lifter may have edited it since). Every imported set keeps its source row.

A row the reader could not read, or a set the model refuses, is left out and listed (line,
column, value, why) while the rest imports; with ``strict`` the first of them refuses the
whole file instead. A file none of whose rows can be read is refused either way.

Exercise names are matched to the catalogue (:mod:`replog.core.exercise_match`); a name it
cannot place for sure becomes the lifter's own exercise, under that name, and is reported
as unmapped with the nearest catalogue lifts and the ``--map`` that files it under one of
them instead. Nothing in the file is dropped for want of a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from replog.core.errors import ImportFormatError, ReplogError, ValidationError
from replog.core.exercise_match import match_exercise
from replog.core.exercises import BUILTIN, Catalogue, Equipment, Exercise, Pattern, slugify
from replog.core.ids import stable_id
from replog.core.model import Athlete, Session, SetOrigin, SetRecord
from replog.core.units import Unit
from replog.services.catalogue import catalogue_for
from replog.services.import_units import read_plain_loads
from replog.services.import_writer import write_in_chunks
from replog.services.imported import ImportedSet, RejectedRow, SourceFile
from replog.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class UnmappedName:
    name: str  # as the app wrote it
    sets: int
    key: str  # the lifter's own exercise it is filed under
    suggestions: tuple[str, ...]  # nearest catalogue lifts


@dataclass(slots=True)
class ImportSummary:
    format: str
    source: str
    athlete: str
    dry_run: bool
    sessions_created: int = 0
    sessions_skipped: int = 0  # already imported
    sessions_replaced: int = 0  # RepLog's own JSON: a session in the file replaces ours
    sets_created: int = 0
    sets_skipped: int = 0  # in workouts already imported
    rows_skipped: int = 0  # rows the reader passed over on purpose (rest timers, cardio)
    sets_unmapped: int = 0  # sets in the file under a name the catalogue does not know
    volume_kg: float = 0.0  # of the sets created
    first_day: date | None = None  # of the workouts in the file
    last_day: date | None = None
    exercises_created: int = 0
    checkins: int = 0
    mapped: dict[str, str] = field(default_factory=dict)  # app name -> exercise key
    unmapped: list[UnmappedName] = field(default_factory=list)
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unit_note: str | None = None  # the unit plain numbers were read in, and why
    rejected: list[RejectedRow] = field(default_factory=list)  # rows left out: unreadable


def import_source(
    uow: UnitOfWork,
    athlete: Athlete,
    source: SourceFile,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    unit: Unit | None = None,
    strict: bool = False,
    new_athlete: bool = False,
) -> ImportSummary:
    """Import ``source`` for the athlete (created if new); with ``dry_run``, only say what
    would happen. ``mapping`` files an app's name under a catalogue lift (key or name);
    ``unit`` is the unit of loads the file gives as plain numbers (default: the athlete's;
    :mod:`replog.services.import_units`). Rows that cannot be read are left out and listed
    in ``rejected``; with ``strict`` they refuse the file."""
    refuse_unreadable(source, strict)
    # read, check and match everything outside the writer's lock; then write in chunks
    with uow.reader() as reader:
        summary, names, sessions, origins = _plan(reader, athlete, source, mapping, unit, strict)
    summary.dry_run = dry_run
    if not dry_run:
        written = write_in_chunks(uow, athlete, new_athlete, names.created, sessions, origins)
        if len(written) < len(sessions):  # the same workouts written meanwhile: skipped
            ids = {s.id for s in written}
            _raced(summary, [s for s in sessions if s.id not in ids])
    return summary


def _plan(
    uow: UnitOfWork,
    athlete: Athlete,
    source: SourceFile,
    mapping: Mapping[str, str] | None,
    unit: Unit | None,
    strict: bool,
) -> tuple[ImportSummary, _Names, list[Session], list[SetOrigin]]:
    """Everything an import writes, and its summary, from reads only."""
    summary = ImportSummary(source.format, source.name, athlete.name, False)
    summary.warnings.extend(source.warnings)
    source, summary.unit_note, unit_warnings = read_plain_loads(source, unit, athlete.default_unit)
    summary.warnings.extend(unit_warnings)
    summary.rows_skipped = len(source.skipped)
    for row in source.skipped:
        reason = row.reason.split(" (")[0]  # "no reps (1.5 km)" counts as "no reps"
        summary.skipped_reasons[reason] = summary.skipped_reasons.get(reason, 0) + 1
    names = _Names(uow, athlete, mapping or {})
    summary.rejected = list(source.rejected)
    sessions, origins = _build(source, athlete, names, summary, uow, strict)
    summary.warnings.extend(_implausible(source))
    summary.mapped = dict(sorted(names.keys.items()))
    summary.unmapped = names.unmapped(source)
    summary.sets_unmapped = sum(u.sets for u in summary.unmapped)
    summary.exercises_created = len(names.created)
    return summary, names, sessions, origins


def _raced(summary: ImportSummary, skipped: list[Session]) -> None:
    """Count as already imported the sessions someone else wrote while this import ran."""
    sets = sum(len(s.sets) for s in skipped)
    summary.sessions_created -= len(skipped)
    summary.sessions_skipped += len(skipped)
    summary.sets_created -= sets
    summary.sets_skipped += sets
    summary.volume_kg -= float(sum(x.load.exact_kg * x.reps for s in skipped for x in s.sets))


def refuse_unreadable(source: SourceFile, strict: bool) -> None:
    """With ``strict`` any row left out refuses the file; a file with rows but none that
    reads is refused always (it is not the format it was taken for, or it is broken)."""
    if not source.rejected or (source.sets and not strict):
        return
    first, more = source.rejected[0], len(source.rejected) - 1
    also = f" (and {more} more row{'s' * (more > 1)} that cannot be read)" if more else ""
    why = "; without strict they would be left out and the rest imported" if strict else ""
    raise ImportFormatError(
        f"{source.name}: {first.reason}{also}{why}", first.column or "row", line=first.line
    )


_MANY_REPS = 100  # more reps than this in one set is possible (calf raises) but rare


def _implausible(source: SourceFile) -> list[str]:
    """Warnings for values the model holds but a lifter rarely means (a typo'd 303 reps
    refuses by the model's limit; 150 imports, with this warning)."""
    many = [s for s in source.sets if s.reps > _MANY_REPS]
    if not many:
        return []
    where = ", ".join(f"line {s.line}: {s.reps}" for s in many[:3])
    more = f" and {len(many) - 3} more" if len(many) > 3 else ""
    return [
        f"{source.name}: {len(many)} set(s) with more than {_MANY_REPS} reps imported as "
        f"written ({where}{more}); check them"
    ]


class _Names:
    """The app's exercise names and the catalogue keys they go to."""

    def __init__(self, uow: UnitOfWork, athlete: Athlete, mapping: Mapping[str, str]):
        self.athlete = athlete
        self.catalogue: Catalogue = catalogue_for(uow, athlete.id)
        self.taken = {e.key for e in uow.exercises.list(None)} | {e.key for e in self.catalogue}
        self.keys: dict[str, str] = {}
        self.created: list[Exercise] = []
        self.builtin = {e.key for e in BUILTIN}
        self.user: dict[str, str] = {}
        for app_name, target in mapping.items():
            try:
                self.user[app_name.strip().casefold()] = self.catalogue.resolve(target).key
            except ReplogError as exc:
                raise ValidationError(f"--map {app_name}={target}: {exc.message}", "map") from None

    def key(self, item: ImportedSet) -> str:
        name = " ".join(item.exercise.split()) or "Unnamed exercise"
        known = self.keys.get(name)
        if known is not None:
            return known
        key = self.user.get(name.casefold())
        if key is None:
            found = match_exercise(name, self.catalogue)
            key = found.key if found is not None else self._create(name, item.equipment)
        self.keys[name] = key
        return key

    def _create(self, name: str, equipment: Equipment | None) -> str:
        key = slugify(name) or "exercise"
        if key in self.taken:
            key = f"{key[:58]}-{self.athlete.id[-5:]}"
        n = 2
        while key in self.taken:
            key = f"{slugify(name)[:55]}-{self.athlete.id[-5:]}-{n}"
            n += 1
        ex = Exercise(
            key,
            name[:100],
            equipment or Equipment.OTHER,
            Pattern.OTHER,
            custom=True,
            athlete_id=self.athlete.id,
        )
        self.taken.add(key)
        self.catalogue.add(ex)
        self.created.append(ex)
        return key

    def unmapped(self, source: SourceFile) -> list[UnmappedName]:
        """Names filed under an exercise of the lifter's own (made now or by an earlier
        import) rather than a catalogue lift, unless the lifter mapped them so."""
        counts: dict[str, int] = {}
        for item in source.sets:
            name = " ".join(item.exercise.split()) or "Unnamed exercise"
            if self.keys[name] not in self.builtin and name.casefold() not in self.user:
                counts[name] = counts.get(name, 0) + 1
        builtin = Catalogue()
        return [
            UnmappedName(name, n, self.keys[name], tuple(builtin.suggest(name)))
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def _build(
    source: SourceFile,
    athlete: Athlete,
    names: _Names,
    summary: ImportSummary,
    uow: UnitOfWork,
    strict: bool,
) -> tuple[list[Session], list[SetOrigin]]:
    groups: dict[str, list[ImportedSet]] = {}
    for item in source.sets:
        groups.setdefault(item.session_key, []).append(item)
    existing = {sid for sid, _ in uow.sessions.starts(athlete.id)}
    sessions: list[Session] = []
    origins: list[SetOrigin] = []
    volume = Decimal(0)
    for key, items in groups.items():
        first = items[0]
        day = first.started_at.date()
        summary.first_day = day if summary.first_day is None else min(summary.first_day, day)
        summary.last_day = day if summary.last_day is None else max(summary.last_day, day)
        sid = stable_id(_ms(first.started_at), f"{athlete.id}|{source.format}|{key}")
        if sid in existing:
            summary.sessions_skipped += 1
            summary.sets_skipped += len(items)
            for item in items:
                names.key(item)  # still reported: the names a re-import would use
            continue
        sets: list[SetRecord] = []
        made: list[SetOrigin] = []
        for item in items:
            position = len(sets) + 1
            at = _when(item, first.started_at, summary)
            set_id = stable_id(_ms(at), f"{sid}|{position}")
            try:
                sets.append(_set(item, sid, set_id, position, names.key(item), at))
            except ReplogError as exc:
                _reject(summary, exc, item, strict)
                continue
            made.append(SetOrigin(set_id, source.format, source.name, item.line, item.raw))
        ended = next((i.ended_at for i in items if i.ended_at is not None), None)
        if ended is not None and ended < first.started_at:
            ended = None
        try:
            session = Session(
                sid, athlete.id, first.started_at, ended, first.session_name[:200],
                first.session_notes, tuple(sets),
            )  # fmt: skip
        except ReplogError as exc:
            for item in items:
                _reject(summary, exc, item, strict)
            continue
        if not sets:
            continue
        existing.add(sid)
        sessions.append(session)
        origins.extend(made)
        volume += sum((x.load.exact_kg * x.reps for x in sets), Decimal(0))
        summary.sessions_created += 1
        summary.sets_created += len(sets)
    summary.volume_kg = float(volume)
    return sessions, origins


def _reject(summary: ImportSummary, exc: ReplogError, item: ImportedSet, strict: bool) -> None:
    """A set the model refuses: refuse the file (``strict``) or leave the set out, listed."""
    if strict:
        raise exc.located(line=item.line) from None
    summary.rejected.append(RejectedRow(item.line, exc.field or "", "", exc.message))


_NEAR = timedelta(hours=12)


def _when(item: ImportedSet, start: datetime, summary: ImportSummary) -> datetime:
    """The set's own time if the app gave a plausible one; else the workout's start. A time
    far from the workout is when it was typed in later (Liftosaur's tick time), not lifted."""
    at = item.performed_at
    if at is None:
        return start
    if not start - _NEAR <= at <= start + _NEAR:
        note = (
            "some sets were timed far from their workout (logged afterwards?): dated to the workout"
        )
        if note not in summary.warnings:
            summary.warnings.append(note)
        return start
    return at


def _set(
    item: ImportedSet, session_id: str, set_id: str, position: int, key: str, at: datetime
) -> SetRecord:
    return SetRecord(
        set_id,
        session_id,
        key,
        position,
        item.load,
        item.reps,
        at,
        rpe=item.rpe,
        rir=item.rir,
        kind=item.kind,
        rest_s=item.rest_s,
        tags=item.tags,
        notes=item.notes,
        rep_data=item.rep_data,
    )
