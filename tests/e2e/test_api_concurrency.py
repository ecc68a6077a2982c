"""Concurrent and retried writes over real HTTP, on SQLite and PostgreSQL.

A phone on a gym's network retries: the same POST (same client ``id``) may arrive twice,
even at the same moment from two connections. Many lifters, and one lifter on several
devices, log at once. Whatever the interleaving, every acknowledged set must exist exactly
once, positions within a session must stay unique and contiguous, and the server must never
answer 5xx. A stale edit (a version that has moved on) is refused with 409.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.e2e.api_support import Lifter, Server

BARRIER_TIMEOUT_S = 60


def _set_body(client_id: str, n: int) -> dict[str, Any]:
    """A believable working set with three rep velocities (so the live analysis runs)."""
    v = round(0.75 - 0.005 * (n % 20), 3)
    return {
        "id": client_id,
        "exercise": "squat",
        "load": 100 + 2.5 * (n % 8),
        "reps": 3,
        "rpe": 8,
        "velocities": [v, round(v - 0.02, 3), round(v - 0.05, 3)],
    }


# retries --------------------------------------------------------------------------------
def test_an_id_reused_for_another_set_is_a_409_and_changes_nothing(server: Server) -> None:
    me, other = Lifter(server), Lifter(server)
    try:
        body = _set_body(str(uuid.uuid4()), 0)
        url = f"/athletes/{me.athlete_id}/sets"
        assert me.http.post(url, json=body).status_code == 201
        r = me.http.post(url, json={**body, "reps": 5, "velocities": []})
        assert r.status_code == 409, r.text
        assert r.json()["error"]["field"] == "id"
        assert "already used for another set" in r.json()["error"]["message"]
        # someone else's id: the same answer, nothing about whose it is
        r2 = other.http.post(f"/athletes/{other.athlete_id}/sets", json=body)
        assert (r2.status_code, r2.json()["error"]["message"]) == (
            409,
            r.json()["error"]["message"],
        )
        stored = me.http.get(f"/sets/{body['id']}").json()
        assert (stored["reps"], stored["version"]) == (3, 1)
        assert me.http.post(url, json=body).json()["replayed"] is True
    finally:
        me.close()
        other.close()


def test_a_retried_post_logs_the_set_once(server: Server) -> None:
    me = Lifter(server)
    try:
        body = _set_body(str(uuid.uuid4()), 0)
        url = f"/athletes/{me.athlete_id}/sets"
        first, second, third = (me.http.post(url, json=body) for _ in range(3))
        assert first.status_code == 201, first.text
        assert first.json()["replayed"] is False
        for retry in (second, third):
            assert retry.status_code == 200, retry.text
            assert retry.json()["replayed"] is True
            assert retry.json()["set"] == first.json()["set"]
            assert retry.json()["session"]["id"] == first.json()["session"]["id"]
        assert first.json()["set"]["id"] == body["id"]

        session_id = first.json()["session"]["id"]
        r = me.http.get(f"/sessions/{session_id}")
        assert r.status_code == 200, r.text
        assert [s["id"] for s in r.json()["sets"]] == [body["id"]]
        r = me.http.get(f"/athletes/{me.athlete_id}/sessions")
        assert [s["set_count"] for s in r.json()] == [1]
    finally:
        me.close()


def test_a_retry_in_another_form_of_the_same_uuid_is_still_a_retry(server: Server) -> None:
    """The id is a UUID: upper case or without dashes names the same set."""
    me = Lifter(server)
    try:
        cid = uuid.uuid4()
        url = f"/athletes/{me.athlete_id}/sets"
        first = me.http.post(url, json=_set_body(str(cid), 0))
        again = me.http.post(url, json=_set_body(cid.hex.upper(), 0))
        assert (first.status_code, again.status_code) == (201, 200), again.text
        assert again.json()["set"]["id"] == first.json()["set"]["id"] == str(cid)
    finally:
        me.close()


# concurrent writers ------------------------------------------------------------------------
@dataclass
class Outcome:
    """What the writers were told: every response, by client id."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    by_id: dict[str, list[tuple[int, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    lifter_of: dict[str, Lifter] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def record(self, lifter: Lifter, cid: str, r: httpx.Response) -> None:
        with self.lock:
            self.lifter_of[cid] = lifter
            if r.status_code not in (200, 201):
                self.failures.append(f"{r.status_code} {r.text[:300]}")
                return
            self.by_id[cid].append((r.status_code, r.json()))


def _writer(
    server: Server,
    lifter: Lifter,
    own: list[str],
    shared: list[tuple[str, threading.Barrier] | None],
    outcome: Outcome,
) -> None:
    """Round k: log ``own[k]``, or, when ``shared[k]`` is given, wait for the partner thread
    and send the same id at the same moment (a retry racing its original)."""
    url = f"/athletes/{lifter.athlete_id}/sets"
    headers = {"Authorization": f"Bearer {lifter.token}"}
    with server.client(headers=headers) as http:
        for k, cid in enumerate(own):
            pair = shared[k]
            if pair is not None:
                cid, barrier = pair
                try:
                    barrier.wait(BARRIER_TIMEOUT_S)
                except threading.BrokenBarrierError:
                    return  # the partner failed; its error is what the test reports
            try:
                r = http.post(url, json=_set_body(cid, k))
            except Exception:
                if pair is not None:
                    pair[1].abort()
                raise
            outcome.record(lifter, cid, r)


def _run_writers(server: Server, lifters: list[Lifter], per_lifter: int, rounds: int) -> Outcome:
    """``per_lifter`` threads for each lifter, in pairs; each sends ``rounds`` sets, every
    second one shared with its partner (sent by both at once)."""
    assert per_lifter % 2 == 0
    outcome = Outcome()
    jobs = []
    for lifter in lifters:
        for _ in range(per_lifter // 2):
            own_a = [str(uuid.uuid4()) for _ in range(rounds)]
            own_b = [str(uuid.uuid4()) for _ in range(rounds)]
            shared: list[tuple[str, threading.Barrier] | None] = [
                (str(uuid.uuid4()), threading.Barrier(2)) if k % 2 else None for k in range(rounds)
            ]
            jobs += [(lifter, own_a, shared), (lifter, own_b, shared)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(_writer, server, *job, outcome) for job in jobs]
        for f in futures:
            f.result()
    return outcome


def _check(server: Server, lifters: list[Lifter], outcome: Outcome, expected: int) -> None:
    assert outcome.failures == [], outcome.failures[:5]
    assert len(outcome.by_id) == expected

    # each id: one 201, any others 200 replays of the very same set
    for cid, answers in outcome.by_id.items():
        statuses = sorted(status for status, _ in answers)
        assert statuses.count(201) == 1, (cid, statuses)
        assert set(statuses) <= {200, 201}, (cid, statuses)
        first = next(doc for status, doc in answers if status == 201)
        assert first["set"]["id"] == cid
        assert first["replayed"] is False
        for status, doc in answers:
            if status == 200:
                assert doc["replayed"] is True
                assert doc["set"] == first["set"], cid

    # the stored log: every acknowledged set exactly once, nothing else
    for lifter in lifters:
        mine = {cid for cid in outcome.by_id if outcome.lifter_of[cid] is lifter}
        sessions = {
            doc["session"]["id"] for cid in mine for _, doc in outcome.by_id[cid]
        }  # one, unless the test runs across midnight
        stored: list[str] = []
        for sid in sessions:
            r = lifter.http.get(f"/sessions/{sid}")
            assert r.status_code == 200, r.text
            sets = r.json()["sets"]
            stored += [s["id"] for s in sets]
            positions = sorted(s["position"] for s in sets)
            assert positions == list(range(1, len(sets) + 1)), positions
        assert len(stored) == len(set(stored)), "a set is stored twice"
        assert set(stored) == mine
        listed = lifter.http.get(f"/athletes/{lifter.athlete_id}/sessions", params={"limit": 50})
        assert listed.status_code == 200, listed.text
        assert sum(s["set_count"] for s in listed.json()) == len(mine)

    # and each one is there by its id
    with server.client() as http:
        for cid, answers in outcome.by_id.items():
            lifter = outcome.lifter_of[cid]
            r = http.get(f"/sets/{cid}", headers={"Authorization": f"Bearer {lifter.token}"})
            assert r.status_code == 200, r.text
            assert r.json() == answers[0][1]["set"]


@pytest.mark.parametrize(
    ("lifters", "threads_each"),
    [pytest.param(5, 10, id="5-lifters-x-10"), pytest.param(1, 50, id="1-lifter-x-50")],
)
def test_fifty_concurrent_writers_store_every_set_exactly_once(
    server: Server, lifters: int, threads_each: int
) -> None:
    rounds = 4  # two own sets and two sets raced with the partner thread, per thread
    team = [Lifter(server) for _ in range(lifters)]
    try:
        outcome = _run_writers(server, team, threads_each, rounds)
        per_pair = rounds + rounds // 2  # 2 x own (rounds / 2) + shared (rounds / 2)
        _check(server, team, outcome, lifters * threads_each // 2 * per_pair)
    finally:
        for lifter in team:
            lifter.close()


# stale edits ----------------------------------------------------------------------------
def _conflict(r: httpx.Response) -> None:
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "conflict"
    assert error["field"] == "version"
    assert error["message"]


def test_an_edit_made_on_a_stale_version_is_refused(server: Server) -> None:
    me = Lifter(server)
    try:
        logged = me.log("squat", 100, 3, velocities=[0.6, 0.58, 0.55], rpe=8)
        set_id = logged["set"]["id"]
        seen = me.http.get(f"/sets/{set_id}").json()["version"]

        first = me.http.patch(f"/sets/{set_id}", json={"version": seen, "rpe": 8.5})
        assert first.status_code == 200, first.text
        assert first.json()["version"] == seen + 1
        assert first.json()["rpe"] == 8.5

        stale = me.http.patch(f"/sets/{set_id}", json={"version": seen, "rpe": 9})
        _conflict(stale)
        now = me.http.get(f"/sets/{set_id}").json()
        assert (now["rpe"], now["version"]) == (8.5, seen + 1)  # the stale edit wrote nothing
    finally:
        me.close()


def test_of_two_simultaneous_edits_of_one_version_one_wins(server: Server) -> None:
    me = Lifter(server)
    try:
        set_id = me.log("squat", 100, 3, velocities=[0.6, 0.58, 0.55])["set"]["id"]
        seen = me.http.get(f"/sets/{set_id}").json()["version"]
        barrier = threading.Barrier(8)

        def edit(rpe: float) -> httpx.Response:
            with _client(server, me) as http:
                barrier.wait(BARRIER_TIMEOUT_S)
                return http.patch(f"/sets/{set_id}", json={"version": seen, "rpe": rpe})

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(edit, [6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5]))
        won = [r for r in answers if r.status_code == 200]
        assert len(won) == 1, [r.status_code for r in answers]
        for r in answers:
            if r.status_code != 200:
                _conflict(r)
        now = me.http.get(f"/sets/{set_id}").json()
        assert (now["rpe"], now["version"]) == (won[0].json()["rpe"], seen + 1)
    finally:
        me.close()


def _client(server: Server, lifter: Lifter) -> httpx.Client:
    return server.client(headers={"Authorization": f"Bearer {lifter.token}"})


# connections ----------------------------------------------------------------------------
@pytest.mark.postgres
def test_a_worker_opens_no_more_connections_than_its_pool(postgres_schema_url: str) -> None:
    """Requests beyond the pool wait their turn instead of opening connections until
    PostgreSQL refuses them ("too many clients" at 64 clients on two workers, before)."""
    import time

    import psycopg

    from replog.api.settings import ApiSettings
    from tests.conftest import postgres_base_url
    from tests.e2e.api_support import running

    name = f"replog-test-{uuid.uuid4().hex[:8]}"
    url = f"{postgres_schema_url}&application_name={name}"
    settings = ApiSettings(
        url, pool_size=2, log_requests=False, argon2_time_cost=1, argon2_memory_kib=8192
    )
    peak, done = 0, threading.Event()

    def watch() -> None:
        nonlocal peak
        base = postgres_base_url()
        assert base is not None
        with psycopg.connect(base, autocommit=True) as conn:
            while not done.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
                ).fetchone()
                peak = max(peak, row[0] if row else 0)
                time.sleep(0.002)

    with running(settings) as srv:
        lifters = [Lifter(srv) for _ in range(4)]
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(max_workers=24) as pool:
                statuses = list(
                    pool.map(
                        lambda n: (
                            lifters[n % 4]
                            .http.post(
                                f"/athletes/{lifters[n % 4].athlete_id}/sets",
                                json=_set_body(str(uuid.uuid4()), n),
                            )
                            .status_code
                        ),
                        range(96),
                    )
                )
        finally:
            done.set()
            watcher.join()
            for lifter in lifters:
                lifter.close()
    assert statuses == [201] * 96
    assert 0 < peak <= 2 * settings.pool_size  # a reader's and a writer's per thread


def test_a_flood_of_sign_ins_is_queued_or_turned_away_and_stalls_no_one(database_url: str) -> None:
    """Issue 20, item 2: sign-ins hash a memory-hard password one slot at a time, waiting in
    the event loop (no thread held); past the queue they get 503 with Retry-After at once.
    Meanwhile another lifter's request is answered as fast as ever."""
    import time

    from replog.api.settings import ApiSettings
    from tests.e2e.api_support import running

    settings = ApiSettings(
        database_url, log_requests=False, argon2_time_cost=2, argon2_memory_kib=32768,
        password_slots=1, password_queue=4,
    )  # fmt: skip
    with running(settings) as srv:
        lifter = Lifter(srv, "ana")
        body = {"username": "nobody", "password": "wrong password"}
        times: list[float] = []

        def bogus(_: int) -> httpx.Response:
            with srv.client() as c:
                return c.post("/auth/login", json=body)

        assert lifter.http.get("/athletes").status_code == 200  # connected before the flood

        def other_request() -> None:
            for _ in range(10):
                t0 = time.perf_counter()
                assert lifter.http.get("/athletes").status_code == 200
                times.append(time.perf_counter() - t0)

        with ThreadPoolExecutor(max_workers=33) as pool:
            flood = [pool.submit(bogus, i) for i in range(32)]
            pool.submit(other_request).result()
            answers = [f.result() for f in flood]
        lifter.close()
    codes = sorted({r.status_code for r in answers})
    assert set(codes) <= {401, 429, 503}, codes
    busy = [r for r in answers if r.status_code == 503]
    assert busy, "past the queue a sign-in is turned away"
    assert all(
        r.headers["Retry-After"] == "1" and r.json()["error"]["code"] == "busy" for r in busy
    )
    # no one else waits for the hashes (the bound allows for a loaded 2-core CI machine)
    assert sorted(times)[len(times) // 2] < 0.3, times
    assert max(times) < 2.0, times
