"""End-to-end fixtures: the real ``replog`` console script against a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPLOG = Path(sys.executable).with_name("replog")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    def __init__(self, db: Path):
        self.db = db
        self.env = {**os.environ, "REPLOG_DATABASE_URL": f"sqlite:///{db}"}
        self.env.pop("REPLOG_ATHLETE", None)

    def __call__(self, *args: str, ok: bool = True, stdin: str | None = None) -> Result:
        proc = subprocess.run(
            [str(REPLOG), *args],
            capture_output=True,
            text=True,
            env=self.env,
            input=stdin,
            timeout=60,
        )
        result = Result(proc.returncode, proc.stdout, proc.stderr)
        if ok and proc.returncode != 0:
            raise AssertionError(f"replog {' '.join(args)} failed: {proc.stderr}")
        return result

    def fails(self, *args: str, code: int = 1) -> Result:
        result = self(*args, ok=False)
        assert result.code == code, (result.code, result.out, result.err)
        assert "Traceback" not in result.err + result.out
        return result


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "replog.db")


@pytest.fixture
def server(database_url: str) -> Any:
    """A real RepLog server (uvicorn, loopback) on an empty database."""
    from replog.api.settings import ApiSettings
    from tests.e2e.api_support import running

    # Argon2id with light parameters: the same code path, a fifth of the time per login.
    settings = ApiSettings(
        database_url, log_requests=False, argon2_time_cost=1, argon2_memory_kib=8192
    )
    with running(settings) as srv:
        yield srv


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
