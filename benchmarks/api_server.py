"""The API benchmark's server and data: ``replog serve`` in its own process group, lifters
signed up over HTTP with eight weeks of history each, and the databases (a SQLite file, and
a fresh PostgreSQL schema dropped afterwards)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from api_cpu import _group_pids
from api_load import HOST, _profile_velocity

REPLOG = Path(sys.executable).with_name("replog")
POSTGRES_URL = os.environ.get(
    "REPLOG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct horse battery staple"
HISTORY_SESSIONS, HISTORY_SETS = 16, (60, 80, 100, 110, 120)


# the server ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``replog --db URL serve`` in its own process group (workers and all)."""

    def __init__(self, url: str, workers: int, log: Path):
        self.url, self.workers, self.port = url, workers, _free_port()
        self.log_path = log
        self.log = log.open("ab")
        env = {**os.environ, "REPLOG_DATABASE_URL": url}
        self.command = [
            str(REPLOG), "--db", url, "serve", "--port", str(self.port),
            "--workers", str(workers),
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            self.command, stdout=self.log, stderr=self.log, env=env, start_new_session=True
        )
        self.api = f"http://{HOST}:{self.port}/api/v1"
        self._wait()

    def _wait(self) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                up = httpx.get(f"{self.api}/health", timeout=2).status_code == 200
                if up and (self.workers == 1 or len(self.worker_pids()) >= self.workers):
                    return
            time.sleep(0.1)
        raise RuntimeError("the server did not answer /health within 60 s")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests (the supervisor too, when W=1)."""
        pids = _group_pids(self.proc.pid)
        if self.workers == 1:
            return pids
        return [p for p in pids if p != self.proc.pid and _is_worker(p)]

    def errors_logged(self) -> int:
        text = self.log_path.read_text(errors="replace")
        return len(re.findall(r'"level": "(?:error|critical)"', text))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def _is_worker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read()
    except OSError:
        return False
    return b"spawn_main" in cmd  # a uvicorn worker (multiprocessing's spawn)


# lifters and their history ----------------------------------------------------------------
def sign_up(api: str, n: int) -> list[dict[str, Any]]:
    import httpx

    lifters = []
    with httpx.Client(base_url=api, timeout=60) as http:
        for i in range(n):
            name = f"bench-{uuid.uuid4().hex[:8]}"
            r = http.post("/auth/signup", json={"username": name, "password": PASSWORD})
            r.raise_for_status()
            athlete_id = r.json()["athlete"]["id"]
            r = http.post(
                "/auth/login", json={"username": name, "password": PASSWORD, "kind": "api"}
            )
            r.raise_for_status()
            lifters.append(
                {"athlete_id": athlete_id, "token": r.json()["token"], "one_rm": 150.0 + 5 * i}
            )
    return lifters


def seed_history(api: str, lifters: list[dict[str, Any]], anchor: datetime) -> int:
    """Sixteen sessions over the eight weeks before ``anchor``, five squat sets each."""
    import httpx

    def one(lifter: dict[str, Any]) -> int:
        headers = {"Authorization": f"Bearer {lifter['token']}"}
        aid, logged = lifter["athlete_id"], 0
        with httpx.Client(base_url=api, headers=headers, timeout=60) as http:
            for d in range(HISTORY_SESSIONS):
                at = anchor - timedelta(days=54) + timedelta(days=3.5 * d)
                r = http.post(
                    f"/athletes/{aid}/sessions",
                    json={"id": str(uuid.uuid4()), "started_at": at.isoformat()},
                )
                r.raise_for_status()
                sid = r.json()["id"]
                for k, kg in enumerate(HISTORY_SETS):
                    v = round(_profile_velocity(kg, lifter["one_rm"]) + 0.01 * (d % 3), 3)
                    r = http.post(
                        f"/athletes/{aid}/sets",
                        json={
                            "id": str(uuid.uuid4()), "exercise": "squat", "load": kg, "reps": 3,
                            "rpe": 6 + k * 0.5, "velocities": [v, v - 0.02, v - 0.04],
                            "session_id": sid,
                            "performed_at": (at + timedelta(minutes=4 * k)).isoformat(),
                        },
                    )  # fmt: skip
                    r.raise_for_status()
                    logged += 1
        return logged

    counts: list[int] = []
    threads = [threading.Thread(target=lambda x=x: counts.append(one(x))) for x in lifters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(counts) != len(lifters):
        raise RuntimeError("seeding the history failed (see the traceback above)")
    return sum(counts)


# the databases -----------------------------------------------------------------------------
@contextlib.contextmanager
def databases(tmp: Path, postgres: bool, sqlite: bool = True) -> Iterator[list[tuple[str, str]]]:
    made: list[tuple[str, str]] = [("sqlite", f"sqlite:///{tmp}/bench.db")] if sqlite else []
    schema = None
    if postgres:
        try:
            import psycopg

            schema = f"replog_bench_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            sep = "&" if "?" in POSTGRES_URL else "?"
            made.append(("postgresql", f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"))
        except Exception as exc:  # not reachable: SQLite alone
            print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
            schema = None
    try:
        yield made
    finally:
        if schema is not None:
            import psycopg

            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def analyze_postgres(url: str) -> dict[str, Any]:
    """ANALYZE the bench schema's tables: what autovacuum does in a steady state.

    The planner needs the statistics: without them (a database that grew from empty with
    autovacuum off, as on this machine) it reads a session's reps with a sequential scan of
    the whole reps table. Returns the server's autovacuum setting, for the record.
    """
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchall()
        ]
        for t in tables:
            conn.execute(f'ANALYZE "{t}"')
        row = conn.execute("SHOW autovacuum").fetchone()
    return {"autovacuum": row[0] if row else None, "analyzed_before_each_run": True}
