"""Crash safety: a set acknowledged to the lifter survives the process being killed.

The writers are real processes (``sys.executable -c``) killed with SIGKILL, so nothing is
flushed or rolled back politely: only what the database made durable at commit is left.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from replog.core.entry import parse_set_entry
from replog.core.units import Unit
from replog.storage.database import HEAD_REVISION, Database
from replog.storage.uow import SqlUnitOfWork
from tests.support import log_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")

WRITER = """
import sys
from replog.core.entry import parse_set_entry
from replog.core.units import Unit
from replog.services.athletes import athlete_or_new
from replog.services.log_set import log_set
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
uow = SqlUnitOfWork(Database(url))
entry = parse_set_entry(["squat 100kg x5 @8"], Unit.KG)
for _ in range(count):
    athlete, new = athlete_or_new(uow, name)
    logged = log_set(uow, athlete, entry, new_athlete=new).logged
    # acknowledged only once log_set has returned, i.e. after the commit
    print(logged.sets[0].id, flush=True)
"""

MIGRATOR = """
import sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from replog.storage.database import Database

pause_after = int(sys.argv[2])  # CREATE statements; 0: never pause
created = 0

@event.listens_for(Engine, "after_cursor_execute")
def pause(conn, cursor, statement, parameters, context, executemany):
    global created
    if statement.lstrip().upper().startswith("CREATE"):
        created += 1
        if created == pause_after:
            print("paused", flush=True)
            sys.stdin.readline()  # until the test says go on (or kills us)

print("start", flush=True)
Database(sys.argv[1]).connect().close()
print("done", flush=True)
"""

TIMEOUT_S = 60


class Child:
    """A Python child process with its stdout read line by line and stderr in a file."""

    def __init__(self, script: str, args: list[str], stderr: Path):
        self.stderr = stderr
        self._err = stderr.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
        )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout

    def line(self) -> str:
        line = self.stdout.readline()
        assert line, f"the child ended early: {self.stderr.read_text()}"
        return line.rstrip("\n")

    def wait_for(self, word: str) -> None:
        while self.line() != word:
            pass

    def sigkill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(TIMEOUT_S) == -signal.SIGKILL

    def finish(self) -> tuple[int, str]:
        out, _ = self.proc.communicate(timeout=TIMEOUT_S)
        return self.proc.returncode, out

    def close(self) -> None:
        self.proc.kill()  # a no-op when it has ended
        self.proc.wait(TIMEOUT_S)
        for stream in (self.stdin, self.stdout, self._err):
            stream.close()


@contextmanager
def child(script: str, *args: str, stderr: Path) -> Iterator[Child]:
    c = Child(script, list(args), stderr)
    try:
        yield c
    finally:
        c.close()


def stored_set_ids(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        return {row[0] for row in raw.execute("SELECT id FROM sets")}


def positions(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as raw:
        return [p for (p,) in raw.execute("SELECT position FROM sets ORDER BY position")]


def assert_still_usable(url: str) -> None:
    uow = SqlUnitOfWork(Database(url))
    logged = log_for(uow, "lifter", parse_set_entry(["bench 60kg x8"], Unit.KG))
    with uow:
        assert uow.sets.get(logged.sets[0].id) == logged.sets[0]


@pytest.mark.parametrize("kill_after", [1, 30, 77])
def test_sigkill_loses_no_acknowledged_set(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "t.db"
    url = f"sqlite:///{path}"
    with child(WRITER, url, "lifter", "1000000", stderr=tmp_path / "err.txt") as writer:
        acknowledged = [writer.line() for _ in range(kill_after)]
        writer.sigkill()  # mid-stream: no pause after the last read
        # lines already in the pipe were printed after their commit, so they count too
        rest = writer.stdout.read()
    acknowledged += [line.strip() for line in rest.splitlines(keepends=True) if line.endswith("\n")]

    stored = stored_set_ids(path)
    assert set(acknowledged) <= stored
    assert len(stored) <= len(acknowledged) + 1  # at most the one whose ack was cut off
    assert_still_usable(url)
    assert positions(path) == list(range(1, len(stored) + 2))


def test_two_writers_on_one_new_file_lose_nothing(tmp_path: Path) -> None:
    """Both start on a database that does not exist yet: one migrates, the other waits."""
    path = tmp_path / "t.db"
    url = f"sqlite:///{path}"
    n = 40
    with (
        child(WRITER, url, "lifter", str(n), stderr=tmp_path / "e1.txt") as one,
        child(WRITER, url, "lifter", str(n), stderr=tmp_path / "e2.txt") as two,
    ):
        results = [one.finish(), two.finish()]
    errors = (tmp_path / "e1.txt").read_text() + (tmp_path / "e2.txt").read_text()
    assert [rc for rc, _ in results] == [0, 0], errors
    ids = [line for _, out in results for line in out.split()]
    assert len(ids) == len(set(ids)) == 2 * n
    assert stored_set_ids(path) == set(ids)
    assert positions(path) == list(range(1, 2 * n + 1))
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT COUNT(*) FROM athletes").fetchone() == (1,)


@pytest.mark.parametrize("pause_after", [1, 5, 11])
def test_migration_killed_half_way_leaves_a_usable_database(
    database_url: str, tmp_path: Path, pause_after: int
) -> None:
    """Creating the schema is all or nothing, so the next start simply creates it again."""
    with child(MIGRATOR, database_url, str(pause_after), stderr=tmp_path / "e.txt") as m:
        m.wait_for("paused")
        m.sigkill()
    db = Database(database_url)
    assert db.current_revision() is None
    db.connect().close()
    assert db.current_revision() == HEAD_REVISION
    assert_still_usable(database_url)


@pytest.mark.parametrize("first_ends", ["killed", "finished"])
def test_second_process_waits_for_a_migration_in_progress(
    database_url: str, tmp_path: Path, first_ends: str
) -> None:
    """A process opens the database while another is creating the schema."""
    with child(MIGRATOR, database_url, "5", stderr=tmp_path / "e1.txt") as first:
        first.wait_for("paused")
        with child(MIGRATOR, database_url, "0", stderr=tmp_path / "e2.txt") as second:
            second.wait_for("start")
            time.sleep(0.3)  # time to reach the lock the first one holds
            assert second.proc.poll() is None, second.stderr.read_text()
            if first_ends == "killed":
                first.sigkill()
            else:
                first.stdin.write("go on\n")
                first.stdin.flush()
                assert first.finish() == (0, "done\n"), first.stderr.read_text()
            assert second.finish() == (0, "done\n"), second.stderr.read_text()
    assert Database(database_url).current_revision() == HEAD_REVISION
    assert_still_usable(database_url)


def test_two_concurrent_writers_lose_nothing_on_either_engine(
    database_url: str, tmp_path: Path
) -> None:
    """Writers for the same athlete must not collide on the next set position."""
    Database(database_url).connect().close()  # schema first: this test is about the writes
    n = 25
    with (
        child(WRITER, database_url, "lifter", str(n), stderr=tmp_path / "e1.txt") as one,
        child(WRITER, database_url, "lifter", str(n), stderr=tmp_path / "e2.txt") as two,
    ):
        results = [one.finish(), two.finish()]
    errors = (tmp_path / "e1.txt").read_text() + (tmp_path / "e2.txt").read_text()
    assert [rc for rc, _ in results] == [0, 0], errors
    ids = {line for _, out in results for line in out.split()}
    assert len(ids) == 2 * n
    uow = SqlUnitOfWork(Database(database_url))
    with uow:
        (athlete,) = uow.athletes.list()
        session = uow.sessions.latest(athlete.id)
        assert session is not None
        assert {s.id for s in session.sets} == ids
        assert [s.position for s in session.sets] == list(range(1, 2 * n + 1))
