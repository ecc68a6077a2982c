"""Sets logged without a connection wait in the outbox and arrive exactly once: offline,
then back online; and when the server took the set but its answer was lost, then the
write is retried by two tabs at once (the client's id makes every retry a replay)."""

# ruff: noqa: RUF001 - the page writes the multiplication sign and the en dash; so do the tests
from __future__ import annotations

from typing import Any

from tests.e2e.web.conftest import overflowing, sign_up
from tests.e2e.web.test_drive import snap

SETS = "**/api/v1/athletes/*/sets"


def stored_sets(page: Any, api: str) -> list[dict[str, Any]]:
    """Every set of the signed-in lifter, read over the API."""
    me = page.request.get(f"{api}/auth/me").json()
    sessions = page.request.get(f"{api}/athletes/{me['athlete']['id']}/sessions").json()
    out: list[dict[str, Any]] = []
    for s in sessions:
        out += page.request.get(f"{api}/sessions/{s['id']}").json()["sets"]
    return out


def outbox(page: Any) -> list[Any]:
    items: list[Any] = page.evaluate("JSON.parse(localStorage.getItem('replog.outbox') || '[]')")
    return items


def fill(page: Any, load: str, reps: str, velocities: str) -> None:
    page.fill("#load", load)
    page.fill("#reps", reps)
    page.locator("#vel-details summary").click()
    page.fill("#velocities", velocities)


def test_a_set_logged_offline_is_queued_then_sent_once(web: Any, phone: Any) -> None:
    page = phone
    sign_up(page, web.url, "kai")
    page.goto(f"{web.url}/drive?exercise=squat")
    page.goto(f"{web.url}/drive?exercise=squat")  # a second visit: the worker has it cached
    page.context.set_offline(True)
    fill(page, "100", "3", "0.61 0.60 0.58")
    page.get_by_role("button", name="Log set").click()
    row = page.locator("#sets li.queued")
    row.wait_for()
    assert "Queued" in row.inner_text()
    assert "Queued: the verdict comes" in page.locator("#verdict").inner_text()
    net = page.locator("#net")
    assert net.is_visible()
    assert "1 set waiting" in net.inner_text()
    assert page.locator("#rest").is_visible()  # the rest timer runs offline too
    (item,) = outbox(page)
    assert item["body"]["exercise"] == "back-squat"
    assert item["body"]["reps"] == 3
    assert overflowing(page) == []
    snap(page, "drive-offline")

    # a reload without a network: the page comes from the worker, the set still queued
    page.reload()
    page.locator("#sets li.queued").wait_for()
    assert page.locator("#sets li").count() == 1
    assert len(outbox(page)) == 1

    page.context.set_offline(False)  # the "online" event flushes the outbox
    page.locator("#sets li:not(.queued)").wait_for()
    assert page.locator("#sets li").count() == 1
    assert "0.60 m/s" in page.locator("#sets li").inner_text()
    assert page.locator("#verdict svg.vbars rect.bar").count() == 3
    assert outbox(page) == []
    page.locator("#net").wait_for(state="hidden")

    page.evaluate("window.dispatchEvent(new Event('online'))")  # flushing again sends nothing
    page.reload()
    assert page.locator("#sets li").count() == 1
    (stored,) = stored_sets(page, web.api)
    assert stored["id"] == item["body"]["id"]
    assert [r["mcv"] for r in stored["rep_data"]] == [0.61, 0.60, 0.58]


def test_a_set_whose_answer_was_lost_is_stored_once(web: Any, phone: Any) -> None:
    page = phone
    sign_up(page, web.url, "lea")
    page.goto(f"{web.url}/drive?exercise=bench")
    reached: list[int] = []

    def lose_the_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()  # the server logs the set...
        reached.append(response.status)
        route.abort("connectionreset")  # ...and the answer never arrives

    page.route(SETS, lose_the_answer)
    fill(page, "80", "5", "0.70 0.69 0.66 0.64 0.60")
    page.get_by_role("button", name="Log set").click()
    page.locator("#sets li.queued").wait_for()
    assert reached == [201]
    assert len(stored_sets(page, web.api)) == 1  # it is on the server already
    (item,) = outbox(page)
    page.unroute(SETS)

    # two tabs flush the same outbox at once, and each flushes twice
    other = page.context.new_page()
    other.goto(f"{web.url}/drive?exercise=bench")
    for p in (page, other, page, other):
        p.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#sets li:not(.queued)").wait_for()
    other.wait_for_function(
        "JSON.parse(localStorage.getItem('replog.outbox') || '[]').length === 0"
    )
    assert page.locator("#sets li").count() == 1
    assert "80 kg × 5" in page.locator("#sets li").inner_text()

    for p in (page, other):
        p.reload()
        assert p.locator("#sets li").count() == 1
    (stored,) = stored_sets(page, web.api)
    assert stored["id"] == item["body"]["id"]
    assert stored["reps"] == 5
    assert stored["load"]["value"] == "80"
    other.close()
