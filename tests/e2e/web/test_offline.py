"""Sets logged without a connection wait in the outbox and arrive exactly once: offline,
then back online; and when the server took the set but its answer was lost, then the
write is retried by two tabs at once (the client's id makes every retry a replay)."""

# ruff: noqa: RUF001 - the page writes the multiplication sign and the en dash; so do the tests
from __future__ import annotations

from typing import Any

from tests.e2e.web.conftest import overflowing, sign_up, wait_until_sent
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


def fill(page: Any, load: str, reps: str, velocities: str = "") -> None:
    page.fill("#load", load)
    page.fill("#reps", reps)
    if velocities:
        if not page.locator("#velocities").is_visible():
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
    wait_until_sent(other)
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


def test_a_queued_set_is_fixed_or_withdrawn_before_it_is_sent(web: Any, phone: Any) -> None:
    page = phone
    sign_up(page, web.url, "mae")
    page.goto(f"{web.url}/drive?exercise=squat")
    page.goto(f"{web.url}/drive?exercise=squat")
    page.context.set_offline(True)
    fill(page, "1000", "3", "0.61 0.60 0.58")  # a typo: 1000 for 100
    page.get_by_role("button", name="Log set").click()
    page.locator("#sets li.queued").wait_for()
    fill(page, "100", "3")
    page.get_by_role("button", name="Log set").click()
    page.locator("#sets li.queued >> nth=1").wait_for()
    first, second = (i["body"]["id"] for i in outbox(page))

    page.get_by_role("button", name="Edit queued set 1000 kg × 3").click()
    editor = page.get_by_role("form", name="Edit queued set 1000 kg × 3")
    assert editor.get_by_label("Load (kg)").input_value() == "1000"
    editor.get_by_label("Reps").fill("2")  # fewer reps than the three velocities: refused here
    editor.get_by_role("button", name="Save").click()
    assert "3 velocities for 2 reps" in editor.get_by_role("alert").inner_text()
    assert outbox(page)[0]["body"]["reps"] == 3
    editor.get_by_label("Load (kg)").fill("102.5")
    editor.get_by_label("Reps").fill("4")
    editor.get_by_label("RPE").fill("8.5")
    snap(page, "drive-queued-edit")
    editor.get_by_role("button", name="Save").click()
    page.locator("#sets li.queued", has_text="102.5 kg × 4 @8.5").wait_for()

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Edit queued set 100 kg × 3").click()
    page.get_by_role("form", name="Edit queued set 100 kg × 3").get_by_role(
        "button", name="Delete set"
    ).click()
    page.locator("#sets li").nth(1).wait_for(state="detached")
    assert page.locator("#sets li").count() == 1
    assert "2 changes waiting" in page.locator("#net").inner_text()
    edited, withdrawn = outbox(page)
    assert (edited["body"]["id"], edited["body"]["load"], edited["body"]["reps"]) == (
        first,
        102.5,
        4,
    )
    assert (withdrawn["method"], withdrawn["path"]) == ("DELETE", f"/sets/{second}")

    page.reload()  # still offline: the page from the worker shows the queue as it now is
    page.locator("#sets li.queued", has_text="102.5 kg × 4").wait_for()
    assert page.locator("#sets li").count() == 1

    page.context.set_offline(False)
    page.locator("#sets li:not(.queued)").wait_for()
    wait_until_sent(page)
    (stored,) = stored_sets(page, web.api)  # the withdrawn set never reached the server
    assert stored["id"] == first
    assert (stored["load"]["value"], stored["reps"], stored["rpe"]) == ("102.5", 4, 8.5)
    assert [r["mcv"] for r in stored["rep_data"]] == [0.61, 0.60, 0.58]


def test_an_edit_of_a_set_whose_answer_was_lost_follows_it(web: Any, phone: Any) -> None:
    """The server stored the set but the phone never heard: the retry is answered with the
    original, so the edit made meanwhile is sent after it (and a withdrawal deletes it)."""
    page = phone
    sign_up(page, web.url, "noa")
    page.goto(f"{web.url}/drive?exercise=bench")

    def lose_the_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()
        route.abort("connectionreset")

    page.route(SETS, lose_the_answer)
    fill(page, "80", "5")
    page.get_by_role("button", name="Log set").click()
    page.locator("#sets li.queued").wait_for()
    fill(page, "85", "5")
    page.get_by_role("button", name="Log set").click()
    page.locator("#sets li.queued >> nth=1").wait_for()
    assert len(stored_sets(page, web.api)) == 2  # both are on the server already
    keep, drop = (i["body"]["id"] for i in outbox(page))

    page.get_by_role("button", name="Edit queued set 80 kg × 5").click()
    page.get_by_role("form", name="Edit queued set 80 kg × 5").get_by_label("Reps").fill("6")
    page.get_by_role("form", name="Edit queued set 80 kg × 5").get_by_role(
        "button", name="Save"
    ).click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Edit queued set 85 kg × 5").click()
    page.get_by_role("form", name="Edit queued set 85 kg × 5").get_by_role(
        "button", name="Delete set"
    ).click()
    page.unroute(SETS)

    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_sent(page)
    (stored,) = stored_sets(page, web.api)
    assert (stored["id"], stored["reps"]) == (keep, 6)
    assert drop != keep
    page.locator("#sets li:not(.queued)", has_text="80 kg × 6").wait_for()
