"""Analytics speed: one session (it runs on every logged set) and a whole 10-year history.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_analytics.py`). Prints the figures
and writes benchmarks/results/analytics.json. The history is ten years of four sessions a
week, ~60,000 sets with five measured reps each, generated in memory; the database figure
reads the stored analyses of the same history from a SQLite file ("_cold": with none stored,
so all of them are computed and stored); "one_session_from_sqlite" is what runs after a set
is logged: read the session and the eight weeks before it, fit, analyse, store.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from replog.core.analysis import analyze_session
from replog.core.exercises import BUILTIN
from replog.core.ids import new_id
from replog.core.lift_model import ExerciseHistory
from replog.core.model import Athlete, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit
from replog.services.analytics import (
    analyze_sessions,
    analyze_stored,
    history_analyses,
    models_before,
)
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

RESULTS = Path(__file__).with_name("results") / "analytics.json"
LIFTS = {  # key: (1RM kg, velocity at 0% and 100% 1RM)
    "back-squat": (160, 1.80, 0.30),
    "bench-press": (110, 1.60, 0.17),
    "deadlift": (200, 1.20, 0.15),
    "overhead-press": (67.5, 1.45, 0.19),
    "barbell-row": (100, 1.50, 0.50),
}
DAYS = (("back-squat", "bench-press", "barbell-row"), ("deadlift", "overhead-press", "back-squat"))
PLAN = [(0.4, 5), (0.6, 3)] + [(0.78, 5)] * 5 + [(0.8, 4)] * 2 + [(0.7, 8)]  # 10 sets a lift


def make_history(years: int = 10, seed: int = 1) -> tuple[Athlete, list[Session]]:
    start = datetime(2016, 1, 4, 18, tzinfo=UTC)
    athlete = Athlete(new_id(), "bench", Unit.KG, 83.0, start)
    return athlete, make_sessions(athlete.id, years * 52 * 4, start, PLAN, seed)


def make_sessions(
    athlete_id: str, n: int, start: datetime, plan: list[tuple[float, int]], seed: int = 1
) -> list[Session]:
    """``n`` sessions from ``start``, four a week, two alternating days of three lifts,
    each lift done as ``plan`` (%1RM, reps); every rep with a velocity."""
    rng = random.Random(seed)
    sessions = []
    for n_ in range(n):
        at = start + timedelta(days=7 * (n_ // 4) + (0, 1, 3, 5)[n_ % 4])
        sid, sets, pos = new_id(int(at.timestamp() * 1000)), [], 0
        for key in DAYS[n_ % 2]:
            one_rm, v0, v1 = LIFTS[key]
            for k, (pct, reps) in enumerate(plan):
                pos += 1
                kg = round(one_rm * pct / 2.5) * 2.5
                v = v0 - (v0 - v1) * pct + rng.gauss(0, 0.02) - 0.004 * k
                sets.append(
                    SetRecord(
                        new_id(),
                        sid,
                        key,
                        pos,
                        Load(Decimal(str(kg)), Unit.KG),
                        reps,
                        at + timedelta(minutes=3 * pos),
                        rpe=8.0,
                        kind=SetKind.WARMUP if k < 2 else SetKind.WORKING,
                        rep_data=tuple(
                            Rep(
                                i + 1,
                                round(max(0.1, v * (1 - 0.03 * i)), 3),
                                source=RepSource.DEVICE,
                            )
                            for i in range(reps)
                        ),
                    )
                )
        sessions.append(Session(sid, athlete_id, at, sets=tuple(sets)))
    return sessions


def timed(fn, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
    }


def main() -> None:
    athlete, sessions = make_history()
    n_sets = sum(len(s.sets) for s in sessions)
    exercises = {e.key: e for e in BUILTIN}
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "date": datetime.now(UTC).date().isoformat(),
        "history": {
            "sessions": len(sessions),
            "sets": n_sets,
            "reps": sum(s.reps for x in sessions for s in x.sets),
        },
    }
    last = sessions[-1]
    rows: dict[str, list] = {}
    for x in sessions[:-1]:
        for s in x.sets:
            rows.setdefault(s.exercise, []).append((x.started_at, s))
    history = {k: ExerciseHistory.of(r) for k, r in rows.items()}
    models, _ = models_before(history, last.started_at)
    results["one_session_core"] = timed(lambda: analyze_session(last, exercises, models), 200)
    results["one_session_with_model_fits"] = timed(
        lambda: analyze_session(last, exercises, models_before(history, last.started_at)[0]), 50
    )
    results["whole_history_core"] = timed(lambda: analyze_sessions(athlete, sessions, exercises), 3)
    with tempfile.TemporaryDirectory() as tmp:
        uow = SqlUnitOfWork(Database(f"sqlite:///{tmp}/h.db"))
        with uow:
            uow.athletes.add(athlete)
            for x in sessions:
                uow.sessions.add(x)
            uow.commit()
        db = uow.db

        def cold() -> None:  # nothing stored yet: analyse all 2,080 sessions and store them
            with uow:
                uow.conn.execute("DELETE FROM session_analyses")  # type: ignore[union-attr]
                uow.commit()
            history_analyses(SqlUnitOfWork(db), athlete)

        results["whole_history_from_sqlite_cold"] = timed(cold, 3)
        results["whole_history_from_sqlite"] = timed(
            lambda: history_analyses(SqlUnitOfWork(db), athlete), 5
        )
        results["one_session_from_sqlite"] = timed(lambda: analyze_stored(uow, athlete, "last"), 20)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
