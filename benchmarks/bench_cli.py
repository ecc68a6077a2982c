"""CLI speed: logging one set (cold start included) and `replog history` over 50,000 sets.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_cli.py`). Prints the figures and
writes them to benchmarks/results/cli.json. Each command is a fresh process, as a lifter
runs it, so interpreter start-up and imports are part of every figure.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from replog.core.ids import new_id
from replog.core.model import Athlete, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

REPLOG = Path(sys.executable).with_name("replog")
RESULTS = Path(__file__).with_name("results") / "cli.json"


def timed(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(REPLOG), *args], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "runs": len(times),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def fill(url: str, n_sets: int, exercises: list[str]) -> None:
    """n_sets working sets, five per session, each rep with a velocity."""
    uow = SqlUnitOfWork(Database(url))
    start = datetime(2016, 1, 4, 18, tzinfo=UTC)
    with uow:
        athlete = Athlete(new_id(), "bench", Unit.KG, 80.0, start)
        uow.athletes.add(athlete)
        for n in range(n_sets // 5):
            at = start + timedelta(hours=12 * n)
            sid = new_id(int(at.timestamp() * 1000))
            sets = []
            for k in range(5):
                kg = Decimal(60 + (n % 40) * 2.5)
                reps = 3 + (n + k) % 6
                sets.append(
                    SetRecord(
                        new_id(),
                        sid,
                        exercises[n % len(exercises)],
                        k + 1,
                        Load(kg, Unit.KG),
                        reps,
                        at + timedelta(minutes=3 * k),
                        rpe=8.0,
                        kind=SetKind.WORKING,
                        rep_data=tuple(
                            Rep(i + 1, round(0.8 - 0.02 * i, 3), source=RepSource.DEVICE)
                            for i in range(reps)
                        ),
                    )
                )
            uow.sessions.add(Session(sid, athlete.id, at, sets=tuple(sets)))
        uow.commit()


def main() -> None:
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "date": datetime.now(UTC).date().isoformat(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REPLOG_DATABASE_URL": f"sqlite:///{tmp}/log.db"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        timed(["log", "squat", "100", "x5"], env, 1)  # creates the database once
        log = timed(
            ["log", "squat", "100kg", "x5", "@8", "--v", "0.61,0.60,0.58,0.57,0.55"], env, 30
        )
        results["log_one_set"] = summary(log)

        for label, exercises in (
            ("history_50k_one_lift", ["back-squat"]),
            (
                "history_50k_five_lifts",
                ["back-squat", "bench-press", "deadlift", "overhead-press", "barbell-row"],
            ),
        ):
            url = f"sqlite:///{tmp}/{label}.db"
            t0 = time.perf_counter()
            fill(url, 50_000, exercises)
            fill_s = time.perf_counter() - t0
            env_h = {**env, "REPLOG_DATABASE_URL": url}
            results[label] = {
                "fill_s": round(fill_s, 1),
                "table": summary(timed(["history", "squat"], env_h, 7)),
                "json": summary(timed(["history", "squat", "--json"], env_h, 7)),
            }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
