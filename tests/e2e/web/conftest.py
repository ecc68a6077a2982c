"""Browser fixtures: Debian's headless Chromium driven by Playwright against a real server.

The browser is the system one (``executable_path``), never a downloaded build; without it
(or without the playwright package) every web test is skipped with a message saying how to
get it. Screenshots go to tests/e2e/screenshots/ as ``<name>-phone.png`` and
``<name>-desktop.png``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("REPLOG_CHROMIUM") or shutil.which("chromium") or ""
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}  # fmt: skip
DESKTOP = {"viewport": {"width": 1280, "height": 860}}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None

NO_BROWSER = (
    "web tests need Chromium and playwright: `apt-get install chromium` (.ci/run does "
    "this) and `pip install -e '.[dev]'`; or set REPLOG_CHROMIUM to a Chromium binary"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM or sync_playwright is None:
        pytest.skip(NO_BROWSER)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def web(tmp_path: Path, migrated_sqlite_template: Path) -> Iterator[Any]:
    """The real server (web app and API) on a fresh SQLite file (migrated, empty)."""
    from replog.api.settings import ApiSettings
    from replog.web.app import create_web_app
    from tests.e2e.api_support import running
    from tests.e2e.conftest import migrated_copy

    db = migrated_copy(migrated_sqlite_template, tmp_path / "web.db")
    settings = ApiSettings(
        f"sqlite:///{db}", log_requests=False, argon2_time_cost=1, argon2_memory_kib=8192,
    )  # fmt: skip
    with running(settings, create_web_app) as srv:
        yield srv


def new_context(browser: Browser, size: str, **extra: Any) -> BrowserContext:
    context = browser.new_context(**SIZES[size], **extra)
    context.set_default_timeout(10_000)
    return context


def watched(page: Page) -> list[str]:
    """The page's script errors and what its Content-Security-Policy refused, as they come."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = new_context(browser, "phone")
    page = context.new_page()
    errors = watched(page)
    yield page
    close(context)
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = new_context(browser, "desktop")
    page = context.new_page()
    errors = watched(page)
    yield page
    close(context)
    assert not errors, f"script errors on the page: {errors}"


def close(context: BrowserContext) -> None:
    """Leave each page for a blank one, then close. Closing a context while a page is
    still navigating (a reload the test did not wait for) can hang Playwright for good;
    this waits for that navigation instead, and fails if it never ends."""
    for page in context.pages:
        for _ in range(3):
            try:
                page.goto("about:blank", timeout=5_000)
                break
            except PlaywrightError:  # "interrupted by another navigation": let it finish
                page.wait_for_load_state(timeout=5_000)
                if page.url == "about:blank":
                    break
    context.close()


def shoot(page: Page, name: str) -> Path:
    """Save a full-page screenshot at the page's size (phone or desktop)."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    size = "phone" if width < 720 else "desktop"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{size}.png"
    # A full-page capture would paint the phone's fixed tab bar mid-page, over content; pin
    # it to the page's end for the capture, where it is when the lifter has scrolled down.
    # (Through the CSSOM: the pages' Content-Security-Policy refuses an injected <style>.)
    pin = size == "phone"
    if pin:
        page.evaluate(
            "() => { document.body.style.position = 'relative'; "
            "document.querySelectorAll('.tabs').forEach(t => t.style.setProperty("
            "'position', 'absolute', 'important')); }"
        )
    page.screenshot(path=str(path), full_page=True)
    if pin:
        page.evaluate(
            "() => { document.body.style.removeProperty('position'); "
            "document.querySelectorAll('.tabs').forEach(t => t.style.removeProperty('position')); }"
        )
    return path


def overflowing(page: Page) -> list[str]:
    """Elements wider than the viewport or cut off at its right edge: nothing may be."""
    found: list[str] = page.evaluate(
        """() => {
          const w = document.documentElement.clientWidth, out = [];
          if (document.documentElement.scrollWidth > w + 1) out.push('page scrolls sideways');
          for (const el of document.querySelectorAll('main *, header *, nav *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > w + 1 && getComputedStyle(el).position !== 'fixed')
              out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                       + (typeof el.className === 'string' ? '.' + el.className : ''));
          }
          return out.slice(0, 10);
        }"""
    )
    return found


def sign_up(page: Page, base: str, username: str, password: str = "correct horse battery") -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/")


def sign_in(page: Page, base: str, username: str, password: str | None = None) -> None:
    """Sign in on the login page (by default with the API tests' password)."""
    from tests.e2e.api_support import PASSWORD

    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def wait_until_sent(page: Page, timeout_s: float = 10.0) -> None:
    """Wait for the page's outbox of queued writes to empty. (Polled from here: the pages'
    Content-Security-Policy refuses the string evaluation ``wait_for_function`` uses.)"""
    import time

    deadline = time.monotonic() + timeout_s
    script = "() => JSON.parse(localStorage.getItem('replog.outbox') || '[]').length"
    while page.evaluate(script) != 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox did not empty in {timeout_s:g} s")
        page.wait_for_timeout(50)
