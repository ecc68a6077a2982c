"""Scale: pages, reads and logging a set against one lifter's long history (issue 20).

Run: `.venv/bin/python benchmarks/bench_scale.py [--years 1,4,16] [--no-server]`. Prints
the figures and writes benchmarks/results/scale.json (about five minutes on two cores).

- **reads**: the web app and the API, in process through the real ASGI app on a SQLite
  file, for the same lifter over 1, 4 and 16 years (about 3,700 sets a year: four sessions
  a week, three lifts, six sets a lift, each set with its reps' velocities). Each page is
  asked for once (the first answer may store analyses) and then timed: median of five.
- **log_set**: server CPU (process time, client included) per set logged over the API with
  100, 1,000 and 10,000 sets of history; the floor is within 1.5x of the 100-set figure.
- **server** (:mod:`scale_server`, a real `replog serve` with the default Argon2 cost):
  another lifter's log-set latency under 64 clients signing in with wrong passwords, and
  during a 16 MiB Strong import by a third; the server's memory while it streams each
  export of a 138,000-set log.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

import scale_server
from bench_analytics import make_sessions
from replog.api.settings import ApiSettings
from replog.core.model import Session
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork
from replog.web.app import create_web_app

RESULTS = Path(__file__).with_name("results") / "scale.json"
PASSWORD = "correct horse battery staple"
PLAN = [(0.4, 5), (0.6, 3), (0.78, 5), (0.78, 5), (0.8, 4), (0.7, 8)]  # six sets a lift
SETS_PER_SESSION = 3 * len(PLAN)


def sessions_for(athlete_id: str, n_sessions: int, end: datetime) -> list[Session]:
    """``n_sessions`` sessions, four a week (:mod:`bench_analytics`' lifts), the last a
    few days before ``end``."""
    start = end - timedelta(days=7 * (n_sessions // 4 + 1))
    return make_sessions(athlete_id, n_sessions, start, PLAN)


class Lifter:
    """A signed-up account on a fresh SQLite file, its history stored directly."""

    def __init__(self, tmp: str, name: str):
        self.url = f"sqlite:///{tmp}/{name}.db"
        settings = ApiSettings(self.url, log_requests=False, argon2_time_cost=1,
                               argon2_memory_kib=8192)  # fmt: skip
        self.client = TestClient(create_web_app(settings), base_url="http://localhost")
        self.client.__enter__()
        account = {"username": name, "password": PASSWORD}
        r = self.client.post("/api/v1/auth/signup", json={**account, "unit": "kg"})
        r.raise_for_status()
        self.athlete_id: str = r.json()["athlete"]["id"]
        r = self.client.post("/api/v1/auth/login", json={**account, "kind": "session"})
        r.raise_for_status()
        self.csrf = self.client.cookies.get("replog_csrf") or ""

    def store(self, sessions: list[Session]) -> None:
        uow = SqlUnitOfWork(Database(self.url))
        with uow:
            for x in sessions:
                uow.sessions.add(x)
            uow.commit()
        uow.db.refresh_statistics()  # as the server does within a minute of a bulk write
        uow.db.dispose()

    def get(self, path: str) -> None:
        r = self.client.get(path)
        if r.status_code != 200:
            raise RuntimeError(f"GET {path}: {r.status_code} {r.text[:300]}")

    def close(self) -> None:
        self.client.__exit__(None, None, None)


def median_ms(fn: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 1)


def reads(lifter: Lifter, last: Session, runs: int) -> dict[str, float]:
    a = lifter.athlete_id
    paths = {
        "page /": "/",
        "page /history": "/history",
        "page /history/{last}": f"/history/{last.id}",
        "page /exercises": "/exercises",
        "page /exercises/back-squat": "/exercises/back-squat",
        "page /battery": "/battery",
        "page /insights": "/insights",
        "page /drive": "/drive",
        "page /drive/pap": "/drive/pap",
        "api sessions (limit 20)": f"/api/v1/athletes/{a}/sessions?limit=20",
        "api session": f"/api/v1/sessions/{last.id}",
        "api session analysis": f"/api/v1/sessions/{last.id}/analysis",
        "api profile back-squat": f"/api/v1/athletes/{a}/profiles/back-squat",
        "api e1rm back-squat": f"/api/v1/athletes/{a}/e1rm/back-squat",
        "api readiness": f"/api/v1/athletes/{a}/readiness",
        "api exercises": f"/api/v1/athletes/{a}/exercises",
    }
    out = {}
    for label, path in paths.items():
        t0 = time.perf_counter()
        lifter.get(path)  # the first answer may compute and store analyses
        out[label + " (first)"] = round((time.perf_counter() - t0) * 1000, 1)
        out[label] = median_ms(lambda p=path: lifter.get(p), runs)  # type: ignore[misc]
    return out


def log_set_cpu(lifter: Lifter, n: int) -> dict[str, float]:
    """Process CPU per set over ``n`` sets logged through the API, in sessions of 18."""
    headers = {"X-CSRF-Token": lifter.csrf}
    cpu = []
    for i in range(n):
        body = {"exercise": "back-squat", "load": 140, "reps": 3, "rpe": 8,
                "velocities": [0.62, 0.6, 0.57]}  # fmt: skip
        c0 = time.process_time()
        r = lifter.client.post(f"/api/v1/athletes/{lifter.athlete_id}/sets", json=body,
                               headers=headers)  # fmt: skip
        cpu.append(time.process_time() - c0)
        if r.status_code not in (200, 201):
            raise RuntimeError(f"log set {i}: {r.status_code} {r.text[:300]}")
    return {"sets": n, "median_cpu_ms": round(statistics.median(cpu) * 1000, 2),
            "mean_cpu_ms": round(statistics.fmean(cpu) * 1000, 2)}  # fmt: skip


def server_figures(tmp: Path, now: datetime) -> dict[str, Any]:
    """A login flood, an import and an export against a real `replog serve`."""
    out: dict[str, Any] = {}
    with scale_server.server(tmp / "flood.db") as (_, base):
        out["login_flood"] = scale_server.login_flood(base)
        print(f"\n64 bogus logins: another lifter's log_set {out['login_flood']}", flush=True)
    with scale_server.server(tmp / "import.db") as (_, base):
        out["import_wait"] = scale_server.import_wait(base)
        print(f"16 MiB import: {out['import_wait']}", flush=True)
    lifter = Lifter(str(tmp), "exporter")
    lifter.store(sessions_for(lifter.athlete_id, 138_000 // SETS_PER_SESSION, now))
    lifter.close()
    with scale_server.server(tmp / "exporter.db") as (pid, base):
        r = httpx.post(f"{base}/auth/login", json={"username": "exporter", "password": PASSWORD,
                                                    "kind": "api"})  # fmt: skip
        auth = {"Authorization": f"Bearer {r.json()['token']}"}
        with httpx.Client(base_url=base, headers=auth, timeout=600) as client:
            client.get(f"/athletes/{lifter.athlete_id}/sessions")  # warm
            out["export_138k_sets"] = scale_server.export_memory(pid, base, client,
                                                                 lifter.athlete_id)  # fmt: skip
        print(f"export of 138k sets: {out['export_138k_sets']}", flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", default="1,4,16")
    ap.add_argument("--histories", default="100,1000,10000", help="sets of history for log_set")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--no-server",
        dest="server",
        action="store_false",
        help="skip the login flood, the import and the export on a real server",
    )
    args = ap.parse_args()
    now = datetime.now(UTC)
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "date": now.date().isoformat(),
        "reads_ms": {},
        "log_set": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for sets in (int(x) for x in args.histories.split(",")):
            lifter = Lifter(tmp, f"lifter-{sets}-sets")
            lifter.store(sessions_for(lifter.athlete_id, max(1, sets // SETS_PER_SESSION), now))
            log_set_cpu(lifter, 5)  # warm
            figure = log_set_cpu(lifter, 30)
            results["log_set"][f"{sets} sets of history"] = figure
            print(f"log_set at {sets:>6} sets of history: {figure}", flush=True)
            lifter.close()
        for years in (int(x) for x in args.years.split(",")):
            lifter = Lifter(tmp, f"lifter-{years}y")
            history = sessions_for(lifter.athlete_id, years * 52 * 4, now)
            t0 = time.perf_counter()
            lifter.store(history)
            stored = time.perf_counter() - t0
            n_sets = len(history) * SETS_PER_SESSION
            figures = reads(lifter, history[-1], args.runs)
            results["reads_ms"][f"{years} years ({n_sets} sets)"] = figures
            print(f"\n{years} years, {n_sets} sets (stored in {stored:.1f} s):")
            for label, ms in figures.items():
                print(f"  {label:<40} {ms:>8.1f} ms")
            sys.stdout.flush()
            lifter.close()
        if args.server:
            results["server"] = server_figures(Path(tmp), now)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
