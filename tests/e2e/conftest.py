"""End-to-end fixtures: the ``replog`` command against a real SQLite file.

``cli`` runs the command in this process: Typer's ``CliRunner`` isolation (stdin, stdout and
stderr apart, the environment) around the console script's own entry point,
:func:`replog.cli.main.run`, so the same arguments give the same exit code and output as the
installed script, without a Python start-up and its imports on every call. ``cli_process``
runs the installed script in a subprocess; the smoke tests in test_cli_runner.py (marked
``console_script``) keep that path covered and check that both print the same.

``cli`` starts on a copy of a database migrated once per session (``migrated_sqlite_template``
in tests/conftest.py); ``Cli(path)`` or ``cli_process`` on a path that does not exist yet is a
first run, which creates and migrates the database itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPLOG = Path(sys.executable).with_name("replog")

# Fixed for both runners: Rich reads the width from $COLUMNS before it asks a terminal (a
# subprocess inherits pytest's stdin, which may be one), so lines wrap the same everywhere.
COLUMNS = "80"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """``cli(*args)``: ``replog *args`` run in this process; fails the test unless it exits 0
    (``ok=False`` allows any code). ``cli.fails(*args, code=1)``: it must exit with ``code``
    and say why in a line, not a traceback.

    A bug (an exception that is not a RepLog error) is not turned into the console script's
    one-line "internal error" here: ``REPLOG_DEBUG`` lets it out of the command, and the test
    fails on it with its traceback.
    """

    def __init__(self, db: Path):
        self.db = db
        self.env: dict[str, str | None] = {
            "REPLOG_DATABASE_URL": f"sqlite:///{db}",
            "REPLOG_ATHLETE": None,
            "REPLOG_DEBUG": "1",
            "COLUMNS": COLUMNS,
        }

    def __call__(self, *args: str, ok: bool = True, stdin: str | None = None) -> Result:
        result = self.run(list(args), stdin)
        if ok and result.code != 0:
            raise AssertionError(f"replog {' '.join(args)} exited {result.code}: {result.err}")
        return result

    def fails(self, *args: str, code: int = 1) -> Result:
        result = self(*args, ok=False)
        assert result.code == code, (result.code, result.out, result.err)
        assert "Traceback" not in result.err + result.out
        assert "internal error" not in result.err, result.err
        return result

    def run(self, args: list[str], stdin: str | None) -> Result:
        from typer.testing import CliRunner

        from replog.cli import main

        runner = CliRunner()
        saved_argv, saved_hook = sys.argv, sys.excepthook
        with self._fresh_state(), runner.isolation(input=stdin, env=self.env) as streams:
            out, err, _ = streams
            sys.argv = ["replog", *args]  # what the console script sees
            try:
                main.run()
                code = 0
            except SystemExit as exc:
                code = _exit_code(exc)
            except BaseException as exc:  # a bug, let out by REPLOG_DEBUG: fail with it
                sys.stderr.flush()
                said = err.getvalue().decode("utf-8", "replace")
                exc.add_note(f"raised by `replog {' '.join(args)}` (in process); stderr:\n{said}")
                raise
            finally:
                sys.argv = saved_argv
                sys.excepthook = saved_hook  # Typer installs its own on every call
                sys.stdout.flush()
                sys.stderr.flush()
            # read before the isolation ends: Typer's runner closes the streams then
            stdout, stderr = out.getvalue(), err.getvalue()
        return Result(code, _text(stdout), _text(stderr))

    @contextlib.contextmanager
    def _fresh_state(self) -> Iterator[None]:
        """Each invocation starts as a new process would: no database handle kept from the
        last one (``state`` caches a unit of work per process), and a ``__main__`` that is
        a script's, not a package's (Click names the program after ``__main__``: ``python -m
        pytest`` here, ``replog`` for the console script)."""
        from replog.cli.context import State, state

        vars(state).update(vars(State()))
        saved_main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = saved_main
            uow = state._uow
            vars(state).update(vars(State()))
            if uow is not None:
                uow.db.dispose()  # the writer's lock file, which a process would close on exit


def _exit_code(exc: SystemExit) -> int:
    """The process's exit status for ``sys.exit(exc.code)``."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")  # Python prints any other value and exits 1
    return 1


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


class ProcessCli(Cli):
    """``replog`` as installed: the console script in a subprocess (as a lifter runs it)."""

    def __init__(self, db: Path):
        super().__init__(db)
        self.env = {**os.environ, "REPLOG_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": COLUMNS}
        for name in ("REPLOG_ATHLETE", "REPLOG_DEBUG"):
            self.env.pop(name, None)

    def run(self, args: list[str], stdin: str | None) -> Result:
        proc = subprocess.run(
            [str(REPLOG), *args],
            capture_output=True,
            text=True,
            env=self.env,
            input=stdin,
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


def migrated_copy(template: Path, db: Path) -> Path:
    """``db``: a copy of the migrated template (what the first command would have made)."""
    shutil.copyfile(template, db)
    return db


@pytest.fixture
def cli(tmp_path: Path, migrated_sqlite_template: Path) -> Cli:
    """``replog`` in process on a migrated, empty database of this test's own."""
    return Cli(migrated_copy(migrated_sqlite_template, tmp_path / "replog.db"))


@pytest.fixture
def cli_process(tmp_path: Path) -> ProcessCli:
    """The installed ``replog`` console script, on a database its first command creates."""
    if not REPLOG.exists():
        pytest.skip(f"{REPLOG} is not installed")
    return ProcessCli(tmp_path / "replog.db")


@pytest.fixture
def server(migrated_database_url: str) -> Any:
    """A real RepLog server (uvicorn, loopback) on an empty, migrated database."""
    from replog.api.settings import ApiSettings
    from tests.e2e.api_support import running

    # Argon2id with light parameters: the same code path, a fifth of the time per login.
    settings = ApiSettings(
        migrated_database_url, log_requests=False, argon2_time_cost=1, argon2_memory_kib=8192
    )
    with running(settings) as srv:
        yield srv


@pytest.fixture(scope="session")
def squat_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """Three squats at 60 fps, 640x360, a red 0.45 m plate, the camera tilted 6 degrees and
    the bar drifting 0.2 m toward it; a few seconds of video, rendered in about as long."""
    from tests.e2e.video_support import render_squat

    out = tmp_path_factory.mktemp("video") / "squat.mp4"
    return render_squat(out, width=640, height=360, tilt_deg=6.0, drift_m=0.2)


@pytest.fixture(scope="session")
def tiny_squat_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """Two squats at 60 fps, 480x270, a level camera: about 1 MB, measured in about a
    second (for uploads through the API and the browser). At 320x180 the plate is 17 px in
    radius and reads 4-7 % small (velocities as much high): too few pixels for its rim."""
    from tests.e2e.video_support import render_squat

    out = tmp_path_factory.mktemp("video") / "tiny-squat.mp4"
    return render_squat(out, reps=2, width=480, height=270)


@pytest.fixture
def lifter_on() -> Any:
    """``lifter_on(server, username=None)``: a new account, its client closed after the test."""
    from tests.e2e.api_support import Lifter

    made: list[Lifter] = []

    def make(server: Any, username: str | None = None) -> Lifter:
        made.append(Lifter(server, username))
        return made[-1]

    yield make
    for lifter in made:
        lifter.close()
