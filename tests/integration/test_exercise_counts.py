"""Each athlete's sets per exercise are counted as they are written (issue 20, item 11: the
lifts' list and the pickers counted the whole log on every request), and the count stays
the true one through every kind of write."""

from __future__ import annotations

from collections import Counter

from replog.core.entry import parse_set_entry
from replog.core.units import Unit
from replog.io.strong import read_strong
from replog.services.editing import SetChanges, delete_session, delete_set, edit_set
from replog.services.importing import import_source
from replog.services.ports import UnitOfWork
from replog.services.training import undo_last
from tests.support import log_for, named

STRONG = (
    "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
    '2024-03-01 07:30:00,"Legs","Squat (Barbell)",1,100,5,0,0,"","",8\n'
    '2024-03-01 07:30:00,"Legs","Squat (Barbell)",2,100,5,0,0,"","",8\n'
    '2024-03-04 18:00:00,"Push","Bench Press (Barbell)",1,80,5,0,0,"","",7\n'
)


def truth(uow: UnitOfWork, athlete_id: str) -> dict[str, int]:
    with uow:
        sessions = uow.sessions.all_for(athlete_id)
    return dict(Counter(s.exercise for x in sessions for s in x.sets))


def test_the_counts_follow_every_write(uow: UnitOfWork) -> None:
    for words in ("squat 100kg x5", "squat 100kg 3x5", "bench 80kg x5", "deadlift 140kg x3"):
        log_for(uow, "ana", parse_set_entry(words.split(), Unit.KG))
    log_for(uow, "bo", parse_set_entry(["squat", "60kg", "x5"], Unit.KG))
    ana, bo = named(uow, "ana"), named(uow, "bo")
    import_source(uow, ana, read_strong(STRONG, name="s.csv"))
    with uow:
        used = uow.sets.exercises_used(ana.id)
        today = max(uow.sessions.all_for(ana.id), key=lambda x: len(x.sets))  # the logged
        squat = next(s for s in today.sets if s.exercise == "back-squat")
        bench = next(s for s in today.sets if s.exercise == "bench-press")
        version = uow.sets.versions([squat.id])[squat.id]
        imported = next(x for x in uow.sessions.all_for(ana.id) if len(x.sets) == 2)
    assert used == truth(uow, ana.id)
    assert used["back-squat"] == 6
    edit_set(uow, ana.id, squat.id, version, SetChanges(exercise="front squat"))
    undo_last(uow, ana)  # the deadlift
    delete_set(uow, ana.id, bench.id)
    delete_session(uow, ana.id, imported.id)  # two squats
    with uow:
        used, bos = uow.sets.exercises_used(ana.id), uow.sets.exercises_used(bo.id)
    assert used == truth(uow, ana.id) == {"back-squat": 3, "front-squat": 1, "bench-press": 1}
    assert bos == {"back-squat": 1} == truth(uow, bo.id)
