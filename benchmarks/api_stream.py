"""The API benchmark's WebSocket stream: ``STREAMS`` simulated 100 Hz phone IMU sets at once
over ``WS /athletes/{id}/stream``, from a client in its own process.

Run as a script, this file is that client: it reads its configuration as JSON on stdin and
writes its result as JSON to stdout.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api_cpu import _group_cpu_s
from api_load import HOST

if TYPE_CHECKING:
    from api_server import Server

ROOT = Path(__file__).resolve().parent.parent
STREAMS, STREAM_CHUNK = 20, 10  # concurrent sets; samples per message (a phone's 10 Hz)


def _stream_sets(n: int) -> list[Any]:
    """``n`` simulated squat sets from a phone's 100 Hz IMU, 3-8 reps at 60-85% 1RM."""
    from replog.core.signal.sim import SimConfig, simulate_set

    return [
        simulate_set(
            SimConfig(
                lift="squat", reps=3 + i % 6, pct_1rm=0.6 + 0.05 * (i % 6), rate_hz=100.0,
                grade="phone", seed=1000 + i,
            )
        )
        for i in range(n)
    ]  # fmt: skip


async def _stream_one(
    cfg: dict[str, Any], lifter: dict[str, Any], session_id: str, sim: Any, go: asyncio.Barrier
) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    t, acc, gyro = sim.imu.t, sim.imu.acc, sim.imu.gyro
    messages = [
        json.dumps(
            {"type": "samples", "t": t[i : i + STREAM_CHUNK].tolist(),
             "acc": acc[i : i + STREAM_CHUNK].tolist(), "gyro": gyro[i : i + STREAM_CHUNK].tolist()}
        )
        for i in range(0, len(t), STREAM_CHUNK)
    ]  # fmt: skip
    start = {
        "type": "start", "sensor": "imu",
        "set": {"id": str(uuid.uuid4()), "exercise": "squat", "load": 100, "rpe": 8,
                "session_id": session_id},
    }  # fmt: skip
    url = f"ws://{HOST}:{cfg['port']}/api/v1/athletes/{lifter['athlete_id']}/stream"
    headers = {"Authorization": f"Bearer {lifter['token']}"}
    async with connect(url, additional_headers=headers, max_size=None, open_timeout=30) as ws:
        await ws.send(json.dumps(start))
        ready = json.loads(await ws.recv())
        if ready.get("type") != "ready":
            raise RuntimeError(f"the stream did not start: {ready}")
        await go.wait()
        t0 = time.perf_counter()
        reps: list[float] = []

        async def read() -> dict[str, Any]:
            while True:
                doc: dict[str, Any] = json.loads(await ws.recv())
                if doc["type"] == "rep":
                    reps.append(time.perf_counter() - t0)
                elif doc["type"] in ("set", "error"):
                    return doc

        reader = asyncio.ensure_future(read())
        for m in messages:
            await ws.send(m)
        sent = time.perf_counter() - t0
        await ws.send(json.dumps({"type": "end"}))
        final = await reader
        done = time.perf_counter() - t0
    duration = float(t[-1] - t[0])
    ok = final["type"] == "set"
    return {
        "samples": len(t),
        "stream_s": round(duration, 2),
        "processing_s": round(done, 3),
        "realtime_factor": round(duration / done, 1),
        "all_samples_sent_s": round(sent, 3),
        "reps_pushed": len(reps),
        "reps_true": len(sim.truth),
        "reps_logged": final["set"]["reps"] if ok else None,
        "error": None if ok else final.get("error"),
    }


async def _streams(cfg: dict[str, Any]) -> dict[str, Any]:
    sims = _stream_sets(cfg["streams"])
    lifters, sessions = cfg["lifters"], cfg["sessions"]
    go = asyncio.Barrier(len(sims) + 1)
    tasks = [
        asyncio.ensure_future(_stream_one(cfg, lifters[i % len(lifters)], sessions[i], s, go))
        for i, s in enumerate(sims)
    ]
    waiting = asyncio.ensure_future(go.wait())
    done, _ = await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if waiting not in done:  # a stream failed to start
        for t in tasks:
            t.cancel()
        for t in done:
            t.result()
    wall0, cpu0 = time.perf_counter(), _group_cpu_s(cfg["server_pid"])
    sets = await asyncio.gather(*tasks)
    wall, cpu = time.perf_counter() - wall0, _group_cpu_s(cfg["server_pid"]) - cpu0
    factors = sorted(s["realtime_factor"] for s in sets)
    samples = sum(s["samples"] for s in sets)
    return {
        "concurrent_sets": len(sets),
        "samples_per_message": STREAM_CHUNK,
        "imu_rate_hz": 100,
        "samples": samples,
        "stream_seconds": round(sum(s["stream_s"] for s in sets), 1),
        "wall_s": round(wall, 2),
        "samples_per_s": round(samples / wall),
        "server_cpu_s": round(cpu, 2),
        "realtime_factor_min": factors[0],
        "realtime_factor_median": factors[len(factors) // 2],
        "realtime_factor_max": factors[-1],
        "all_faster_than_real_time": all(f > 1 for f in factors),
        "errors": sum(1 for s in sets if s["error"]),
        "rep_count_mismatches": sum(1 for s in sets if s["reps_logged"] != s["reps_true"]),
        "sets": sets,
    }


def streamgen_main() -> None:
    cfg = json.loads(sys.stdin.read())
    sys.stdout.write(json.dumps(asyncio.run(_streams(cfg))) + "\n")


def bench_stream(server: Server, lifters: list[dict[str, Any]], anchor: datetime) -> dict[str, Any]:
    """``STREAMS`` sets at once over ``WS /athletes/{id}/stream``, each a simulated 100 Hz
    IMU set sent as fast as the connection takes it (10 samples a message): per set, the
    stream's duration over the time from its first sample to the logged set and verdict
    (> 1: processed faster than real time). The client is its own process."""
    if not (ROOT / "src" / "replog" / "api" / "stream.py").exists():
        return {"status": "todo", "reason": "src/replog/api/stream.py does not exist yet"}
    import httpx

    sessions = []
    for i in range(STREAMS):
        lifter = lifters[i % len(lifters)]
        r = httpx.post(
            f"{server.api}/athletes/{lifter['athlete_id']}/sessions",
            json={"id": str(uuid.uuid4()), "started_at": anchor.isoformat(), "name": "stream"},
            headers={"Authorization": f"Bearer {lifter['token']}"},
            timeout=30,
        )
        r.raise_for_status()
        sessions.append(r.json()["id"])
    cfg = {
        "port": server.port, "lifters": lifters, "sessions": sessions, "streams": STREAMS,
        "server_pid": server.proc.pid,
    }  # fmt: skip
    errors_before = server.errors_logged()
    proc = subprocess.run(
        [sys.executable, __file__],
        input=json.dumps(cfg), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"status": "failed", "stderr": proc.stderr[-3000:]}
    result: dict[str, Any] = json.loads(proc.stdout)
    result["errors_logged_by_server"] = server.errors_logged() - errors_before
    return result


if __name__ == "__main__":
    streamgen_main()
