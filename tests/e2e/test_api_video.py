"""Video uploads over real HTTP (issue 22): ``POST /sets/{id}/video`` stores a rendered
video's reps on a logged set as ``replog video attach`` does, and ``POST /video/preview``
answers the first frame and the plate. Unusable videos get one line and store nothing."""

from __future__ import annotations

import base64
import tempfile
import uuid
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np
import pytest

from replog.api.settings import ApiSettings
from tests.e2e.api_support import Lifter, running
from tests.e2e.video_support import unusable_videos, write_video


def upload(
    lifter: Lifter, set_id: str, body: bytes, kind: str = "video/mp4", **params: Any
) -> httpx.Response:
    headers = {"Content-Type": kind}
    return lifter.http.post(f"/sets/{set_id}/video", content=body, params=params, headers=headers)


def test_a_video_s_reps_are_stored_on_the_set_with_its_verdict(server, lifter_on, tiny_squat_video):
    path, truth = tiny_squat_video
    lifter = lifter_on(server)
    set_id = lifter.log("squat", 100, 2)["set"]["id"]
    body = path.read_bytes()
    r = upload(lifter, set_id, body, plate_diameter=0.45)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [x["index"] for x in doc["reps"]] == [1, 2]
    for got, want in zip(doc["reps"], truth, strict=True):
        assert got["mcv"] == pytest.approx(want.mcv, abs=0.05)
        assert got["rom"] == pytest.approx(want.rom, abs=0.03)
        assert 0 < got["confidence"] <= 1
        assert isinstance(got["quality"], list)
        assert got["mpv"] >= got["mcv"]
        assert got["peak_velocity"] > got["mcv"]
    assert [x["source"] for x in doc["set"]["rep_data"]] == ["video"] * 2
    assert doc["verdict"]["set"]["mean_velocity"] == pytest.approx(
        np.mean([x["mcv"] for x in doc["reps"]]), abs=0.01
    )
    # the same video again (a retry): one set of reps, the same numbers
    again = upload(lifter, set_id, body)
    assert again.status_code == 200, again.text
    stored = lifter.http.get(f"/sets/{set_id}").json()
    assert len(stored["rep_data"]) == 2
    assert [x["mcv"] for x in stored["rep_data"]] == [x["mcv"] for x in doc["set"]["rep_data"]]
    # a wrong count is refused unless asked for, and nothing changes
    three = lifter.log("squat", 100, 3)["set"]["id"]
    r = upload(lifter, three, body)
    assert (r.status_code, r.json()["error"]["field"]) == (422, "reps")
    assert lifter.http.get(f"/sets/{three}").json()["rep_data"] == []
    r = upload(lifter, three, body, update_reps="true")
    assert (r.status_code, r.json()["set"]["reps"]) == (200, 2)


def test_bad_uploads_get_one_line_and_store_nothing(server, lifter_on, tmp_path, monkeypatch):
    # the server runs in this process: its spools go to a folder of this test's own, so
    # another worker's upload at the same moment cannot look like a file left behind
    spool_root = tmp_path / "spools"
    spool_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_root))
    before = _spools()
    assert before == set()
    lifter, other = lifter_on(server), lifter_on(server)
    set_id = lifter.log("squat", 100, 3)["set"]["id"]

    def refused(r: httpx.Response, status: int, words: str) -> None:
        assert r.status_code == status, r.text
        message = r.json()["error"]["message"]
        assert words in message, message
        assert "\n" not in message

    refused(upload(lifter, set_id, b"3 squats, felt good\n", "text/plain"), 415, "video/*")
    refused(upload(lifter, set_id, b"3 squats, felt good\n"), 422, "cannot read")
    refused(upload(lifter, set_id, b""), 422, "empty")
    for words, path in unusable_videos(tmp_path).items():
        r = upload(lifter, set_id, path.read_bytes())
        refused(r, 422, words)
        # a page asks for a tap on the first frame by the field, never by the wording
        assert r.json()["error"]["field"] == ("plate" if words == "no plate found" else "file")
    refused(upload(lifter, set_id, b"x", tap="12"), 422, "X,Y")
    refused(upload(lifter, set_id, b"x", plate_diameter=2), 422, "0.6")
    assert lifter.http.get(f"/sets/{set_id}").json()["rep_data"] == []
    assert upload(other, set_id, b"x").status_code == 404  # not theirs to see
    assert upload(lifter, str(uuid.uuid4()), b"x").status_code == 404
    assert _spools() <= before  # every temporary file removed


def _spools() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("replog-video-*"))


def test_the_body_limit_holds_for_videos(migrated_database_url):
    before = _spools()
    settings = ApiSettings(
        migrated_database_url, log_requests=False, argon2_time_cost=1, argon2_memory_kib=8192,
        max_video_bytes=1000,
    )  # fmt: skip
    with running(settings) as srv:
        lifter = Lifter(srv)
        try:
            set_id = lifter.log("squat", 100, 3)["set"]["id"]
            r = upload(lifter, set_id, bytes(5000))
            assert (r.status_code, r.json()["error"]["code"]) == (413, "too_large")
        finally:
            lifter.close()
    assert _spools() <= before  # the spooled file went with the refusal


def test_preview_answers_the_first_frame_and_the_plate(
    server, lifter_on, tiny_squat_video, tmp_path
):
    lifter = lifter_on(server)
    path, _ = tiny_squat_video
    r = lifter.http.post(
        "/video/preview", content=path.read_bytes(), headers={"Content-Type": "video/mp4"}
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["width"], doc["height"], doc["fps"]) == (480, 270, pytest.approx(60.0))
    frame = cv2.imdecode(np.frombuffer(base64.b64decode(doc["jpeg"]), np.uint8), cv2.IMREAD_COLOR)
    assert frame.shape == (270, 480, 3)
    plate = doc["plate"]
    assert 0 < plate["x"] < 480
    assert 0 < plate["y"] < 270
    assert 10 < plate["r"] < 40
    empty = unusable_videos(tmp_path)["no plate found"]
    r = lifter.http.post(
        "/video/preview", content=empty.read_bytes(), headers={"Content-Type": "video/mp4"}
    )
    assert (r.status_code, r.json()["plate"]) == (200, None)


def test_video_routes_are_in_the_openapi_document(server):
    with server.client() as anon:
        paths = anon.get("/openapi.json").json()["paths"]
    upload_op = paths["/api/v1/sets/{set_id}/video"]["post"]
    assert "video/*" in upload_op["requestBody"]["content"]
    assert {p["name"] for p in upload_op["parameters"]} >= {"plate_diameter", "tap", "update_reps"}
    assert "/api/v1/video/preview" in paths


def test_a_still_plate_has_no_reps_to_attach(server, lifter_on, tiny_squat_video, tmp_path):
    """The plate found but never lifted: the attach service's one refusal, as the CLI's."""
    path, _ = tiny_squat_video
    cap = cv2.VideoCapture(str(path))
    ok, first = cap.read()
    cap.release()
    assert ok
    still = write_video(tmp_path / "still.mp4", [first] * 90, 60.0)
    lifter = lifter_on(server)
    set_id = lifter.log("squat", 100, 2)["set"]["id"]
    r = upload(lifter, set_id, still.read_bytes())
    assert (r.status_code, r.json()["error"]["field"]) == (422, "file"), r.text
    assert r.json()["error"]["message"] == "the video holds no reps to attach"
    assert lifter.http.get(f"/sets/{set_id}").json()["rep_data"] == []
