"""py-spy profile of the API benchmark's server under the log-set load: where a request's
CPU and wall-clock time go, by stage of the request, in milliseconds per request."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api_load import run_load

if TYPE_CHECKING:
    from api_server import Server

PY_SPY = Path(sys.executable).with_name("py-spy")
PROFILE_S = 10
IDLE_WORKER = re.compile(r"WorkerThread\.run \(anyio[^;]*\);Queue\.get \(")
EVENT_LOOP = re.compile(r"Runner\.run \(asyncio/runners\.py")
WORKER = re.compile(r"WorkerThread\.run \(anyio")
# (label, regular expression on the whole stack "f (file:line);g (file:line);...", excluded)
STAGES: list[tuple[str, str, str | None]] = [
    (
        "dependencies: token lookup and access check",
        r"\b(caller|check_access|athlete_access) \(replog/api/deps\.py",
        None,
    ),
    (
        "log_set handler (access check excluded)",
        r"\b_log_set \(replog/api/routes_log\.py",
        r"\bathlete_access \(",
    ),
    (
        "  log_set: the write transaction",
        r"\blog_set \(replog/services/log_set",
        r"\banalyze_with \(",
    ),
    (
        "    BEGIN and the writer's locks, sent with the first query",
        r"\blog_set \(replog/services/log_set.*Connection\._begin_with \(",
        None,
    ),
    ("    COMMIT", r"\blog_set \(replog/services/log_set.*Connection\.commit \(", None),
    (
        "    catalogue (the athlete's own exercises)",
        r"\blog_set \(replog/services/log_set.*catalogue_for \(",
        r"Connection\._begin_with \(",
    ),
    (
        "    queries and insert (retry check, session and its sets, the write)",
        r"\bwrite_entry \(",
        r"Connection\.(_begin_with|commit|rollback) \(",
    ),
    ("    read eight weeks of history (velocity_facts)", r"velocity_facts \(", None),
    ("    ROLLBACK at exit", r"\blog_set \(replog/services/log_set.*Connection\.rollback \(", None),
    ("  the analysis and the verdict", r"\b(analyze_with|verdict_of) \(", None),
    ("    model fit and analyze_session (core)", r"(models_before|analyze_session) \(", None),
    ("    verdict document", r"\bverdict_of \(.*(_to_dict|Verdict|_headline)", None),
    (
        "  the reply (set_out, LoggedSetOut, JSON)",
        r"\b_log_set \(.*(set_out|Out\.__init__|model_dump_json)",
        None,
    ),
    ("connections: PRAGMA optimize", r"Connection\.optimize \(", None),
]


def profile(
    server: Server, lifters: list[dict[str, Any]], anchor: datetime, concurrency: int, tmp: Path
) -> dict[str, Any]:
    """Sample the server with py-spy under the log-set load, twice at once: on-CPU samples
    (where its CPU goes) and all samples of the threads (``--idle``: where a request's
    wall-clock time goes, waiting for locks and I/O included)."""
    if not PY_SPY.exists():
        return {"skipped": f"py-spy is not installed: {sys.executable} -m pip install py-spy"}
    pid = server.worker_pids()[0]
    spies: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        for mode, extra in (("cpu", []), ("wall", ["--idle"])):
            command = [
                str(PY_SPY), "record", "--pid", str(pid), "--duration", str(PROFILE_S),
                "--rate", "100", "--format", "raw", "--nonblocking", "--function",
                "--output", str(tmp / f"profile-{server.port}-{mode}.txt"), *extra,
            ]  # fmt: skip
            spies.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )

    load = run_load(server, lifters, anchor, concurrency, PROFILE_S, 1.0, on_start=start)
    for p in spies:
        p.wait(timeout=60)
    cpu, wall = (_stacks(tmp / f"profile-{server.port}-{mode}.txt") for mode in ("cpu", "wall"))
    if not cpu or not wall:
        return {"skipped": "py-spy recorded nothing (is ptrace permitted?)", "load": load}
    return {"load": load, **hot_spots(cpu, wall, load)}


def _stacks(path: Path) -> Counter[str]:
    stacks: Counter[str] = Counter()
    if path.exists():
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack:
                stacks[stack] += int(count)
    return stacks


def hot_spots(cpu: Counter[str], wall: Counter[str], load: dict[str, Any]) -> dict[str, Any]:
    """Per request: wall-clock milliseconds of the handler threads by stage (from the
    ``--idle`` samples, at the rate the event-loop thread was actually sampled), CPU
    milliseconds by stage (the on-CPU share times the server's measured CPU per request),
    how busy the event-loop thread was, and the functions with the most CPU self time."""
    requests = load["rps"] * PROFILE_S
    loop_ticks = sum(c for s, c in wall.items() if EVENT_LOOP.search(s))
    rate = loop_ticks / PROFILE_S  # samples per second per thread, as py-spy kept up
    cpu = Counter({s: c for s, c in cpu.items() if not IDLE_WORKER.search(s)})
    cpu_total = sum(cpu.values())
    cpu_ms = load["server_cpu_ms_per_request"]
    handler_wall = Counter({s: c for s, c in wall.items() if WORKER.search(s)})
    handler_wall -= Counter({s: c for s, c in wall.items() if IDLE_WORKER.search(s)})

    def share(stacks: Counter[str], rx: re.Pattern[str], ex: re.Pattern[str] | None) -> int:
        return sum(c for s, c in stacks.items() if rx.search(s) and not (ex and ex.search(s)))

    def wall_ms(samples: int) -> float:
        return round(samples / rate / requests * 1000, 2)

    stages = []
    for label, include, exclude in STAGES:
        rx, ex = re.compile(include), re.compile(exclude) if exclude else None
        c_cpu = share(cpu, rx, ex)
        stages.append(
            {
                "stage": label,
                "wall_ms_per_request": wall_ms(share(handler_wall, rx, ex)),
                "cpu_pct": round(100 * c_cpu / cpu_total, 1),
                "cpu_ms_per_request": round(c_cpu / cpu_total * cpu_ms, 3),
            }
        )
    loop_cpu = sum(c for s, c in cpu.items() if EVENT_LOOP.search(s))
    own: Counter[str] = Counter()
    for stack, count in cpu.items():
        own[_short(stack.rsplit(";", 1)[-1])] += count
    return {
        "requests": round(requests),
        "samples_per_second": round(rate, 1),
        "mean_latency_ms": load["mean_ms"],
        "handler_threads_wall_ms_per_request": wall_ms(sum(handler_wall.values())),
        "cpu_ms_per_request": cpu_ms,
        "event_loop_thread": {
            "busy_pct": round(100 * loop_cpu / (rate * PROFILE_S), 1),
            "cpu_pct": round(100 * loop_cpu / cpu_total, 1),
            "cpu_ms_per_request": round(loop_cpu / cpu_total * cpu_ms, 3),
            "what": "uvicorn/uvloop HTTP, middleware, FastAPI routing, body validation, "
            "response serialisation, thread-pool hand-offs (native code under Runner.run)",
        },
        "stages": stages,
        "top_cpu_self": [
            {
                "function": f,
                "cpu_pct": round(100 * c / cpu_total, 1),
                "cpu_ms_per_request": round(c / cpu_total * cpu_ms, 3),
            }
            for f, c in own.most_common(20)
        ],
    }


def _short(frame: str) -> str:
    """``name (path/to/site-packages/pkg/mod.py:12)`` -> ``name (pkg/mod.py:12)``."""
    m = re.match(r"(.*) \((.*)\)$", frame)
    if not m:
        return frame
    name, where = m.groups()
    for marker in ("site-packages/", "/src/", "/lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})"
