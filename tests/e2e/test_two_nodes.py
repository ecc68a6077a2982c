"""Two `replog serve` nodes on one PostgreSQL (issue 20, "beyond one machine").

Behind a reverse proxy, any node may answer any request: accounts, sessions and the
idempotency of writes live in the database, nothing in a node. One node is killed (SIGKILL)
in the middle of a phone's live stream: the phone keeps the reps it was shown and sends the
set through its outbox, which the proxy now routes to the other node; the next set streams
there, in the same session, judged against the sets logged through the dead node. Nothing
acknowledged is lost, nothing is stored twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from replog.core.signal.sim import SimConfig, simulate_set
from tests.e2e.conftest import REPLOG

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def node(url: str, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``replog serve`` in its own process on a free port, until it answers /ready."""
    port = _free_port()
    env = {**os.environ, "REPLOG_LOG_REQUESTS": "0"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(REPLOG), "--db", url, "serve", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the node did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)


def _samples(reps: int, seed: int) -> tuple[list[dict[str, Any]], int]:
    """A simulated bar recording as stream messages, and how many reps it holds."""
    cfg = SimConfig(lift="squat", reps=reps, pct_1rm=0.7, rate_hz=100, grade="good_imu", seed=seed)
    s = simulate_set(cfg)
    t, acc, gyro = s.imu.t, s.imu.acc, s.imu.gyro
    return [{"type": "samples", "t": t[i : i + 10].tolist(), "acc": acc[i : i + 10].tolist(),
             "gyro": gyro[i : i + 10].tolist()} for i in range(0, len(t), 10)], reps  # fmt: skip


def _stream(base: str, athlete: str, token: str) -> Any:
    url = base.replace("http://", "ws://", 1) + f"/athletes/{athlete}/stream"
    return connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=10)


def _reps_in(ws: Any, timeout: float) -> list[dict[str, Any]]:
    """The rep messages the server has pushed (waiting ``timeout`` for the first)."""
    out = []
    with contextlib.suppress(TimeoutError):
        while True:
            got = json.loads(ws.recv(timeout=timeout))
            out += [got] if got["type"] == "rep" else []
            timeout = 0
    return out


def _stream_until_killed(
    base: str, athlete: str, token: str, set_id: str, proc: subprocess.Popen[bytes]
) -> list[dict[str, Any]]:
    """Stream a five-rep set to the node until it has pushed two reps, then SIGKILL the
    node with the rest of the set still to come: the reps the phone was shown."""
    messages, _ = _samples(5, seed=3)
    start = {"type": "start", "sensor": "imu",
             "set": {"id": set_id, "exercise": "squat", "load": 100}}  # fmt: skip
    with _stream(base, athlete, token) as ws:
        ws.send(json.dumps(start))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        seen: list[dict[str, Any]] = []
        sent = 0
        while len(seen) < 2 and sent < len(messages):
            ws.send(json.dumps(messages[sent]))
            sent += 1
            seen += _reps_in(ws, 0.05)
        assert len(seen) < 5  # killed mid-set
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with contextlib.suppress(ConnectionClosed, OSError):
            for message in messages[sent:]:
                ws.send(json.dumps(message))
        with pytest.raises((ConnectionClosed, OSError)):
            ws.recv(timeout=10)  # the node is gone
    return seen


def test_two_nodes_share_the_log_and_a_killed_node_loses_nothing(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    url = postgres_schema_url
    with node(url, tmp_path / "a.log") as (proc_a, a), node(url, tmp_path / "b.log") as (_, b):
        account = {"username": "two-nodes", "password": PASSWORD}
        r = httpx.post(f"{a}/auth/signup", json={**account, "unit": "kg"})
        assert r.status_code == 201, r.text
        athlete = r.json()["athlete"]["id"]
        token = httpx.post(f"{b}/auth/login", json={**account, "kind": "api"}).json()["token"]
        clients = {n: httpx.Client(base_url=n, headers={"Authorization": f"Bearer {token}"},
                                   timeout=30) for n in (a, b)}  # fmt: skip
        sets = f"/athletes/{athlete}/sets"

        # writes through both nodes, one log; a retry on the other node is a replay
        logged = []
        for n in range(6):
            body = {"id": str(uuid.uuid4()), "exercise": "squat", "load": 100, "reps": 3,
                    "velocities": [0.7, 0.68, 0.65]}  # fmt: skip
            r = clients[(a, b)[n % 2]].post(sets, json=body)
            assert r.status_code == 201, r.text
            logged.append(body)
        again = clients[a].post(sets, json=logged[1])  # first taken by b: answer lost
        assert (again.status_code, again.json()["replayed"]) == (200, True)
        session = r.json()["session"]["id"]

        # a live stream on node a; a is killed after the phone saw some of the reps
        streamed = str(uuid.uuid4())
        seen = _stream_until_killed(a, athlete, token, streamed, proc_a)
        assert len(seen) >= 2, seen

        # the outbox sends the set with the reps the phone was shown; the proxy picks b
        shown = [m["rep"]["mcv"] for m in seen]
        body = {"id": streamed, "exercise": "squat", "load": 100, "reps": len(shown),
                "velocities": shown}  # fmt: skip
        r = clients[b].post(sets, json=body)
        assert r.status_code == 201, r.text
        assert r.json()["session"]["id"] == session

        # the next set streams through b, in the same session, judged against a's sets
        messages, n_reps = _samples(3, seed=4)
        with _stream(b, athlete, token) as ws_b:
            ws_b.send(json.dumps({"type": "start", "sensor": "imu",
                                  "set": {"exercise": "squat", "load": 100}}))  # fmt: skip
            ready = json.loads(ws_b.recv(timeout=10))
            assert ready["type"] == "ready"
            assert ready["session_id"] == session
            assert ready["reference"]["set_id"] == logged[0]["id"]
            for message in messages:
                ws_b.send(json.dumps(message))
            ws_b.send(json.dumps({"type": "end"}))
            final = None
            while final is None or final["type"] != "set":
                final = json.loads(ws_b.recv(timeout=20))
            assert final["set"]["reps"] == n_reps
            assert final["session"]["id"] == session

        stored = clients[b].get(f"/sessions/{session}").json()["sets"]
        ids = [s["id"] for s in stored]
        assert ids[:7] == [x["id"] for x in logged] + [streamed]
        assert len(ids) == len(set(ids)) == 8
        assert [s["position"] for s in stored] == list(range(1, 9))
        for c in clients.values():
            c.close()
