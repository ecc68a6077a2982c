"""`replog video` end to end (issue 22): a short rendered side-view video of a simulated set
(benchmarks/video_render.py, known truth) gives its reps and velocities; unusable videos
get one line naming what is wrong."""

from __future__ import annotations

import pytest

from tests.e2e.video_support import unusable_videos


def test_reps_and_velocities_from_a_rendered_video(cli, squat_video):
    """Every rep found; MCV within 0.05 m/s and ROM within 3 cm of the truth (the benchmark
    measures the RMSE over many sets)."""
    path, truth = squat_video
    doc = cli("video", "reps", str(path), "--exercise", "squat", "--json").json()
    assert doc["sensor"] == "video"
    assert doc["video"]["fps"] == pytest.approx(60.0)
    assert doc["video"]["tilt_deg"] == pytest.approx(6.0, abs=2.0)
    assert len(doc["reps"]) == len(truth) == 3
    for got, want in zip(doc["reps"], truth, strict=True):
        assert got["mcv"] == pytest.approx(want.mcv, abs=0.05)
        assert got["rom"] == pytest.approx(want.rom, abs=0.03)
        assert got["start"] == pytest.approx(want.start, abs=0.1)
        assert got["confidence"] > 0.5
    text = cli("video", "reps", str(path)).out
    assert "3 reps (video)" in text
    assert "mcv" in text


def test_attach_stores_video_reps_on_a_logged_set(cli, squat_video):
    path, _ = squat_video
    set_id = cli("log", "squat", "100kg", "x3", "--json").json()["sets"][0]["id"]
    doc = cli("video", "attach", str(path), "--set", set_id, "--json").json()
    assert [r["source"] for r in doc["set"]["rep_data"]] == ["video"] * 3
    assert doc["analysis"]["sets"][0]["mean_velocity"] is not None
    shown = cli("show", "--json").json()["session"]["sets"][0]
    assert [r["source"] for r in shown["rep_data"]] == ["video"] * 3


def test_unusable_videos_get_one_line(cli, tmp_path):
    cases = {**unusable_videos(tmp_path), "no such file": tmp_path / "missing.mp4"}
    for words, path in cases.items():
        err = cli.fails("video", "reps", str(path)).err
        assert err.startswith("error: "), err
        assert words in err, (words, err)
        assert len(err.strip().splitlines()) == 1, err
    set_id = cli("log", "squat", "100kg", "x3", "--json").json()["sets"][0]["id"]
    cli.fails("video", "attach", str(tmp_path / "dark.mp4"), "--set", set_id)
    shown = cli("show", "--json").json()["session"]["sets"][0]
    assert all(r["source"] != "video" for r in shown["rep_data"])  # nothing half-written
    assert "--tap" in cli.fails("video", "reps", str(tmp_path / "empty.mp4")).err
    assert (
        "outside" in cli.fails("video", "reps", str(cases["no plate found"]), "--tap", "900,5").err
    )
