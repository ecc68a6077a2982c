"""Writing a large import without holding other lifters back: in chunks, undone as a whole.

On SQLite a write transaction holds the one writer's lock of the database: a 16 MiB Strong
export (300,000 sets) written in one transaction kept every other lifter's writes waiting for
16 s. :func:`write_in_chunks` writes an import's new sessions a chunk of about
:data:`CHUNK_SETS` sets at a time, each chunk its own short transaction, after everything has
been read, checked and matched outside the lock (the caller's work). Between chunks others
write.

It stays one logical import: a journal (:class:`replog.services.ports.ImportJournal`) notes
the sessions each chunk wrote in the chunk's own transaction; if a chunk fails, the chunks
before are deleted before the error goes on, and an import whose writer was killed half-way
is undone by :func:`undo_stale_imports` (the server calls it as it starts, every import
before it begins). Readers may see an import's first chunks while it is being written.
Sessions have ids derived from their content, so a chunk skips a session someone else
wrote meanwhile (the same file imported twice at once) instead of failing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

from replog.core.exercises import Exercise
from replog.core.ids import new_id
from replog.core.model import Athlete, Session, SetOrigin
from replog.services.athletes import write_new_athlete
from replog.services.ports import UnitOfWork

CHUNK_SETS = 2000
"""Sets written per transaction: about 0.1 s of a 2-core machine's writing on SQLite."""

CHUNK_PAUSE_S = 0.005
"""A pause after each chunk: locks are not handed over in turn (a thread, or a process
polling the lock file, could otherwise find it taken again at once)."""

STALE_AFTER = timedelta(minutes=10)
"""An unfinished import not written to for this long has lost its writer."""


def write_in_chunks(
    uow: UnitOfWork,
    athlete: Athlete,
    new_athlete: bool,
    exercises: Sequence[Exercise],
    sessions: Sequence[Session],
    origins: Iterable[SetOrigin],
    now: datetime | None = None,
) -> list[Session]:
    """Write the athlete (if new), the exercises, then the sessions with their sets'
    origins, chunk by chunk; all of it or, on any error, none of the sessions. Returns the
    sessions written (less those someone else wrote meanwhile)."""
    undo_stale_imports(uow, now)
    journal = new_id()
    by_set = {o.set_id: o for o in origins}
    with uow:
        if new_athlete:
            athlete = write_new_athlete(uow, athlete)
        for ex in exercises:
            uow.exercises.add(ex)
        uow.imports.begin(journal, athlete.id, _now(now))
        uow.commit()
    written: list[Session] = []
    try:
        for chunk in _chunks(sessions):
            with uow:
                first_sets = [s.sets[0].id for s in chunk]
                there = uow.sets.versions(first_sets)  # written meanwhile by someone else
                fresh = [s for s in chunk if s.sets[0].id not in there]
                uow.sessions.add_many(fresh)
                uow.origins.add_many(by_set[x.id] for s in fresh for x in s.sets if x.id in by_set)
                uow.imports.wrote(journal, [s.id for s in fresh], _now(now))
                uow.commit()
            written += fresh
            time.sleep(CHUNK_PAUSE_S)  # a writer waiting for the lock takes it now
        with uow:
            uow.imports.finish(journal)
            uow.commit()
    except BaseException:
        with uow:
            uow.imports.undo(journal)
            uow.commit()
        raise
    return written


def undo_stale_imports(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Undo the imports whose writer died half-way (not written to for
    :data:`STALE_AFTER`); how many."""
    with uow:
        stale = uow.imports.stale(_now(now) - STALE_AFTER)
        for journal in stale:
            uow.imports.undo(journal)
        if stale:
            uow.commit()
    return len(stale)


def _chunks(sessions: Sequence[Session]) -> Iterator[list[Session]]:
    chunk: list[Session] = []
    size = 0
    for s in sessions:
        chunk.append(s)
        size += len(s.sets)
        if size >= CHUNK_SETS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)
