"""Web pages on the demo data: how long each main screen takes to load.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_web.py [--requests N]
[--no-browser]`). Prints a table and writes benchmarks/results/web.json.

The server is the one `make run` starts: `replog --db sqlite:///... --athlete demo serve
--demo` (one worker, SQLite, the demo's months of training), in its own process. Two
measures per page, both against the issue's target of 300 ms:

* **server**: N sequential GETs of the HTML over one keep-alive connection with the demo
  lifter's (or the coach's) session cookie: from sending the request to the last byte of
  the HTML, p50/p95/max.
* **browser**: Debian's headless Chromium (Playwright, when installed) opens the page at
  phone size N/5 times with a warm cache, as a lifter going back to a screen does, and
  reads the Navigation Timing entry: from the start of navigation to the ``load`` event
  (HTML, styles, scripts and the service worker's first answer), p50/max.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results") / "web.json"
REPLOG = Path(sys.executable).with_name("replog")
PASSWORD = "replog-demo"
TARGET_MS = 300.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, body: Any = None,
    cookie: str = "",
) -> tuple[int, bytes, http.client.HTTPResponse]:  # fmt: skip
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read(), response


def _login(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body, response = _request(
        conn, "POST", "/api/v1/auth/login",
        {"username": username, "password": PASSWORD, "kind": "session"},
    )  # fmt: skip
    if status != 200:
        raise SystemExit(f"login {username}: {status} {body[:200]!r}")
    cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    conn.close()
    return "; ".join(cookies)


def _pages(port: int, cookie: str) -> list[tuple[str, str]]:
    """(path, who) for each main screen; ids found through the API like a client would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _, body, _ = _request(conn, "GET", "/api/v1/auth/me", cookie=cookie)
    athlete = json.loads(body)["athlete"]["id"]
    _, body, _ = _request(conn, "GET", f"/api/v1/athletes/{athlete}/sessions", cookie=cookie)
    sessions = json.loads(body)
    conn.close()
    session = sessions[0]["id"] if sessions else "none"
    demo = [
        "/", "/drive", "/drive?exercise=back-squat", "/history", f"/history/{session}",
        "/exercises", "/exercises/back-squat", "/battery", "/insights", "/more",
        "/more/import",
    ]  # fmt: skip
    return [(p, "demo") for p in demo] + [
        ("/team", "coach"),
        (f"/history?athlete={athlete}", "coach"),
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def server_times(
    port: int, pages: list[tuple[str, str]], cookies: dict[str, str], n: int
) -> list[dict[str, Any]]:
    out = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path, who in pages:
        times, statuses, size = [], set(), 0
        for i in range(n + 3):
            t0 = time.perf_counter()
            status, body, _ = _request(conn, "GET", path, cookie=cookies[who])
            ms = (time.perf_counter() - t0) * 1000
            statuses.add(status)
            size = len(body)
            if i >= 3:  # the first three warm the caches
                times.append(ms)
        out.append({
            "page": path, "as": who, "status": sorted(statuses), "bytes": size,
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(_pct(times, 0.95), 1),
            "max_ms": round(max(times), 1),
        })  # fmt: skip
    conn.close()
    return out


def browser_times(port: int, pages: list[tuple[str, str]], n: int) -> list[dict[str, Any]] | str:
    chromium = os.environ.get("REPLOG_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed"
    if not chromium:
        return "no chromium (apt-get install chromium)"
    out = []
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        contexts = {}
        for who in ("demo", "coach"):
            ctx = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
            page = ctx.new_page()
            page.goto(f"{base}/login")
            page.fill("#username", who)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            contexts[who] = page
        for path, who in pages:
            page = contexts[who]
            page.goto(base + path)  # warm: the cache and the service worker
            times = []
            for _ in range(n):
                page.goto(base + path, wait_until="load")
                timing = page.evaluate(
                    "() => { const e = performance.getEntriesByType('navigation')[0];"
                    " return [e.loadEventEnd - e.startTime, e.responseEnd - e.startTime]; }"
                )
                times.append(float(timing[0]))
            out.append({
                "page": path, "as": who, "load_p50_ms": round(statistics.median(times), 1),
                "load_max_ms": round(max(times), 1),
            })  # fmt: skip
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="GETs per page (server)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        env = {**os.environ, "REPLOG_LOG_REQUESTS": "0"}
        server = subprocess.Popen(
            [str(REPLOG), "--db", url, "--athlete", "demo", "serve", "--demo", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=open(Path(tmp) / "server.log", "w"),  # noqa: SIM115
            env=env, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    if _request(conn, "GET", "/api/v1/ready")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(
                        "the server did not start: "
                        + (Path(tmp) / "server.log").read_text()[-2000:]
                    )
                time.sleep(0.2)
            cookies = {who: _login(port, who) for who in ("demo", "coach")}
            pages = _pages(port, cookies["demo"])
            served = server_times(port, pages, cookies, args.requests)
            loaded = (
                "skipped (--no-browser)"
                if args.no_browser
                else browser_times(port, pages, max(3, args.requests // 5))
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    slow = [r["page"] for r in served if r["p95_ms"] >= TARGET_MS or r["status"] != [200]]
    if isinstance(loaded, list):
        slow += [r["page"] for r in loaded if r["load_p50_ms"] >= TARGET_MS]
    head = f"{'page':44} {'as':6} {'status':7} {'KiB':>6} {'p50':>7} {'p95':>7} {'max':>7}"
    print(f"{head}  browser load p50/max")
    by_page = {(r["page"], r["as"]): r for r in loaded} if isinstance(loaded, list) else {}
    for r in served:
        b = by_page.get((r["page"], r["as"]))
        shown = f"{b['load_p50_ms']:7.1f} {b['load_max_ms']:7.1f}" if b else "-"
        print(
            f"{r['page'][:44]:44} {r['as']:6} {','.join(map(str, r['status'])):7} "
            f"{r['bytes'] / 1024:6.1f} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['max_ms']:7.1f}"
            f"  {shown}"
        )
    if not isinstance(loaded, list):
        print(f"browser: {loaded}")
    verdict = "met" if not slow else f"missed on {', '.join(sorted(set(slow)))}"
    print(f"target: every page < {TARGET_MS:.0f} ms (server p95 and browser load p50): {verdict}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "web pages on the demo data", "command": "python benchmarks/bench_web.py",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "target_ms": TARGET_MS, "verdict": verdict, "server": served, "browser": loaded,
    }, indent=2) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
