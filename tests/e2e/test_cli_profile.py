"""`replog profile` through the real command line: from the log and from --point."""

from __future__ import annotations

import pytest


def log_squats(cli) -> None:
    # v = 1.5 - 0.01 * load; the first rep of each set is its fastest
    for load, v in ((60, 0.90), (80, 0.70), (100, 0.50), (120, 0.30)):
        cli("log", "squat", f"{load}kg", "x3", "--v", f"{v:.2f},{v - 0.02:.2f},{v - 0.04:.2f}")


def test_profile_of_logged_sets_as_json(cli):
    log_squats(cli)
    cli("log", "squat", "100kg", "x2", "--v", "0.45,0.44")  # slower, same load and day
    doc = cli("profile", "squat", "--json").json()
    assert doc["exercise"] == "back-squat"
    assert doc["method"] == "ols"
    assert doc["slope"] == pytest.approx(-0.01)
    assert doc["intercept"] == pytest.approx(1.5)
    assert doc["r2"] == pytest.approx(1.0)
    assert (doc["mvt"], doc["mvt_source"]) == (0.3, "literature")
    assert doc["load_at_mvt_kg"] == pytest.approx(120.0)
    lo, hi = doc["load_at_mvt_interval_kg"]
    assert lo <= 120.0 <= hi
    # four points on four loads on a straight line: the profile gives the lift's e1RM
    assert doc["e1rm"]["value_kg"] == pytest.approx(120.0)
    assert doc["e1rm"]["source"] == "profile"
    assert doc["e1rm"]["method"] == "load-velocity profile at MVT 0.30 m/s"
    assert doc["e1rm"]["interval_kg"] == doc["load_at_mvt_interval_kg"]
    assert [(p["load_kg"], p["velocity"]) for p in doc["points"]] == [
        (60.0, 0.9),
        (80.0, 0.7),
        (100.0, 0.5),
        (120.0, 0.3),
    ]
    assert all(p["date"] for p in doc["points"])
    assert doc["dropped"]["sets_slower_at_same_load_and_day"] == 1
    assert [row["percent_1rm"] for row in doc["table"]] == [40, 50, 60, 70, 80, 90, 100]
    assert doc["table"][-1]["velocity"] == pytest.approx(0.3)


def test_profile_readable_view(cli):
    log_squats(cli)
    out = cli("profile", "squat", "--method", "two-point", "--mvt", "0.5").out
    assert "Back Squat" in out
    assert "v = 1.500 - 0.01000 x load" in out
    assert "MVT 0.50 m/s (given)" in out
    # the options change the profile, not the lift's e1RM: that is the default profile's
    assert "load at MVT 100.0 kg (no interval: two-point fit): not your e1RM" in out
    assert "e1RM 120.0 kg" in out
    assert "load-velocity profile at MVT 0.30 m/s" in out
    assert "Points used: 4" in out


def test_profile_of_points_given_needs_no_log(cli):
    doc = cli("profile", "--point", "40kg:1.00", "--point", "80kg:0.50", "--mvt", "0.17", "--json")
    doc = doc.json()
    assert doc["slope"] == pytest.approx(-0.0125)
    assert doc["load_at_mvt_kg"] == pytest.approx(106.4)
    assert doc["load_at_mvt_interval_kg"] is None  # two points: no residual error to go on
    assert doc["e1rm"] is None  # two points are too few to stand for an e1RM
    assert doc["table_of"] == "load_at_mvt"
    assert doc["points"] == [
        {"load_kg": 40.0, "velocity": 1.0, "date": None},
        {"load_kg": 80.0, "velocity": 0.5, "date": None},
    ]
    pounds = cli("profile", "--point", "88.18lb:1.0", "--point", "176.37lb:0.5", "--json").json()
    assert pounds["points"][0]["load_kg"] == pytest.approx(40.0, abs=0.01)


def test_a_malformed_point_is_one_line_naming_it(cli):
    for bad in ("80kg", "80xx:0.5", "80kg:fast", "80kg:-0.5"):
        result = cli.fails("profile", "--point", "40kg:1.0", "--point", bad)
        assert result.err.startswith("error: point:")
        assert len(result.err.strip().splitlines()) == 1


def test_points_that_rise_with_load_are_a_user_error(cli):
    result = cli.fails("profile", "--point", "40kg:0.5", "--point", "80kg:0.9")
    assert "velocity does not fall with load" in result.err


def test_usage_errors(cli):
    cli.fails("profile", code=2)
    cli.fails("profile", "--point", "40kg:1", "--method", "spline", code=2)


def test_unknown_exercise_suggests(cli):
    log_squats(cli)
    result = cli.fails("profile", "sqaut")
    assert "Back Squat" in result.err
