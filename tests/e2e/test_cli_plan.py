"""``replog plan``: a new lifter picks a shipped program, sees today's plan with warm-ups,
starts it, is steered set by set, and the next session follows the program's rule; a plan
of their own is checked (errors name the path) and kept."""

from __future__ import annotations

import json
from pathlib import Path

MY_DAY = {
    "schema": "replog.template/1",
    "name": "Heavy squat",
    "exercises": [{"exercise": "back-squat", "rest_s": 240, "sets": [{"reps": 5, "count": 3,
                   "load": "100 kg"}], "progression": {"rule": "linear", "increment": "5 kg"}}],
}  # fmt: skip


def test_a_new_lifter_follows_a_shipped_program(cli):
    listed = cli("plan", "list", "--json").json()["plans"]
    assert {"novice-linear-3x5", "vbt-20-strength-block"} <= {p["ref"] for p in listed}
    assert "Following 'Novice linear 3x5'" in cli("plan", "follow", "novice-linear-3x5").out
    today = cli("plan", "today", "--json").json()["today"]
    assert (today["week"], today["day"], today["session_id"]) == (1, 1, None)
    squat = today["plan"]["exercises"][0]
    assert squat["exercise"] == "back-squat"
    assert len(squat["sets"]) == 3
    assert squat["sets"][0]["load"] is None  # nothing logged yet: the plan says what it needs
    assert squat["sets"][0]["missing"]
    out = cli("plan", "today").out
    assert "Novice linear 3x5: A (week 1, day 1)" in out
    assert "working 1: ? x 5" in out


def test_a_plan_of_ones_own_steers_the_session_and_the_next(cli, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**MY_DAY, "exercises": [{**MY_DAY["exercises"][0],
                   "sets": [{"reps": 5, "load": "100"}]}]}))  # fmt: skip
    err = cli.fails("plan", "save", str(bad)).err
    assert err.strip() == ("error: exercises[0].sets[0].load: give the unit, e.g. '100 kg'")
    assert cli("plan", "list", "--json").json()["plans"][-1]["builtin"] is True  # none kept
    good = tmp_path / "day.json"
    good.write_text(json.dumps(MY_DAY))
    assert "Saved 'Heavy squat'" in cli("plan", "save", str(good)).out
    assert json.loads(cli("plan", "show", "Heavy squat").out)["name"] == "Heavy squat"
    cli("plan", "follow", "heavy squat")
    out = cli("plan", "today").out
    assert "warm-up 20 kg x" in out  # a ramp from the empty bar
    assert "working 1: 100 kg x 5" in out
    started = cli("plan", "start", "--json").json()["today"]
    assert started["session_id"]
    assert cli("plan", "next", "squat", "--json").json()["next"]["number"] == 1
    for _ in range(3):
        cli("log", "squat", "100kg", "x5")
    assert cli("plan", "next", "squat").out.strip() == "No planned set left"
    review = cli("plan", "review", "--json").json()
    assert (review["met"], review["planned"]) == (3, 3)
    assert "3 of 3 planned sets as planned" in cli("plan", "review").out
    cli("end")
    again = cli("plan", "today", "--json").json()["today"]
    assert again["last_session"]["back-squat"]["met"] is True
    loads = {s["load_text"] for s in again["plan"]["exercises"][0]["sets"]}
    assert loads == {"100 kg"}  # a written load stays as written
    assert "Stopped" in cli("plan", "stop").out
    assert "You follow no program" in cli("plan", "today").out
    assert cli.fails("plan", "follow", "nothing like it").err.startswith("error: plan: no plan")


def test_plans_travel_with_the_exported_log(cli, tmp_path: Path, migrated_sqlite_template):
    from tests.e2e.conftest import Cli, migrated_copy

    good = tmp_path / "day.json"
    good.write_text(json.dumps(MY_DAY))
    cli("plan", "save", str(good))
    cli("plan", "follow", "Heavy squat")
    cli("plan", "start")
    for _ in range(3):
        cli("log", "squat", "100kg", "x5")
    cli("end")
    before = cli("plan", "today", "--json").json()["today"]
    out = tmp_path / "log.json"
    cli("export", "-o", str(out))
    other = Cli(migrated_copy(migrated_sqlite_template, tmp_path / "other.db"))
    other("import", str(out))
    assert [p["name"] for p in other("plan", "list", "--json").json()["plans"]][-1] == (
        "Heavy squat"
    )
    after = other("plan", "today", "--json").json()["today"]
    assert after["program"] == before["program"]
    assert after["last_session"]["back-squat"]["met"] is True  # the session's plan came too
    assert other("plan", "review", "--json").json()["met"] == 3
