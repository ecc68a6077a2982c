"""Load shedding (issue 20, item 7): past ``max_requests`` in progress the server answers
503 with Retry-After at once, instead of queueing without bound; checks stay answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from replog.api.settings import ApiSettings
from tests.e2e.api_support import Lifter, running


def test_past_capacity_requests_are_turned_away_at_once(migrated_database_url: str) -> None:
    settings = ApiSettings(migrated_database_url, log_requests=False, argon2_time_cost=1,
                           argon2_memory_kib=8192, max_requests=2)  # fmt: skip
    with running(settings) as server:
        me = Lifter(server)
        release = threading.Event()

        def slow_body() -> Iterator[bytes]:
            yield b'{"format": "replog", '  # the upload stays in progress until released
            release.wait(30)
            yield b"}"

        def hold() -> int:
            with server.client(headers={"Authorization": f"Bearer {me.token}"}) as c:
                return c.post(f"/athletes/{me.athlete_id}/imports", content=slow_body()).status_code

        with ThreadPoolExecutor(2) as pool:
            held = [pool.submit(hold) for _ in range(2)]
            time.sleep(0.5)  # both uploads in progress
            t0 = time.perf_counter()
            r = me.http.get(f"/athletes/{me.athlete_id}/sessions")
            waited = time.perf_counter() - t0
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "1"
            assert r.json()["error"]["code"] == "overloaded"
            assert waited < 1.0  # turned away, not queued
            assert me.http.get(server.api + "/health").status_code == 200
            release.set()
            assert all(f.result(30) < 500 for f in held)
        assert me.http.get(f"/athletes/{me.athlete_id}/sessions").status_code == 200
        me.close()
