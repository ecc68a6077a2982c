"""A real RepLog server for API tests: uvicorn on a free loopback port, in a thread.

``server`` runs on SQLite and, when REPLOG_TEST_POSTGRES_URL is set, on PostgreSQL (the
``database_url`` fixture). ``Lifter`` signs up over HTTP and keeps its bearer token.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from replog.api.app import create_app
from replog.api.settings import ApiSettings

PASSWORD = "correct horse battery staple"

# A small Strong export: two sessions, four sets, one lift Strong's name does not tell
STRONG = (
    "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
    '2024-03-01 07:30:00,"Legs","Squat (Barbell)",1,100,5,0,0,"","",8\n'
    '2024-03-01 07:30:00,"Legs","Squat (Barbell)",2,100,5,0,0,"","",8.5\n'
    '2024-03-01 07:30:00,"Legs","Zercher Wobble Thing",1,40,8,0,0,"","",\n'
    '2024-03-04 18:00:00,"Push","Bench Press (Barbell)",1,80,5,0,0,"","",7\n'
)


@dataclass
class Server:
    url: str
    app: Any

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    @property
    def ws(self) -> str:
        return self.api.replace("http://", "ws://", 1)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.api, timeout=30, **kwargs)


@contextmanager
def running(
    settings: ApiSettings, factory: Callable[[ApiSettings], Any] = create_app
) -> Iterator[Server]:
    app = factory(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", access_log=False,
        ws_max_size=settings.max_stream_message_bytes,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Server(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


class Lifter:
    """An account on the server, signed up over HTTP, with a bearer-token client."""

    def __init__(self, server: Server, username: str | None = None, unit: str = "kg"):
        self.username = username or f"lifter-{uuid.uuid4().hex[:8]}"
        with server.client() as anon:
            r = anon.post(
                "/auth/signup",
                json={"username": self.username, "password": PASSWORD, "unit": unit},
            )
            assert r.status_code == 201, r.text
            me = r.json()
            r = anon.post(
                "/auth/login",
                json={"username": self.username, "password": PASSWORD, "kind": "api"},
            )
            assert r.status_code == 200, r.text
        self.user_id: str = me["user"]["id"]
        self.athlete_id: str = me["athlete"]["id"]
        self.token: str = r.json()["token"]
        self.http = server.client(headers={"Authorization": f"Bearer {self.token}"})

    def log(self, exercise: str, load: float, reps: int, **extra: Any) -> dict[str, Any]:
        body = {"exercise": exercise, "load": load, "reps": reps, **extra}
        r = self.http.post(f"/athletes/{self.athlete_id}/sets", json=body)
        assert r.status_code in (200, 201), r.text
        doc: dict[str, Any] = r.json()
        return doc

    def close(self) -> None:
        self.http.close()
