"""A large import is written in chunks and stays one import (issue 20, item 5): a 16 MiB
export held SQLite's one writer's lock for 16-21 s while other lifters' writes waited.
Now other lifters write between its chunks; a failed or killed import is undone whole."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from replog.core.entry import parse_set_entry
from replog.core.units import Unit
from replog.io.strong import read_strong
from replog.services import import_writer
from replog.services.athletes import athlete_or_new
from replog.services.import_writer import undo_stale_imports
from replog.services.importing import import_source
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork
from tests.integration.test_crash_safety import child
from tests.support import log_for

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"  # noqa: E501


def strong_csv(workouts: int, sets: int = 20) -> str:
    """A Strong export of ``workouts`` workouts of ``sets`` squat sets, a day apart."""
    rows = []
    start = datetime(2020, 1, 1, 18)
    for w in range(workouts):
        when = (start + timedelta(days=w)).isoformat(sep=" ")
        rows += [f"{when},Legs,1h,Squat (Barbell),{n + 1},100,5,0,0,,,8\n" for n in range(sets)]
    return HEADER + "".join(rows)


def sqlite_uow(tmp_path: Path, template: Path) -> SqlUnitOfWork:
    shutil.copyfile(template, tmp_path / "t.db")
    return SqlUnitOfWork(Database(f"sqlite:///{tmp_path}/t.db"))


def test_other_lifters_write_while_a_large_import_runs(
    tmp_path: Path, migrated_sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_writer, "CHUNK_SETS", 100)
    uow = sqlite_uow(tmp_path, migrated_sqlite_template)
    source = read_strong(strong_csv(300), name="big.csv")  # 6,000 sets, 60 chunks
    heavy, new = athlete_or_new(uow, "heavy")
    done = threading.Event()
    result: list[object] = []

    def run() -> None:
        try:
            result.append(import_source(SqlUnitOfWork(uow.db), heavy, source, new_athlete=new))
        finally:
            done.set()

    importer = threading.Thread(target=run)
    importer.start()
    waits = []
    other = SqlUnitOfWork(uow.db)
    while not done.is_set():
        t0 = time.perf_counter()
        log_for(other, "light", parse_set_entry(["bench", "60kg", "x8"], Unit.KG))
        waits.append(time.perf_counter() - t0)
    importer.join()
    summary = result[0]
    assert summary.sets_created == 6000  # type: ignore[attr-defined]
    assert len(waits) >= 5, waits  # others wrote between the chunks
    with uow:
        assert uow.sets.count(heavy.id) == 6000
        assert uow.imports.stale(datetime.now(UTC) + timedelta(days=1)) == []  # finished


KILLED_IMPORT = """
import sys
from replog.io.strong import read_strong
from replog.services import import_writer
from replog.services.athletes import athlete_or_new
from replog.services.importing import import_source
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

import_writer.CHUNK_SETS = 40
import_writer.CHUNK_PAUSE_S = 0.02
uow = SqlUnitOfWork(Database(sys.argv[1]))
athlete, new = athlete_or_new(uow, "heavy")
print("start", flush=True)
import_source(uow, athlete, read_strong(open(sys.argv[2]).read(), name="big.csv"),
              new_athlete=new)
print("done", flush=True)
"""


def test_an_import_killed_half_way_is_undone_and_can_be_run_again(
    tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    uow = sqlite_uow(tmp_path, migrated_sqlite_template)
    csv = tmp_path / "big.csv"
    csv.write_text(strong_csv(200))  # 4,000 sets, 100 chunks
    url = f"sqlite:///{tmp_path}/t.db"
    with child(KILLED_IMPORT, url, str(csv), stderr=tmp_path / "err.txt") as importer:
        importer.wait_for("start")
        deadline = time.monotonic() + 30
        while True:
            with uow:
                found = uow.athletes.by_name("heavy")  # made by the import's first write
                written = 0 if found is None else uow.sets.count(found.id)
            if written >= 400 or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        importer.sigkill()
    with uow:
        heavy = uow.athletes.by_name("heavy")
        assert heavy is not None
        half = uow.sets.count(heavy.id)
    assert 400 <= half < 4000  # killed half-way: its chunks are there...
    assert undo_stale_imports(uow) == 0  # ...for a while, as its writer may be alive
    assert undo_stale_imports(uow, datetime.now(UTC) + timedelta(minutes=11)) == 1
    with uow:
        assert uow.sets.count(heavy.id) == 0  # undone whole
    summary = import_source(uow, heavy, read_strong(csv.read_text(), name="big.csv"))
    assert (summary.sets_created, summary.sessions_created) == (4000, 200)
    with uow:
        assert uow.sets.count(heavy.id) == 4000
