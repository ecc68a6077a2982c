"""The server-side figures of bench_scale.py, against a real `replog serve` process on a
SQLite file: a login flood's effect on another lifter's logging, the wait behind another
lifter's 16 MiB import, and the server's peak memory while it streams a 138k-set export."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

REPLOG = Path(sys.executable).with_name("replog")
PASSWORD = "correct horse battery staple"


@contextlib.contextmanager
def server(db: Path) -> Iterator[tuple[int, str]]:
    """`replog serve` (the default Argon2 cost) on ``db``: its pid and API base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "REPLOG_LOG_REQUESTS": "0"}
    proc = subprocess.Popen(
        [str(REPLOG), "--db", f"sqlite:///{db}", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            time.sleep(0.1)
        yield proc.pid, base
    finally:
        proc.terminate()
        proc.wait(30)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def account(base: str, name: str) -> tuple[str, httpx.Client]:
    """A new lifter: athlete id and a client with its bearer token."""
    body = {"username": name, "password": PASSWORD}
    r = httpx.post(f"{base}/auth/signup", json={**body, "unit": "kg"}, timeout=60)
    r.raise_for_status()
    token = httpx.post(f"{base}/auth/login", json={**body, "kind": "api"}, timeout=60)
    token.raise_for_status()
    auth = {"Authorization": f"Bearer {token.json()['token']}"}
    return r.json()["athlete"]["id"], httpx.Client(base_url=base, headers=auth, timeout=120)


def log_while(client: httpx.Client, athlete: str, busy: threading.Event) -> list[float]:
    """Log sets one after another while ``busy`` is set: each one's latency, seconds."""
    out = []
    while busy.is_set():
        body = {"exercise": "bench", "load": 60, "reps": 8, "velocities": [0.6, 0.58, 0.55]}
        t0 = time.perf_counter()
        r = client.post(f"/athletes/{athlete}/sets", json=body)
        out.append(time.perf_counter() - t0)
        if r.status_code >= 500 and r.status_code != 503:
            raise RuntimeError(f"log set: {r.status_code} {r.text[:200]}")
    return out


def latency(waits: list[float]) -> dict[str, Any]:
    ordered = sorted(waits)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else None
    return {"sets": len(waits),
            "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
            "p99_ms": round(p99 * 1000, 1) if p99 is not None else None,
            "max_ms": round(max(ordered) * 1000, 1) if ordered else None}  # fmt: skip


def login_flood(base: str, flooders: int = 64, seconds: float = 10) -> dict[str, Any]:
    """``flooders`` clients signing in with wrong passwords as fast as they can, while
    another lifter logs sets."""
    athlete, client = account(base, "steady")
    busy = threading.Event()
    busy.set()
    codes: dict[int, int] = {}
    lock = threading.Lock()

    def flood(n: int) -> None:
        k = 0
        with httpx.Client(base_url=base, timeout=60) as c:
            while busy.is_set():
                k += 1  # a new address each time (the server trusts a proxy on loopback):
                where = {"X-Forwarded-For": f"10.{n}.{k // 250 % 250}.{k % 250 + 1}"}
                bogus = {"username": f"nobody{k}", "password": "x" * 12, "kind": "api"}
                r = c.post("/auth/login", headers=where, json=bogus)  # distributed: no lockout
                with lock:
                    codes[r.status_code] = codes.get(r.status_code, 0) + 1

    threads = [threading.Thread(target=flood, args=(n,)) for n in range(flooders)]
    for t in threads:
        t.start()
    time.sleep(1)  # the flood at full strength
    timer = threading.Timer(seconds, busy.clear)
    timer.start()
    waits = log_while(client, athlete, busy)
    for t in threads:
        t.join()
    return {"flooders": flooders, "seconds": seconds, "log_set": latency(waits),
            "login_answers": dict(sorted(codes.items()))}  # fmt: skip


def strong_csv(target_bytes: int) -> bytes:
    """A Strong export of about ``target_bytes``: 30 sets a workout, a day apart."""
    head = ("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
            "Notes,Workout Notes,RPE\n")  # fmt: skip
    rows, size, day = [head], len(head), datetime(2000, 1, 1, 18)
    while size < target_bytes:
        when = day.isoformat(sep=" ")
        for n in range(30):
            row = f"{when},Legs,1h,Squat (Barbell),{n + 1},{100 + n % 5},5,0,0,,,8\n"
            rows.append(row)
            size += len(row)
        day += timedelta(days=1)
    return "".join(rows).encode()


def import_wait(base: str, megabytes: float = 15.9) -> dict[str, Any]:
    """One lifter imports a Strong export of ``megabytes`` MiB while another logs sets."""
    heavy, heavy_client = account(base, "heavy")
    athlete, client = account(base, "light")
    data = strong_csv(int(megabytes * (1 << 20)))
    busy = threading.Event()
    busy.set()
    result: dict[str, Any] = {}

    def run() -> None:
        t0 = time.perf_counter()
        r = heavy_client.post(f"/athletes/{heavy}/imports", content=data,
                              params={"filename": "big.csv"})  # fmt: skip
        result["status"], result["seconds"] = r.status_code, round(time.perf_counter() - t0, 2)
        result["sets"] = r.json().get("sets", {}).get("created") if r.status_code < 300 else None
        busy.clear()

    importer = threading.Thread(target=run)
    importer.start()
    waits = log_while(client, athlete, busy)
    importer.join()
    return {"file_mib": round(len(data) / (1 << 20), 1), "import": result,
            "other_lifter_log_set": latency(waits)}  # fmt: skip


def export_memory(pid: int, base: str, client: httpx.Client, athlete: str) -> dict[str, Any]:
    """The server's memory before and at its peak while streaming each export format."""
    out: dict[str, Any] = {"rss_before_mb": rss_mb(pid)}
    for fmt in ("json", "reps-csv", "strong"):
        t0 = time.perf_counter()
        size = 0
        with client.stream("GET", f"/athletes/{athlete}/export", params={"format": fmt}) as r:
            r.raise_for_status()
            for chunk in r.iter_bytes():
                size += len(chunk)
        out[fmt] = {"mb": round(size / 1e6, 1), "seconds": round(time.perf_counter() - t0, 1),
                    "peak_rss_mb": peak_rss_mb(pid)}  # fmt: skip
    return out
