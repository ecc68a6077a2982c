"""The API benchmark's load generator: a minimal HTTP/1.1 client on raw keep-alive sockets,
C clients logging sets in a closed loop, and ``run_load``, which runs it against a server as
its own process and returns the run's figures (see bench_api.py for what they are).

Run as a script, this file is that process: it reads its configuration as JSON on stdin,
writes "start" to stderr when the measured window opens, and its result as JSON to stdout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import resource
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from api_cpu import _cpu, _group_cpu_s, _pid_cpu_s, _postgres_cpu_s

if TYPE_CHECKING:
    from api_server import Server

HOST = "127.0.0.1"
SETS_PER_SESSION = 20
RATE_GUESS = 600.0  # sets/s, to open enough sessions before the clock starts (first run)


# the load generator (its own process) ------------------------------------------------------
class Http:
    """One keep-alive HTTP/1.1 connection: write a pre-encoded request, read the status line
    and a Content-Length body. Nothing else (no chunking, no redirects)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.connect()
        assert self.reader is not None
        assert self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")
        length = 0
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            length = int(lower[at + 17 : end])
        body = await self.reader.readexactly(length) if length else b""
        if b"\r\nconnection: close" in lower:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def _post(path: str, token: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def _set_templates(one_rm: float) -> list[tuple[bytes, bytes, bytes]]:
    """The body of the k-th set of a session, split around its client id and session id:
    loads wave between 100 and 112.5 kg, velocities follow the lifter's profile and tire
    slowly through the session (so later sets show drop-off and trigger recommendations)."""
    out = []
    for k in range(SETS_PER_SESSION):
        kg = 100 + 2.5 * (k % 6)
        v = round(_profile_velocity(kg, one_rm) - 0.004 * k, 3)
        velocities = f"{v},{round(v - 0.02, 3)},{round(v - 0.05, 3)}"
        doc = (
            f'{{"id":"@ID@","exercise":"squat","load":{kg},"reps":3,"rpe":8,'
            f'"velocities":[{velocities}],"session_id":"@SID@"}}'
        )
        first, rest = doc.split("@ID@")
        middle, last = rest.split("@SID@")
        out.append((first.encode(), middle.encode(), last.encode()))
    return out


def _profile_velocity(kg: float, one_rm: float) -> float:
    return 1.4 - 1.1 * kg / one_rm  # 0.3 m/s at 1RM


@dataclass
class Tally:
    latencies: list[float]
    statuses: Counter[int]
    conn_errors: int = 0
    extra_sessions: int = 0


async def _open_session(http: Http, lifter: dict[str, Any], anchor: str) -> str:
    body = json.dumps({"id": str(uuid.uuid4()), "started_at": anchor, "name": "load"}).encode()
    path = f"/api/v1/athletes/{lifter['athlete_id']}/sessions"
    status, reply = await http.request(_post(path, lifter["token"], body))
    if status not in (200, 201):
        raise RuntimeError(f"opening a session: {status} {reply[:300]!r}")
    sid: str = json.loads(reply)["id"]
    return sid


async def _connection(
    n: int, cfg: dict[str, Any], clock: dict[str, float], tally: Tally, ready: asyncio.Barrier
) -> None:
    lifter = cfg["lifters"][n % len(cfg["lifters"])]
    http = Http(cfg["port"])
    await http.connect()
    total_s = cfg["warmup_s"] + cfg["duration_s"]
    per_conn = cfg["rate_hint"] * total_s / cfg["concurrency"]
    sessions = [
        await _open_session(http, lifter, cfg["anchor"])
        for _ in range(math.ceil(per_conn / SETS_PER_SESSION) + 1)
    ]
    templates = _set_templates(lifter["one_rm"])
    prefix = (
        f"POST /api/v1/athletes/{lifter['athlete_id']}/sets HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Authorization: Bearer {lifter['token']}\r\nContent-Type: application/json\r\n"
        "Content-Length: "
    ).encode()
    await ready.wait()
    perf = time.perf_counter
    latencies, statuses = tally.latencies, tally.statuses
    k = 0
    sid = sessions.pop().encode()
    while True:
        t0 = perf()
        if t0 >= clock["end"]:
            break
        if k == SETS_PER_SESSION:
            k = 0
            if cfg["phones"]:  # the next session comes from another phone
                await http.close()
            if sessions:
                sid = sessions.pop().encode()
            else:  # ran out: open one on the clock's time (not counted as a set)
                tally.extra_sessions += 1
                sid = (await _open_session(http, lifter, cfg["anchor"])).encode()
                continue
        first, middle, last = templates[k]
        body = first + uuid.uuid4().hex.encode() + middle + sid + last
        raw = prefix + str(len(body)).encode() + b"\r\n\r\n" + body
        try:
            status, _ = await http.request(raw)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            tally.conn_errors += 1
            await http.close()
            continue
        k += 1
        if t0 >= clock["start"]:
            latencies.append(perf() - t0)
            statuses[status] += 1
    await http.close()


async def _load(cfg: dict[str, Any]) -> dict[str, Any]:
    tally = Tally([], Counter())
    c = cfg["concurrency"]
    ready = asyncio.Barrier(c + 1)
    clock = {"start": math.inf, "end": math.inf}
    tasks = [asyncio.ensure_future(_connection(n, cfg, clock, tally, ready)) for n in range(c)]
    waiting = asyncio.ensure_future(ready.wait())
    done, _ = await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if waiting not in done:  # a connection failed while opening its sessions
        for t in tasks:
            t.cancel()
        for t in done:
            t.result()
    now = time.perf_counter()
    clock["start"] = now + cfg["warmup_s"]
    clock["end"] = clock["start"] + cfg["duration_s"]
    await asyncio.sleep(cfg["warmup_s"])
    usage0, wall0, machine0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter(), _cpu()
    server0, pg0 = _group_cpu_s(cfg["server_pid"]), _postgres_cpu_s()
    workers0 = [_pid_cpu_s(p) for p in cfg["worker_pids"]]
    sys.stderr.write("start\n")  # the measured window opens (see run_load's on_start)
    sys.stderr.flush()
    await asyncio.sleep(cfg["duration_s"])
    usage1, wall1, machine1 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter(), _cpu()
    server1, pg1 = _group_cpu_s(cfg["server_pid"]), _postgres_cpu_s()
    workers1 = [_pid_cpu_s(p) for p in cfg["worker_pids"]]
    await asyncio.gather(*tasks)
    worked = [b - a for a, b in zip(workers0, workers1, strict=True)]
    lat = sorted(tally.latencies)
    n = len(lat)
    window = wall1 - wall0
    own_cpu = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    busy = (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
    ok = sum(v for s, v in tally.statuses.items() if 200 <= s < 300)
    return {
        "concurrency": c,
        "requests": n,
        "rps": round(n / cfg["duration_s"], 1),
        "p50_ms": _pct(lat, 0.50),
        "p90_ms": _pct(lat, 0.90),
        "p99_ms": _pct(lat, 0.99),
        "max_ms": round(lat[-1] * 1000, 2) if lat else None,
        "mean_ms": round(sum(lat) / n * 1000, 2) if n else None,
        "statuses": {str(s): v for s, v in sorted(tally.statuses.items())},
        "errors": n - ok + tally.conn_errors,
        "server_5xx": sum(v for s, v in tally.statuses.items() if s >= 500),
        "connection_errors": tally.conn_errors,
        "sessions_opened_on_the_clock": tally.extra_sessions,
        "server_cpu_ms_per_request": round((server1 - server0) / max(n, 1) * 1000, 3),
        "server_cpu_cores": round((server1 - server0) / window, 2),
        "worker_cpu_shares_pct": sorted(
            (round(100 * w / max(sum(worked), 1e-9)) for w in worked), reverse=True
        ),
        "postgres_cpu_ms_per_request": round((pg1 - pg0) / max(n, 1) * 1000, 3),
        "machine_cpu_busy_pct": round(100 * busy, 1),
        "loadgen_cpu_pct_of_a_core": round(100 * own_cpu / window, 1),
    }


def _pct(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    i = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return round(ordered[i] * 1000, 2)


def loadgen_main() -> None:
    cfg = json.loads(sys.stdin.read())
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:  # plain asyncio is fine, a little more CPU per request
        runner = asyncio.run
    result = runner(_load(cfg))
    sys.stdout.write(json.dumps(result) + "\n")


# one load run -------------------------------------------------------------------------------
def run_load(
    server: Server,
    lifters: list[dict[str, Any]],
    anchor: datetime,
    concurrency: int,
    duration_s: float,
    warmup_s: float,
    on_start: Any = None,
    rate_hint: float = RATE_GUESS,
    phones: bool = True,
) -> dict[str, Any]:
    cfg = {
        "rate_hint": rate_hint,
        "port": server.port,
        "lifters": lifters,
        "anchor": anchor.isoformat(),
        "concurrency": concurrency,
        "duration_s": duration_s,
        "warmup_s": warmup_s,
        "server_pid": server.proc.pid,
        "worker_pids": server.worker_pids(),
        "phones": phones,
    }
    errors_before = server.errors_logged()
    proc = subprocess.Popen(
        [sys.executable, __file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdin.write(json.dumps(cfg))
    proc.stdin.close()
    if on_start is not None:  # when the measured window opens
        line = proc.stderr.readline()
        if line.strip() == "start":
            on_start()
    out = proc.stdout.read()
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise RuntimeError(f"the load generator failed:\n{err}")
    result: dict[str, Any] = json.loads(out)
    result["errors_logged_by_server"] = server.errors_logged() - errors_before
    return result


if __name__ == "__main__":
    loadgen_main()
