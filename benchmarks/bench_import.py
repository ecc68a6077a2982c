"""Import speed: the 8,650-set Hevy export into an empty database, and the re-import.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_import.py`). Needs ../shared/data
(the real export; see ../shared/data/SOURCES.md). Prints the figures and writes them to
benchmarks/results/import.json. Two measurements:

* in process: reading the CSV plus the import service on a new SQLite file (what the API
  will run), median of 5 runs;
* `replog import FILE` as a fresh process, as a lifter runs it (start-up, imports, schema
  creation of a new database and the summary included), median of 3 runs.
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
from datetime import UTC
from pathlib import Path

from replog.io.hevy import read_hevy
from replog.services.athletes import athlete_or_new
from replog.services.importing import import_source
from replog.storage.database import Database
from replog.storage.uow import SqlUnitOfWork

HEVY = Path(__file__).resolve().parents[2] / "shared" / "data" / "imports" / "hevy" / "hevy_kg.csv"
RESULTS = Path(__file__).with_name("results") / "import.json"
REPLOG = Path(sys.executable).with_name("replog")
LIMIT_S = 2.0


def in_process(folder: Path, n: int) -> tuple[list[float], list[float], int]:
    text = HEVY.read_text(encoding="utf-8")
    first, again, sets = [], [], 0
    for i in range(n):
        url = f"sqlite:///{folder}/p{i}.db"
        Database(url).ensure_schema()
        athlete, _ = athlete_or_new(SqlUnitOfWork(Database(url)), "bench")
        t0 = time.perf_counter()
        uow = SqlUnitOfWork(Database(url))
        summary = import_source(uow, athlete, read_hevy(text, tz=UTC), new_athlete=True)
        first.append(time.perf_counter() - t0)
        sets = summary.sets_created
        t0 = time.perf_counter()
        repeat = import_source(SqlUnitOfWork(Database(url)), athlete, read_hevy(text, tz=UTC))
        again.append(time.perf_counter() - t0)
        assert repeat.sets_created == 0, "a re-import must add nothing"
    return first, again, sets


def command(folder: Path, n: int) -> list[float]:
    times = []
    for i in range(n):
        env = {**os.environ, "REPLOG_DATABASE_URL": f"sqlite:///{folder}/c{i}.db"}
        t0 = time.perf_counter()
        subprocess.run(
            [str(REPLOG), "import", str(HEVY), "--tz", "UTC", "--json"],
            env=env,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    if not HEVY.exists():
        sys.exit(f"needs {HEVY} (../shared/data); nothing measured")
    with tempfile.TemporaryDirectory() as tmp:
        first, again, sets = in_process(Path(tmp), 5)
        cli = command(Path(tmp), 3)
    result = {
        "file": HEVY.name,
        "sets": sets,
        "import_s_median": round(statistics.median(first), 3),
        "import_s_max": round(max(first), 3),
        "reimport_s_median": round(statistics.median(again), 3),
        "cli_import_s_median": round(statistics.median(cli), 3),
        "limit_s": LIMIT_S,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}",
    }
    for key, value in result.items():
        print(f"{key:22s} {value}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    if max(first) >= LIMIT_S or statistics.median(cli) >= LIMIT_S:
        sys.exit(f"over the {LIMIT_S} s limit")


if __name__ == "__main__":
    main()
