"""A set's video on the Drive page (issue 22): a rendered side-view squat video chosen for
a logged set is uploaded, and the page shows each rep's MCV and ROM and the set's refreshed
verdict; where the server finds no plate, the first frame is tapped and the upload sent
again with that point."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from tests.e2e.web.conftest import overflowing, sign_up
from tests.e2e.web.test_drive import log_set, snap


def _choose(page: Any, path: Any) -> None:
    page.locator("#sets .set-row").first.get_by_role("button", name="Video of set 1").click()
    page.locator(".set-video select").select_option("0.45")
    page.locator(".set-video input[type=file]").set_input_files(str(path))


def test_a_video_of_a_logged_set_shows_its_reps_and_verdict(
    web: Any, phone: Any, tiny_squat_video: Any
) -> None:
    path, truth = tiny_squat_video
    sign_up(phone, web.url, "vida")
    phone.goto(f"{web.url}/drive?exercise=squat&load=100")
    log_set(phone, 100, 3, "8")  # one rep more than filmed: the lifter settles it
    assert phone.locator("#sets .set-row").first.locator(".muted").inner_text() == "no velocity"
    file_input = phone.locator(".set-row input[type=file]")
    _choose(phone, path)
    assert file_input.get_attribute("accept") == "video/*"
    assert file_input.get_attribute("capture") == "environment"
    status = phone.locator(".set-video .rec-status")
    take = phone.get_by_role("button", name="Take the video's rep count")
    take.wait_for(timeout=30_000)
    assert "2 reps but the set was logged with 3" in status.inner_text()
    take.click()
    status.filter(has_text="2 reps from the video").wait_for(timeout=30_000)
    reps = phone.locator(".video-reps li")
    assert reps.count() == 2
    for i, want in enumerate(truth):
        text = reps.nth(i).inner_text()
        mcv = float(text.split(" m/s")[0].split()[-1])
        rom_cm = float(text.split("ROM ")[1].split(" cm")[0])
        assert mcv == np.round(mcv, 2)
        assert abs(mcv - want.mcv) < 0.06, (text, want.mcv)
        assert abs(rom_cm - want.rom * 100) < 4, (text, want.rom)
    assert phone.locator(".set-video svg.vbars rect.bar").count() == 2
    # the row and the verdict card now carry the video's velocities
    row = phone.locator("#sets .set-row").first
    assert "m/s" in row.locator(".speed").inner_text()
    assert row.locator(".dose").inner_text().endswith("\N{MULTIPLICATION SIGN} 2 @8")
    assert phone.locator("#verdict svg.vbars rect.bar").count() == 2
    assert overflowing(phone) == []
    phone.locator(".set-video").scroll_into_view_if_needed()
    snap(phone, "drive-video")


def test_no_plate_found_asks_for_a_tap_and_sends_it(
    web: Any, phone: Any, tiny_squat_video: Any
) -> None:
    """The server's no-plate refusal (stood in for on the first upload: the renderer's
    plates are found) brings up the first frame; a tap on the plate sends the video again
    with that point in the video's pixels, and its reps arrive."""
    path, _ = tiny_squat_video
    sign_up(phone, web.url, "tapa")
    phone.goto(f"{web.url}/drive?exercise=squat&load=100")
    log_set(phone, 100, 2, "8")
    sent: list[str] = []

    def no_plate_first(route: Any) -> None:
        sent.append(route.request.url)
        if "tap=" in route.request.url:
            route.continue_()
            return
        said = "no plate found: film the bar end-on from the side"
        body = {"error": {"code": "invalid", "field": "plate", "line": None, "message": said}}
        route.fulfill(status=422, content_type="application/json", body=json.dumps(body))

    phone.route("**/api/v1/sets/*/video*", no_plate_first)
    _choose(phone, path)
    frame = phone.locator("img.video-frame")
    frame.wait_for(timeout=20_000)
    assert "tap the middle of the plate" in phone.locator(".set-video .rec-status").inner_text()
    # the plate of the tiny video is near (193, 142) of 480x270: tap there on the shown frame
    box = frame.bounding_box()
    assert box is not None
    frame.click(position={"x": box["width"] * 193 / 480, "y": box["height"] * 142 / 270})
    phone.locator(".set-video .rec-status").filter(has_text="2 reps from the video").wait_for(
        timeout=30_000
    )
    assert len(sent) == 2
    tap = sent[1].split("tap=")[1].split("&")[0].replace("%2C", ",")
    x, y = (float(v) for v in tap.split(","))
    assert abs(x - 193) <= 3, tap
    assert abs(y - 142) <= 3, tap
