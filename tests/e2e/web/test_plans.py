"""Plans in the browser at phone size: the library and Follow, the template editor (a bad
document is refused with its path named and nothing saved; a good one is kept), today's
plan on Today with warm-ups and velocity-prescribed work sets, the session started from it,
Drive's plan line steered set by set (a drop-off holds the load), and a coach planning for
a lifter who gave write access."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.web.conftest import overflowing, shoot, sign_up
from tests.e2e.web.test_drive import snap

VBT = "Velocity-based strength block (20% cut-off)"


def csrf(page: Any) -> str:
    return str(next(c["value"] for c in page.context.cookies() if c["name"] == "replog_csrf"))


def my_athlete(page: Any, web: Any) -> str:
    return str(page.request.get(f"{web.api}/auth/me").json()["athlete"]["id"])


def bad_and_good_documents(page: Any) -> None:
    """The editor: a document with an RPE of 12 is refused with its path, and saved fixed."""
    doc = json.loads(page.locator("#plan-doc").input_value())
    assert doc["schema"] == "replog.template/1"  # the starter
    doc["exercises"][0]["sets"][0] = {"reps": 5, "rpe": 12}
    page.fill("#plan-doc", json.dumps(doc))
    page.get_by_role("button", name="Save plan").click()
    error = page.locator("#plan-error")
    error.wait_for()
    assert error.inner_text().startswith("exercises[0].sets[0].rpe: ")
    assert "12" in error.inner_text()
    assert page.locator(".plan-item", has_text="My squat day").count() == 0
    page.reload()
    assert page.locator(".plan-item", has_text="My squat day").count() == 0  # nothing saved
    doc["exercises"][0]["sets"][0] = {"reps": 5, "count": 3, "rpe": 8}
    page.fill("#plan-doc", json.dumps(doc))
    page.get_by_role("button", name="Save plan").click()
    page.wait_for_url("**/plans?edit=*")
    mine = page.locator(".plan-item", has_text="My squat day")
    assert "Yours" in mine.inner_text()
    assert json.loads(page.locator("#plan-doc").input_value())["name"] == "My squat day"


def test_the_library_and_the_template_editor(web: Any, phone: Any, desktop: Any) -> None:
    page = phone
    sign_up(page, web.url, "pia")
    desktop.context.add_cookies(page.context.cookies())
    page.goto(f"{web.url}/more")
    page.get_by_role("link", name="Programs and templates").click()
    page.wait_for_url(f"{web.url}/plans")
    names = page.locator(".plan-item h3").all_inner_texts()
    assert VBT in names
    assert "Novice linear 3x5" in names
    assert page.locator("#following-none").is_visible()
    bad_and_good_documents(page)
    # the form adds an exercise to the document as the schema spells it
    page.locator("#builder summary").click()
    page.select_option("#b-exercise", "bench-press")
    page.select_option("#b-basis", "percent_e1rm")
    page.fill("#b-value", "75")
    page.get_by_role("button", name="Add to the document").click()
    added = json.loads(page.locator("#plan-doc").input_value())["weeks"][0]["days"][0]
    assert added["exercises"][-1]["exercise"] == "bench-press"
    assert added["exercises"][-1]["sets"][0]["percent_e1rm"] == 75
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    kept = json.loads(page.locator("#plan-doc").input_value())["weeks"][0]["days"][0]
    assert [e["exercise"] for e in kept["exercises"]] == ["back-squat", "bench-press"]
    page.get_by_role("button", name=f"Follow {VBT}").click()
    page.locator("#following-name").wait_for()
    assert page.locator("#following-name").inner_text() == VBT
    assert overflowing(page) == []
    snap(page, "plans")
    desktop.goto(f"{web.url}/plans")
    assert overflowing(desktop) == []
    shoot(desktop, "plans")
    page.get_by_role("button", name="Stop following").click()
    page.locator("#following-none").wait_for()
