"""Sign up in the browser, check in in a few taps, and see the battery take it in."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.web.conftest import overflowing, shoot, sign_up

NEEDS = ("A check-in", "A warm-up set with bar velocity at your anchor load",
         "A week of logged training")  # fmt: skip


def test_sign_up_then_check_in(web: Any, phone: Any, desktop: Any) -> None:
    page = phone
    page.goto(f"{web.url}/")
    assert "/login" in page.url  # signed out: sent to sign in, and back afterwards
    shoot(page, "login")
    sign_up(page, web.url, "ana")
    assert page.get_by_role("heading", name="Battery").is_visible()
    assert page.get_by_role("link", name="Today").get_attribute("aria-current") == "page"

    page.get_by_role("button", name="Half an hour less").click()  # 7.5 h
    page.get_by_text("4", exact=True).first.click()  # sleep quality 4
    page.locator("label[for=stress-2]").click()
    page.locator("label[for=soreness-4]").click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_role("button", name="Update check-in").wait_for()
    assert page.locator("#sleep_h").input_value() == "7.5"
    assert page.locator("#stress-2").is_checked()
    assert page.locator("#soreness-4").is_checked()
    assert "no check-in today" not in page.content()
    assert overflowing(page) == []
    shoot(page, "today")

    cookies = page.context.cookies()
    desktop.context.add_cookies(cookies)
    desktop.goto(f"{web.url}/")
    assert desktop.get_by_role("heading", name="Battery").is_visible()
    assert overflowing(desktop) == []
    shoot(desktop, "today")
    desktop.goto(f"{web.url}/login")
    shoot(desktop, "login")


def test_wrong_password_is_said_plainly(web: Any, phone: Any) -> None:
    sign_up(phone, web.url, "ben")
    phone.context.clear_cookies()
    phone.goto(f"{web.url}/login")
    phone.get_by_label("Username").fill("ben")
    phone.get_by_label("Password").fill("not the password")
    phone.get_by_role("button", name="Sign in").click()
    error = phone.get_by_role("alert")
    error.wait_for()
    assert "password" in error.inner_text().lower()
    assert "/login" in phone.url


def test_no_data_reads_no_reading_yet_not_a_full_battery(web: Any, phone: Any) -> None:
    """Issue 19: a new lifter's Today read "100 of 100, go for it ... none confidence" and
    the battery page drew four weeks of 100s. Now: no reading, what gives one, no points."""
    sign_up(phone, web.url, "nora")
    battery = phone.locator("section.battery")
    ring = battery.get_by_role("img", name="Battery: no reading yet")
    assert ring.is_visible()
    text = battery.inner_text()
    assert "No reading yet" in text
    for gone in ("100", "of 100", "go for it", "confidence"):
        assert gone not in text, gone
    needs = battery.locator("ul.needs li").all_inner_texts()
    assert [n.split(" (")[0] for n in needs] == list(NEEDS)
    assert battery.locator("svg.spark").count() == 0  # no reading on any day: no line
    assert overflowing(phone) == []
    shoot(phone, "today-no-reading")

    phone.goto(f"{web.url}/battery")
    assert phone.locator("svg.series").count() == 0  # not one point drawn
    main = phone.locator("main").inner_text()
    assert "No readings in these 4 weeks" in main
    assert "today: no reading yet" in main
    assert "100" not in main
    assert phone.locator("main ul.needs li").count() == 3
    assert overflowing(phone) == []
    shoot(phone, "battery-no-reading")


def test_the_check_in_sends_only_the_fields_touched(web: Any, phone: Any) -> None:
    """Issue 19: soreness started on 3 in the form, was saved untouched and cost points."""
    sign_up(phone, web.url, "tess")
    form = phone.locator("form#checkin")
    assert form.locator("input[type=radio]:checked").count() == 0  # nothing chosen for you
    assert phone.locator("#sleep_h").input_value() == ""
    phone.locator("label[for=sleep_quality-4]").click()
    phone.get_by_role("button", name="Save check-in").click()
    phone.get_by_role("button", name="Update check-in").wait_for()

    athlete = phone.request.get(f"{web.url}/api/v1/athletes").json()[0]["id"]
    (stored,) = phone.request.get(f"{web.url}/api/v1/athletes/{athlete}/checkins").json()
    assert stored["sleep_quality"] == 4
    assert (stored["sleep_h"], stored["stress"], stored["soreness"]) == (None, None, None)
    reasons = phone.locator("section.battery ul.reasons li").all_inner_texts()
    assert len(reasons) == 1
    assert "sleep quality 4/5" in reasons[0]
    assert phone.locator("#stress-3").is_checked() is False
    assert phone.locator("section.battery").get_by_role("img", name="Battery: 100 of 100").count()

    # a second visit changes only what is touched again: the sleep stepper from its 8 h
    phone.get_by_role("button", name="Half an hour less").click()
    with phone.expect_navigation():  # saved, then the page reloads
        phone.get_by_role("button", name="Update check-in").click()
    assert phone.locator("#sleep_h").input_value() == "7.5"
    (stored,) = phone.request.get(f"{web.url}/api/v1/athletes/{athlete}/checkins").json()
    assert (stored["sleep_h"], stored["sleep_quality"], stored["soreness"]) == (7.5, 4, None)

    phone.get_by_role("button", name="Update check-in").click()  # nothing touched since
    expect(phone.locator("#toast")).to_contain_text("Nothing to save yet")
    shoot(phone, "today-checked-in")


def test_pages_and_the_api_say_where_scripts_may_come_from(web: Any) -> None:
    """Issue 20, item 9: a Content-Security-Policy (only this server's scripts and styles,
    the import map by its hash; no framing), nosniff and a referrer policy on every
    response. The browser tests run under it: a script error or a refusal fails them."""
    import httpx

    for path in ("/login", "/api/v1/health", "/api/v1/docs", "/static/app.css"):
        r = httpx.get(f"{web.url}{path}")
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in csp, csp
        assert "unsafe" not in csp, csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
