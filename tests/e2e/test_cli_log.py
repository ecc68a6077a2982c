"""Logging and reading back through the real command line."""

from __future__ import annotations

import sqlite3

import pytest


def test_log_then_show_returns_exactly_what_was_entered(cli):
    out = cli("log", "squat", "225lb", "x5", "@8", "--v", "0.61,0.60,0.58,0.57,0.55").out
    assert "Back Squat: 225 lb x 5 @8" in out
    doc = cli("show", "--json").json()
    (s,) = doc["session"]["sets"]
    assert (s["exercise"], s["load"]["value"], s["load"]["unit"], s["load"]["kg"]) == (
        "back-squat",
        "225",
        "lb",
        102.058,
    )
    assert (s["reps"], s["rpe"], s["kind"]) == (5, 8.0, "working")
    assert [r["mcv"] for r in s["rep_data"]] == [0.61, 0.60, 0.58, 0.57, 0.55]
    assert [r["index"] for r in s["rep_data"]] == [1, 2, 3, 4, 5]
    assert doc["exercises"]["back-squat"] == "Back Squat"


def test_everything_a_set_can_carry_survives(cli):
    cli(
        "log",
        "bench",
        "102.5kg",
        "x3",
        "--rir",
        "1",
        "--kind",
        "backoff",
        "--rest",
        "180",
        "--tag",
        "cue: bend the bar",
        "--tag",
        "Belt",
        "--note",
        "felt quick",
    )
    (s,) = cli("show", "last", "--json").json()["session"]["sets"]
    assert (s["load"]["value"], s["load"]["unit"], s["load"]["kg"]) == ("102.5", "kg", 102.5)
    assert (s["rir"], s["rpe"], s["kind"], s["rest_s"]) == (1.0, None, "backoff", 180)
    assert s["tags"] == ["belt", "cue: bend the bar"]
    assert s["notes"] == "felt quick"


def test_several_sets_share_todays_session_in_order(cli):
    cli("log", "squat", "140", "3x5", "@7")
    cli("log", "bench", "press", "100kg", "x5")
    session = cli("show", "--json").json()["session"]
    assert [(x["position"], x["exercise"]) for x in session["sets"]] == [
        (1, "back-squat"),
        (2, "back-squat"),
        (3, "back-squat"),
        (4, "bench-press"),
    ]
    listing = cli("sessions", "--json").json()["sessions"]
    assert len(listing) == 1
    assert listing[0]["sets"] == 4
    assert listing[0]["volume_kg"] == pytest.approx(3 * 5 * 140 + 500)
    assert listing[0]["exercises"] == ["back-squat", "bench-press"]


def test_default_unit_applies_to_bare_loads(cli):
    cli("athlete", "--unit", "lb", "--body-mass", "190lb")
    info = cli("athlete", "--json").json()
    assert info["default_unit"] == "lb"
    assert info["body_mass_kg"] == pytest.approx(86.183, abs=1e-3)
    cli("log", "deadlift", "315", "x3")
    (s,) = cli("show", "--json").json()["session"]["sets"]
    assert (s["load"]["value"], s["load"]["unit"]) == ("315", "lb")


def test_client_id_makes_retries_idempotent(cli):
    set_id = "01a20cb1-bac2-7001-a09b-6d0eda3c563e"
    first = cli("log", "squat", "100", "x5", "--id", set_id, "--json").json()
    again = cli("log", "squat", "100", "x5", "--id", set_id, "--json").json()
    assert first["sets"][0]["id"] == again["sets"][0]["id"] == set_id
    assert again["already_logged"] is True
    assert len(cli("show", "--json").json()["session"]["sets"]) == 1


def test_undo_and_end(cli):
    cli("log", "squat", "100", "x5")
    cli("log", "squat", "110", "x3")
    assert "110 kg x 3" in cli("undo").out
    assert [x["load"]["value"] for x in cli("show", "--json").json()["session"]["sets"]] == ["100"]
    first = cli("show", "--json").json()["session"]["id"]
    cli("end")
    cli("log", "squat", "100", "x5")
    assert cli("show", "--json").json()["session"]["id"] != first
    assert len(cli("sessions", "--json").json()["sessions"]) == 2


def test_show_by_prefix_and_date(cli):
    cli("log", "squat", "100", "x5")
    doc = cli("show", "--json").json()["session"]
    assert cli("show", doc["id"][:8], "--json").json()["session"]["id"] == doc["id"]
    day = doc["started_at"][:10]
    assert cli("show", day, "--json").json()["session"]["id"] == doc["id"]
    cli.fails("show", "2001-01-01")
    cli.fails("show", "zzzz")


def test_history_lists_sets_best_sets_and_records(cli):
    for args in (["squat", "100", "x5"], ["squat", "110", "x3"], ["squat", "90", "x10"]):
        cli("log", *args)
    h = cli("history", "squat", "--json").json()
    assert h["exercise"]["key"] == "back-squat"
    assert h["total_sets"] == 3
    assert h["records"]["heaviest"]["load_kg"] == 110
    # the best set e1RM: the e1RM rule's sets path, the same 121 kg as the e1RM of the day
    assert h["records"]["e1rm"]["value"] == pytest.approx(121.0)
    assert h["records"]["e1rm"]["load"] == "110"
    assert {r["reps"] for r in h["records"]["rep_maxes"]} == {3, 5, 10}
    # no velocity, no RPE: Epley with RIR 0 over the working sets, 110 x 3 the best
    assert h["e1rm"]["value_kg"] == pytest.approx(121.0)
    assert h["e1rm"]["source"] == "epley_rir"
    assert h["e1rm"]["from_set"]["load"] == "110 kg"
    assert h["sessions"][0]["e1rm"] == h["e1rm"]  # today's session: the same estimate
    sets = h["sessions"][0]["sets"]
    assert sets[0]["records"] == ["heaviest", "volume", "5rm", "e1rm"]
    text = cli("history", "squat").out
    assert "Personal records" in text
    assert "e1RM today 121.0 kg · Epley with RIR" in text
    assert "best set e1RM" in text


def test_exercises_lists_the_catalogue_and_custom_ones(cli):
    cli(
        "exercises",
        "add",
        "Zercher Squat",
        "--equipment",
        "barbell",
        "--pattern",
        "squat",
        "--alias",
        "zs",
    )
    cli("log", "zs", "100", "x5")
    rows = cli("exercises", "--json").json()
    assert rows[0]["key"] == "zercher-squat"
    assert rows[0]["custom"] is True
    assert rows[0]["sets_logged"] == 1
    assert any(r["key"] == "back-squat" and "squat" in r["aliases"] for r in rows)
    assert len(rows) > 40
    assert [r["key"] for r in cli("exercises", "--search", "deadl", "--json").json()][:1]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["squat", "100", "x5", "@11"], "rpe"),
        (["squat", "-100", "x5"], "load"),
        (["squat", "5000", "x5"], "extra digit"),
        (["squat", "100", "x0", "--v", "0.5"], "0 reps"),
        (["squat", "100", "x2", "--v", "0.5,0.4,0.3"], "3 reps of velocity data"),
        (["squat", "100", "x2", "--v", "0.5,fast"], "velocities"),
        (["squat", "100", "x2", "--v", "50"], "mcv"),
        (["sqaut", "100", "x5"], "did you mean 'Back Squat'"),
        (["squat", "100"], "reps"),
        (["squat", "100", "x5", "--kind", "heavy"], "kind"),
        (["squat", "100", "x5", "--id", "not-a-uuid"], "id"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(cli, args, needle):
    result = cli.fails("log", *args)
    assert needle in result.err
    assert result.err.startswith("error: ")
    assert len(result.err.strip().splitlines()) == 1
    if cli.db.exists():
        with sqlite3.connect(cli.db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM sets").fetchone()[0] == 0
            assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0


def test_usage_errors_exit_2(cli):
    cli.fails("log", code=2)
    cli.fails("frobnicate", code=2)
    cli.fails("sessions", "--limit", "many", code=2)


def test_reading_an_empty_log_is_a_clear_error(cli):
    assert "nothing logged yet" in cli.fails("show").err
    assert "unsupported database URL" in cli.fails("--db", "mysql://x/y", "sessions").err


def test_a_record_is_said_as_the_set_is_logged(cli):
    assert (
        "PR: heaviest ever, most volume in a set, 5-rep max, best set e1RM"
        in cli("log", "squat", "100kg", "x5").out
    )
    out = cli("log", "squat", "110kg", "x3", "--v", "0.5,0.45,0.4").out
    assert "PR: heaviest ever, 3-rep max, best set e1RM" in out
    assert "PR:" not in cli("log", "squat", "100kg", "x5").out  # equal is not a record
    doc = cli("log", "squat", "110kg", "x2", "--v", "0.7,0.6", "--json").json()
    (rec,) = doc["records"]
    assert (rec["set_id"], rec["kinds"]) == (doc["sets"][0]["id"], ["2rm", "velocity"])
    assert rec["text"] == "2-rep max, fastest at this load"
