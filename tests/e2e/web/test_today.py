"""Sign up in the browser, check in in a few taps, and see the battery take it in."""

from __future__ import annotations

from typing import Any

from tests.e2e.web.conftest import overflowing, shoot, sign_up


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
