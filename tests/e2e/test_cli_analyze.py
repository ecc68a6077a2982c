"""`replog analyze` through the real command line: the seed scenario, files, the demo."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Cli


def _seed(cli: Cli, second: str) -> None:
    cli("log", "squat", "200lb", "x5", "@8", "--v", "0.62,0.61,0.60,0.59,0.58")
    cli("log", "squat", "200lb", "x5", "@8", "--v", second)


def test_seed_scenario_flags_neural_dropoff_and_caps_intensity(cli):
    _seed(cli, "0.54,0.53,0.52,0.51,0.50")  # mean 0.52 m/s at the same RPE
    doc = cli("analyze", "--json").json()
    first, second = doc["sets"]
    assert first["mean_velocity"] == pytest.approx(0.60)
    assert second["mean_velocity"] == pytest.approx(0.52)
    assert second["dropoff_pct"] == pytest.approx(13.3)
    assert second["reference_set"] == first["set_id"]
    assert second["flags"]["neural_dropoff"] is True
    assert second["effort_hid_dropoff"] is True
    caps = [r for r in doc["recommendations"] if r["kind"] == "cap_intensity"]
    assert len(caps) == 1
    assert caps[0]["exercise"] == "back-squat"
    assert "hold 200 lb" in caps[0]["action"]
    assert doc["settings"]["dropoff_threshold_pct"] == 10.0
    text = cli("analyze").out
    assert "drop-off" in text
    assert "13.3%" in text
    assert "cap intensity" in text


def test_seed_scenario_at_0_55_is_not_flagged(cli):
    _seed(cli, "0.57,0.56,0.55,0.54,0.53")
    doc = cli("analyze", "--json").json()
    assert doc["sets"][1]["dropoff_pct"] == pytest.approx(8.3)
    assert doc["sets"][1]["flags"]["neural_dropoff"] is False
    assert not doc["recommendations"]
    assert "No warning signs" in cli("analyze").out


def test_the_athlete_threshold_is_used(cli):
    _seed(cli, "0.57,0.56,0.55,0.54,0.53")
    cli("athlete", "--dropoff-threshold", "8")
    doc = cli("analyze", "--json").json()
    assert doc["settings"]["dropoff_threshold_pct"] == 8.0
    assert doc["sets"][1]["flags"]["neural_dropoff"] is True


def test_an_export_file_is_analysed_without_a_database(cli, tmp_path):
    _seed(cli, "0.54,0.53,0.52,0.51,0.50")
    path = tmp_path / "session.json"
    path.write_text(cli("export").out)
    other = Cli(tmp_path / "never-created.db")
    doc = other("analyze", str(path), "--json").json()
    assert doc["sets"][1]["flags"]["neural_dropoff"] is True
    assert not other.db.exists()
    assert "cannot read" in other.fails("analyze", str(tmp_path / "nope.json")).err


def test_the_demo_drop_offs_are_found(cli):
    cli("demo")
    doc = cli("--athlete", "demo", "analyze", "--all", "--json").json()
    sets = [s for session in doc["sessions"] for s in session["sets"]]
    flagged = [s for s in sets if s["flags"]["neural_dropoff"]]
    assert len(flagged) >= 5
    exported = cli("--athlete", "demo", "export").json()
    planted = {
        x["id"]
        for session in exported["athletes"][0]["sessions"]
        for x in session["sets"]
        if "planted drop-off" in x["notes"]
    }
    assert {s["set_id"] for s in flagged} == planted
    caps = [
        r
        for session in doc["sessions"]
        for r in session["recommendations"]
        if r["kind"] == "cap_intensity"
    ]
    assert len(caps) == len(planted)
    assert "cap intensity" in cli("--athlete", "demo", "analyze", "--all").out


def test_logging_a_set_with_velocities_shows_its_analysis_at_once(cli):
    cli("log", "squat", "200lb", "x5", "@8", "--v", "0.62,0.61,0.60,0.59,0.58")
    out = cli("log", "squat", "200lb", "x5", "@8", "--v", "0.54,0.53,0.52,0.51,0.50").out
    assert "13.3% slower than your reference set" in out
    assert "cap intensity" in out
    doc = cli(
        "log", "squat", "200lb", "x5", "@8", "--v", "0.53,0.52,0.51,0.50,0.49", "--json"
    ).json()
    (a,) = doc["analysis"]["sets"]
    assert a["flags"]["neural_dropoff"] is True
    assert doc["analysis"]["recommendations"] == []  # the cap was given once, at set 2
    (v,) = doc["analysis"]["verdicts"]  # but it governs this set, and says so
    assert v["cap"]["kind"] == "cap_intensity"
    assert v["headline"] == "Capped: 200 lb or lighter for the remaining sets."
    over = cli("log", "squat", "210lb", "x3", "@8", "--v", "0.45,0.44,0.43").out
    assert "over cap: Set 4 (210 lb) is heavier than the 200 lb that set 2 capped" in over
    plain = cli("log", "squat", "200lb", "x5", "--json").json()
    assert plain["analysis"] is None  # no velocities, nothing to read


def test_a_grinding_single_is_a_warning_in_analyze_too(cli):
    cli("log", "squat", "160kg", "x1", "@9.5", "--v", "0.18")
    out = cli("analyze").out
    assert "grinding" in out
    assert "No warning signs" not in out
    assert "Warning signs: grinding" in out
    assert "No heavier Back Squat today" in out
